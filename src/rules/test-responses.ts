// tests/response-shadowed: a canned answer that can never answer. The embedded emulator is given
// every test's `responses:` (so which tests are named changes no answer) and tries, for a call a
// test makes, that test's own first, then every test's in file order; the first whose match holds
// answers. So a response that an earlier response of its own test always beats is dead: its own
// test's calls meet that one first, and so do the other tests' calls (it comes earlier in file
// order too). Another test's response, however broad, never hides it from its own test's calls,
// and for another test's calls it is only a fallback: no warning there.
import type { Diagnostic } from '../model/diagnostic.js';
import type { PromptTest, TestResponse } from '../model/types.js';
import { diagnostic, locate, where } from './util.js';

export function checkShadowedResponses(tests: readonly PromptTest[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of tests) {
    t.responses.forEach((r, i) => {
      const index = t.responses.slice(0, i).findIndex((s) => covers(s.match, r.match));
      const first = index >= 0 ? t.responses[index]! : undefined;
      // The same answer as the one that answers instead loses nothing.
      if (first && !sameAnswer(first, r)) {
        const at = where(locate(t, `spec.responses.${index}.match`));
        out.push(
          diagnostic(
            locate(t, `spec.responses.${i}.match`),
            'warning',
            'tests/response-shadowed',
            `responses[${i}] never answers: responses[${index}] above (${at}) holds for every call it would, and the embedded emulator takes the first of the test's own responses that holds; narrow the earlier match or give this one another`,
          ),
        );
      }
    });
  }
  return out;
}

function sameAnswer(a: TestResponse, b: TestResponse): boolean {
  return a.output === b.output && a.finishReason === b.finishReason;
}

/** Whether `a` holds for every call `b` holds for (so `a`, tried first, always answers instead). */
function covers(a: TestResponse['match'], b: TestResponse['match']): boolean {
  if (a.version !== undefined && a.version !== b.version) return false;
  if (a.contains !== undefined) return b.contains !== undefined && b.contains.includes(a.contains);
  if (a.regex !== undefined) return b.regex === a.regex;
  return true;
}
