// A markdown code span that free text cannot break out of. Not an escape (util/escapes.ts): the
// text inside is as the caller escaped it, so masking sees no form of its own here.

/**
 * A markdown code span around `text` (already escaped for where it goes): the fence is longer
 * than any run of backticks inside it, so a free-text name (a live object's, a test case's) cannot
 * close it and let markdown or HTML after it render.
 */
export function codeSpan(text: string): string {
  const ticks = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1;
  const fence = '`'.repeat(ticks);
  const pad = ticks > 1 || text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
