// Work that must finish within a time bound, run under a V8 script timeout (src/util/regex.ts
// execBounded, which calls `exec` on what it is given): a test of a path that was quadratic then
// fails when the fix is taken out, rather than hanging the suite.
import { execBounded, RegexTimeout } from '../../src/util/regex.js';

/** `work()` run to its end, or given up after `limitMs` with an error saying so. */
export function bounded<T>(work: () => T, limitMs: number): T {
  let result: T | undefined;
  const runner = { exec: () => ((result = work()), null) } as unknown as RegExp;
  try {
    execBounded(runner, '', limitMs);
  } catch (err) {
    if (err instanceof RegexTimeout) throw new Error(`did not finish within ${limitMs / 1000} s`);
    throw err;
  }
  return result as T;
}
