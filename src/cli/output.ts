// Terminal output: colour only on a TTY without NO_COLOR/--no-color; documents on stdout, chatter on stderr.
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

let colorEnabled = !process.env.NO_COLOR && process.env.FORCE_COLOR !== '0' && Boolean(process.stdout.isTTY);
if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') colorEnabled = true;

export function setColor(enabled: boolean): void {
  colorEnabled = enabled && !process.env.NO_COLOR;
}

/** Styles text when colour is on; plain text otherwise. */
export function paint(style: Style, text: string): string {
  return colorEnabled ? styleText(style, text, { validateStream: false }) : text;
}

/** Progress, target lines and warnings: stderr, so stdout stays a clean document. */
export function info(line: string): void {
  process.stderr.write(line + '\n');
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}
