// A call through a split whose OUTPUT a filter blocked never said which version it ran on: the
// content.blocked refusal named none, so `routedTo` failed on every such run ("the version that
// would have answered is unknown (blocked by …)") and the table showed its version as `—`, though
// the model ran on a version and its tokens and cost were reported. The emulator's refusal now
// names the template and the version the call was routed to (promptctl's extension, as it says
// the spend; a block on the input too: routing comes before either filter), and test and run use it.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestReport } from '../../src/evals/types.js';
import { evalsProject, PHISHING, RESPONSES, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** A question with nothing to block whose canned answer is a credential lure: faq-phishing-block blocks the output. */
const LURED = 'Why is my account locked?';

const ROUTED_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-routed-block
spec:
  target:
    template: faq-bot
  repeat: 4
  threshold: 0
  cases:
    - name: lured answer
      vars:
        question: ${JSON.stringify(LURED)}
      expect:
        - routedTo: "1.0.0"
        - blockedBy: faq-phishing-block
    - name: phishing question
      vars:
        question: ${JSON.stringify(PHISHING)}
      expect:
        - routedTo: "1.0.0"
        - blockedBy: faq-phishing-block
`;

describe('a call through a split that a filter blocked', () => {
  it('is judged and shown on the version it was routed to, blocked on the output or the input; run says the version', async () => {
    p = await evalsProject({ 'routed.yaml': ROUTED_TEST }, { seed: 7, responses: [{ match: { template: 'faq-bot', contains: 'locked' }, output: PHISHING }, ...RESPONSES] });

    const json = await p.cli(['test', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const runs = (JSON.parse(json.stdout) as TestReport).tests[0]!.runs;
    expect(runs).toHaveLength(8);
    for (const r of runs) {
      expect(r.observation).toMatchObject({ outcome: 'blocked', blocked: { filter: 'faq-phishing-block', stage: r.case === 'lured answer' ? 'output' : 'input' } });
      expect(['1.0.0', '1.1.0']).toContain(r.version);
      expect(r.observation.version).toBe(r.version);
      const routed = r.assertions.find((a) => a.type === 'routedTo')!;
      expect(routed).toMatchObject({ passed: r.version === '1.0.0', detail: `answered by ${r.version}` });
      expect(r.passed).toBe(r.version === '1.0.0');
    }
    // The table's rows name their versions, never `—`.
    const text = await p.cli(['test']);
    expect(text.stdout).toMatch(/^ {2}lured answer +1\.[01]\.0 /m);
    expect(text.stdout).not.toMatch(/^ {2}(lured answer|phishing question) +— /m);

    // run says where a call that named no version went, before the block; not for a pinned one.
    const routedRun = await p.cli(['run', 'faq-bot', '--var', `question=${LURED}`]);
    expect(routedRun.code).toBe(1);
    expect(routedRun.stderr).toMatch(/^version 1\.[01]\.0: the call was routed there, then blocked$/m);
    expect(routedRun.stderr.indexOf('version ')).toBeLessThan(routedRun.stderr.indexOf('error: blocked by safety filter faq-phishing-block'));
    const input = await p.cli(['run', 'faq-bot', '--var', `question=${PHISHING}`, '--format', 'json']);
    expect(input.stderr).toMatch(/^version 1\.[01]\.0: the call was routed there, then blocked$/m);
    const pinned = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${LURED}`]);
    expect(pinned.stderr).not.toMatch(/routed there/);
  });
});
