// A text as a regular expression that matches exactly it: for patterns built around a value the
// user or the org gave (a secret, a file path, a filter's term), which may hold any character.

/** `s` with every character a RegExp source gives a meaning escaped. */
export function regexLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
