// Colour for every view, injected so rendering stays pure: the CLI passes a painter when colour
// is on, and `plain` otherwise (tests, pipes, NO_COLOR).

export type StyleName = 'green' | 'red' | 'yellow' | 'cyan' | 'bold' | 'dim';
export type Style = (name: StyleName, s: string) => string;
export const plain: Style = (_name, s) => s;
