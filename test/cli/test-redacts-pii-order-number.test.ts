// `redacts: pii` failed a call that was redacted correctly when the answer repeated an order
// number the case sent (a review): its leak check took any run of 7 digits or more for personal
// data, though the gateway's pii scorer does not ("✗ redacts pii: faq-pii-redact reported a
// redaction, but the output still holds "12****78""). The leak check now counts as personal data
// what the pii category counts (util/pii-shapes.ts); a card number that comes back still fails it.
import { afterEach, describe, expect, it } from 'vitest';
import { RESPONSES, evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const QUESTION = 'Order AC-12345678: I paid with 4111 1111 1111 1111, refund please';
const ORDER_ANSWER = 'Thanks. The refund for order AC-12345678 is on its way.';

const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-order
spec:
  target:
    template: faq-bot
    version: "1.0.0"
  cases:
    - name: order number repeated
      vars:
        question: ${JSON.stringify(QUESTION)}
      expect:
        - redacts: pii
`;

describe('redacts: pii, an answer that repeats the order number the case sent', () => {
  it('passes: the card was redacted, and an order number is not personal data', async () => {
    p = await evalsProject({ 'order.yaml': TEST }, { responses: [{ match: { template: 'faq-bot', contains: 'AC-12345678' }, output: ORDER_ANSWER }, ...RESPONSES] });
    const r = await p.cli(['test', '--format', 'json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const run = JSON.parse(r.stdout).tests[0].runs[0] as { passed: boolean; observation: { output: string }; assertions: Array<{ passed: boolean; detail: string }> };
    expect(run.observation.output).toBe(ORDER_ANSWER);
    expect(run.passed).toBe(true);
    expect(run.assertions[0]).toMatchObject({ passed: true, detail: 'redacted by faq-pii-redact' });
  });
});
