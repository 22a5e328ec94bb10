// tests/response-shadowed: a canned answer that can never answer. The embedded emulator is given
// every test's `responses:` in file order (so which tests are named changes no answer), and the
// first whose match holds answers: one that an earlier response of the same target always beats
// (in its own test, or in an earlier file's) is dead, and its test silently gets the other answer.
import type { Diagnostic } from '../model/diagnostic.js';
import type { PromptTest, TestResponse } from '../model/types.js';
import { diagnostic, locate, where } from './util.js';

interface Seen {
  test: PromptTest;
  index: number;
  target: string;
  response: TestResponse;
}

export function checkShadowedResponses(tests: readonly PromptTest[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen: Seen[] = [];
  for (const t of tests) {
    const target = 'guide' in t.target ? t.target.guide : t.target.template;
    t.responses.forEach((r, i) => {
      const first = seen.find((s) => s.target === target && covers(s.response.match, r.match));
      // The same answer as the one that answers instead (two tests that each stand alone) loses nothing.
      if (first && !sameAnswer(first.response, r)) {
        const at = where(locate(first.test, `spec.responses.${first.index}.match`));
        const by = first.test === t ? `responses[${first.index}] above (${at})` : `PromptTest/${first.test.name}'s responses[${first.index}] (${at})`;
        out.push(
          diagnostic(
            locate(t, `spec.responses.${i}.match`),
            'warning',
            'tests/response-shadowed',
            `responses[${i}] never answers: ${by} holds for every call it would, and the embedded emulator takes the first that holds (every test's responses, in file order); narrow the earlier match or give this one another`,
          ),
        );
      }
      seen.push({ test: t, index: i, target, response: r });
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
