// Which canned answer answered a call, named the same way on both sides: the emulator sends this
// digest on an answer a fixture gave (promptctl's extension, `canned.response`), and `test`
// computes it over a test's own `responses:` to tell whether the answer is one of them (a shared
// call or cached result names the test that first made it, which may be another, or a name since
// changed: the response itself decides, not its owner's name).
import { stableHash } from './json.js';

/** A canned answer as the user wrote it: a PromptTest's response, or a fixture less its `template`. */
export interface CannedAnswerContent {
  match: { template?: string; version?: string; contains?: string; regex?: string };
  output: string;
  finishReason?: string;
}

/**
 * sha256 (hex) of what the answer says and when it answers. `match.template` is left out: a test's
 * responses carry it implied (its target), the emulator's copy of them names it.
 */
export function cannedAnswerDigest(r: CannedAnswerContent): string {
  const { version, contains, regex } = r.match;
  const match = {
    ...(version !== undefined ? { version } : {}),
    ...(contains !== undefined ? { contains } : {}),
    ...(regex !== undefined ? { regex } : {}),
  };
  return stableHash({ match, output: r.output, ...(r.finishReason !== undefined ? { finishReason: r.finishReason } : {}) });
}
