// A test's canned answers (`responses:`) as the embedded emulator gives them: every test's, which
// `promptctl test` starts the emulator with; those that may answer one call, in the order the
// emulator tries them (the test's own first), as part of the call's cache key; whether the one
// that answered a call is the test's own; and what is said when the target is not the embedded
// emulator, which answers from none of them.
import type { PromptTest, TestResponse } from '../model/types.js';
import { cannedAnswerDigest } from '../util/canned-answer.js';

/** A test's note when its `responses:` are not used (the target is not the embedded emulator). */
export const RESPONSES_UNUSED = 'its responses: are not used: only the embedded emulator answers from them, and this target answers for itself';

/**
 * Said once before a run on a target other than the embedded emulator, when `count` of its tests
 * define `responses:` (their assertions about what the answer says may then fail there).
 */
export function responsesUnusedLine(count: number): string {
  return `${count} test${count === 1 ? ' defines' : 's define'} responses:, which only the embedded emulator answers from; this target answers for itself`;
}

/** A test's canned answer, for the template or guide its test targets. */
export interface TargetResponse {
  /** The template's or the guide's name. */
  target: string;
  /** Which of the two `target` names: a guide's answers never answer a template of the same name, nor the reverse. */
  targetKind: 'template' | 'guide';
  /** The test's name: the emulator tries a test's own answers first for the calls it makes. */
  test: string;
  response: TestResponse;
}

/**
 * The canned answers of every test's `responses:` block, in file order, each for its test's
 * target: what `promptctl test` starts the embedded emulator with. Every test's, not only those
 * run, so that which tests are named changes no answer (and no cache key).
 */
export function emulatorResponses(tests: readonly PromptTest[]): TargetResponse[] {
  return tests.flatMap((t) => {
    const [target, targetKind] = 'guide' in t.target ? [t.target.guide, 'guide' as const] : [t.target.template, 'template' as const];
    return t.responses.map((response) => ({ target, targetKind, test: t.name, response }));
  });
}

/**
 * The canned answers that may answer a call of the planned test to `target`, in the order the
 * emulator tries them: the test's own, then the other tests' in file order (empty: none, and no
 * key material).
 */
export function responsesFor(opts: { responses?: readonly TargetResponse[]; forTest?: string }, target: string, targetKind: TargetResponse['targetKind']): { responses?: TestResponse[] } {
  const all = (opts.responses ?? []).filter((r) => r.target === target && r.targetKind === targetKind);
  const own = all.filter((r) => r.test === opts.forTest);
  const list = [...own, ...all.filter((r) => r.test !== opts.forTest)].map((r) => r.response);
  return list.length ? { responses: list } : {};
}

/** The digests of a test's own canned answers (util/canned-answer.ts), to tell them from another test's. */
export function ownAnswerDigests(t: Pick<PromptTest, 'responses'>): ReadonlySet<string> {
  return new Set(t.responses.map((r) => cannedAnswerDigest(r)));
}

/**
 * What a run of test `test` reports of the canned response that answered its call: nothing when
 * it is one of the test's own (`own`), whichever test's name the answer carries (a call shared
 * with, or a result cached by, another test that gives the same response, or the test under its
 * old name: the same call, answered as its own responses would answer it); else the test whose
 * response stood in, or `{}` for a responses file's. An answer that does not say which response
 * (an older emulator) is judged by the test's name alone.
 */
export function cannedAsReported(canned: { test?: string; response?: string } | undefined, test: string, own: ReadonlySet<string>): { test?: string } | undefined {
  if (canned === undefined) return undefined;
  if (canned.test === undefined) return {};
  if (canned.test === test || (canned.response !== undefined && own.has(canned.response))) return undefined;
  return { test: canned.test };
}
