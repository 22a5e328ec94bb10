// The regular expressions of the emulator's response fixtures (`match.regex`, in a responses file
// and in a PromptTest's `responses:` block): one reading, shared by the emulator that matches
// them and the rule that checks them before anything runs.

/** `/pattern/flags`, a leading `(?i)` (case-insensitive), or a plain pattern; g and y are dropped. Throws a SyntaxError when it does not compile. */
export function compileFixtureRegex(source: string): RegExp {
  const slashed = /^\/(.*)\/([a-z]*)$/s.exec(source);
  if (slashed) return new RegExp(slashed[1] ?? '', (slashed[2] ?? '').replace(/g|y/g, ''));
  if (source.startsWith('(?i)')) return new RegExp(source.slice(4), 'i');
  return new RegExp(source);
}
