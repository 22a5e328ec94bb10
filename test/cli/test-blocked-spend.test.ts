// A call whose OUTPUT a block_and_log filter blocked was run and billed (status counts its tokens
// and cost), but test and run showed it as spending nothing: the content.blocked refusal carried
// no usage, so test's table showed "— —" for its tokens and cost, a maxCostUsd on it failed with
// "no answer" instead of judging the cost, and run said nothing of it. The refusal now says what
// the model spent (promptctl's extension of the ErrorBody), test shows and judges it, keeps it in
// its cache, and run says it before the block. A block on the input spent nothing and says none.
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

const SPEND_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-spend
spec:
  target:
    template: faq-bot
    version: "1.0.0"
  repeat: 2
  cases:
    - name: lured answer
      vars:
        question: ${JSON.stringify(LURED)}
      expect:
        - blockedBy: faq-phishing-block
        - maxCostUsd: 0.01
        - maxOutputTokens: 1
    - name: phishing question
      vars:
        question: ${JSON.stringify(PHISHING)}
      expect:
        - blockedBy: faq-phishing-block
        - maxCostUsd: 0.01
`;

describe('a call blocked on its output spent its tokens', () => {
  it('test shows and judges its tokens and cost, as status counts them, from the cache too; run says them', async () => {
    p = await evalsProject({ 'spend.yaml': SPEND_TEST }, { responses: [{ match: { template: 'faq-bot', contains: 'locked' }, output: PHISHING }, ...RESPONSES] });

    const json = await p.cli(['test', '--format', 'json']);
    expect(json.code, json.stderr).toBe(1);
    const report = JSON.parse(json.stdout) as TestReport;
    const runs = report.tests[0]!.runs;
    const lured = runs.filter((r) => r.case === 'lured answer');
    expect(lured).toHaveLength(2);
    const obs = lured[0]!.observation;
    expect(obs).toMatchObject({ outcome: 'blocked', blocked: { filter: 'faq-phishing-block', stage: 'output' } });
    expect(obs.usage!.completionTokens).toBeGreaterThan(1);
    expect(obs.usage!.totalTokens).toBe(obs.usage!.promptTokens! + obs.usage!.completionTokens);
    expect(obs.costUsd).toBeGreaterThan(0);
    // Judged on what was spent: the cost within its bound, the output tokens above theirs (not "no answer").
    const byType = Object.fromEntries(lured[0]!.assertions.map((a) => [a.type, a]));
    expect(byType['maxCostUsd']).toMatchObject({ passed: true });
    expect(byType['maxOutputTokens']!.passed).toBe(false);
    expect(byType['maxOutputTokens']!.detail).toBe(`${obs.usage!.completionTokens} output tokens, spent though blocked by faq-phishing-block`);
    // Blocked on the input: the model never ran, nothing was spent or said, and the cost cannot be judged.
    const onInput = runs.find((r) => r.case === 'phishing question')!;
    expect(onInput.observation.usage).toBeUndefined();
    expect(onInput.observation.costUsd).toBeUndefined();
    expect(onInput.assertions.find((a) => a.type === 'maxCostUsd')).toMatchObject({ passed: false, detail: 'no answer: blocked by faq-phishing-block' });

    // status counts the same calls (the test's, with --include-tests) with the same tokens and cost.
    const status = await p.cli(['status', 'faq-bot', '--include-tests', '--format', 'json']);
    expect(status.code, status.stderr).toBe(0);
    const v = JSON.parse(status.stdout).templates[0].versions.find((x: { version: string }) => x.version === '1.0.0');
    expect(v).toMatchObject({ invocations: 4, blocked: 4, tokens: { calls: 2, meanTotal: obs.usage!.totalTokens }, costUsd: { total: 2 * obs.costUsd! } });

    // The table's row says it, answered from the cache as when the calls were made.
    const tokens = String(obs.usage!.totalTokens);
    const row = new RegExp(`^ {2}lured answer +1\\.0\\.0 +✗ fail 0/2 \\(blocked\\) +— +${tokens} +\\$0\\.\\d+$`, 'm');
    const inputRow = /^ {2}phishing question +1\.0\.0 +✗ fail 0\/2 \(blocked\) +— +— +—$/m;
    const before = await p.invocations();
    const text = await p.cli(['test']);
    expect(text.stdout).toMatch(row);
    expect(text.stdout).toMatch(inputRow);
    expect(text.stdout).toMatch(/0 calls made, 4 answered from the cache\.$/m);
    expect(await p.invocations()).toBe(before);
    const cached = JSON.parse((await p.cli(['test', '--format', 'json'])).stdout) as TestReport;
    expect(cached.tests[0]!.runs.find((r) => r.case === 'lured answer')).toMatchObject({ cached: true, observation: { usage: obs.usage, costUsd: obs.costUsd } });

    // run says what the blocked call spent before the block, whole or streamed.
    const spent = new RegExp(`^tokens ${tokens} \\(${obs.usage!.promptTokens} prompt \\+ ${obs.usage!.completionTokens} completion\\) · cost \\$0\\.\\d+: spent, though a filter blocked the answer \\(the model had run\\)$`, 'm');
    for (const format of ['text', 'json']) {
      const r = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${LURED}`, '--format', format]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(spent);
      expect(r.stderr.indexOf('tokens ')).toBeLessThan(r.stderr.indexOf('error: blocked by safety filter faq-phishing-block'));
    }
    const input = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${PHISHING}`]);
    expect(input.stderr).toMatch(/^error: blocked by safety filter faq-phishing-block: .* on the input/m);
    expect(input.stderr).not.toMatch(/^tokens /m);
  });
});
