// The regular expressions users write (the emulator's response fixtures, `match.regex` in a
// responses file and a PromptTest's `responses:` block; a test's `regex` assertion): one reading
// of a fixture's, shared by the emulator that matches it and the rule that checks it before
// anything runs, and matching with a time limit, since a pattern that backtracks without end
// (`^(a+)+$`) would otherwise hang the command.
import vm from 'node:vm';

/** `/pattern/flags`, a leading `(?i)` (case-insensitive), or a plain pattern; g and y are dropped. Throws a SyntaxError when it does not compile. */
export function compileFixtureRegex(source: string): RegExp {
  const slashed = /^\/(.*)\/([a-z]*)$/s.exec(source);
  if (slashed) return new RegExp(slashed[1] ?? '', (slashed[2] ?? '').replace(/g|y/g, ''));
  const { pattern, flags } = insensitivePrefix(source);
  return new RegExp(pattern, flags);
}

/** A leading `(?i)`, as other regex dialects write case-insensitive (JavaScript has no such group): the pattern after it, and the i flag. */
function insensitivePrefix(source: string): { pattern: string; flags: string } {
  return source.startsWith('(?i)') ? { pattern: source.slice(4), flags: 'i' } : { pattern: source, flags: '' };
}

/** A Unicode property escape (\p{…} or \P{…}) whose backslash is not itself escaped. */
const PROPERTY_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\[pP]\{/;

/**
 * A PromptTest's `regex` assertion: no flags, except that a pattern using a Unicode property
 * escape is read with the u flag (without it `\p{L}` matches the text "p{L}", which nobody means),
 * and a leading `(?i)` makes it case-insensitive, as a fixture's (JavaScript has no such group, so
 * no pattern that compiles otherwise reads differently). Throws a SyntaxError when it does not compile.
 */
export function compileAssertionRegex(source: string): RegExp {
  const { pattern, flags } = insensitivePrefix(source);
  return new RegExp(pattern, `${flags}${usesPropertyEscape(pattern) ? 'u' : ''}`);
}

export function usesPropertyEscape(source: string): boolean {
  return PROPERTY_ESCAPE.test(source);
}

/** How long one match may take before it is given up (far beyond any sane pattern on any output). */
export const MATCH_LIMIT_MS = 1000;

/** A match given up after MATCH_LIMIT_MS: the pattern backtracks without end on that text. */
export class RegexTimeout extends Error {
  override readonly name = 'RegexTimeout';
  constructor(readonly pattern: RegExp) {
    super(`the regex ${String(pattern)} did not finish within ${MATCH_LIMIT_MS / 1000} s (catastrophic backtracking: rewrite it without nested repetition)`);
  }
}

const sandbox = vm.createContext({});
const execScript = new vm.Script('re.exec(text)');

/** `re.exec(text)`, given up after `limitMs` (RegexTimeout): V8 interrupts a regex only through a script's timeout. */
export function execBounded(re: RegExp, text: string, limitMs = MATCH_LIMIT_MS): RegExpExecArray | null {
  sandbox['re'] = re;
  sandbox['text'] = text;
  try {
    return execScript.runInContext(sandbox, { timeout: limitMs }) as RegExpExecArray | null;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new RegexTimeout(re);
    throw err;
  } finally {
    sandbox['re'] = undefined;
    sandbox['text'] = undefined;
  }
}

