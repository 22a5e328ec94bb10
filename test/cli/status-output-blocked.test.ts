// A call whose OUTPUT a block_and_log filter blocked got no answer: the gateway ran the model (its
// tokens were spent and billed) and then refused the call with content.blocked. The analytics
// count it as blocked, and status showed it so, but its JSON counted it `answered` too (every
// call the model ran for), so answered / invocations read as a success rate counted a call
// whose caller got nothing. It is blocked and not answered; its tokens and cost still count
// (`tokens.calls` says over how many calls the means are).
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, PHISHING, RESPONSES, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** A question with nothing to block whose canned answer is a credential lure: faq-phishing-block blocks the output. */
const LURED = 'Why is my account locked?';

describe('status and a call blocked on its output', () => {
  it('counts it as blocked, not answered, and still counts its tokens', async () => {
    p = await evalsProject({}, { responses: [{ match: { template: 'faq-bot', contains: 'locked' }, output: PHISHING }, ...RESPONSES] });
    const onOutput = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${LURED}`]);
    expect(onOutput.code).toBe(1);
    expect(onOutput.stderr).toMatch(/^error: blocked by safety filter faq-phishing-block: phishing scored [\d.]+ on the output/m);
    const onInput = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${PHISHING}`]);
    expect(onInput.stderr).toMatch(/^error: blocked by safety filter faq-phishing-block: phishing scored [\d.]+ on the input/m);
    const ok = await p.cli(['run', 'faq-bot@1.0.0', '--var', 'question=Where is my parcel?']);
    expect(ok.code, ok.stderr).toBe(0);

    const r = await p.cli(['status', 'faq-bot', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout).templates[0].versions.find((x: { version: string }) => x.version === '1.0.0');
    expect(v).toMatchObject({ invocations: 3, errors: 0, blocked: 2, answered: 1 });
    // The model ran for the parcel question and the lure: both calls' tokens were spent.
    expect(v.tokens.calls).toBe(2);
    expect(v.costUsd.total).toBeGreaterThan(0);

    const text = await p.cli(['status', 'faq-bot']);
    expect(text.stdout).toMatch(/^ {2}1\.0\.0 +3 .* 0 \(0 %\) +2 \(67 %\) /m);
  });
});
