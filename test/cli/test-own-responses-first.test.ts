// A test's own `responses:` answer its own calls before the other tests' (from a new-user review):
// the embedded emulator pooled every test's canned answers in file order, so billing-smoke's
// broader answer (earlier in file order) answered cmp-days' calls on 1.1.0 too, where cmp-days
// gives its own. The other tests' answers stay the fallback: 1.0.0, which cmp-days gives none
// for, is still answered by billing-smoke's.
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let example: TempDir | undefined;
afterEach(async () => {
  await example?.remove();
  example = undefined;
});

const OWN_ANSWER = 'Refunds take 5 to 10 days.';

const CMP_DAYS = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: cmp-days
spec:
  target:
    template: billing-assistant
  threshold: 0.5
  responses:
    - match: {version: "1.1.0"}
      output: ${JSON.stringify(OWN_ANSWER)}
  cases:
    - name: refund days
      vars:
        customerName: Sam
        question: How long does a refund take?
      expect:
        - contains: "5 to 10 days"
`;

describe("promptctl test: a test's own responses first", () => {
  it('answers cmp-days on 1.1.0 with its own answer, not billing-smoke\'s earlier broader one, and 1.0.0 from the pool', { timeout: 60_000 }, async () => {
    example = await tempDir('promptctl-own-responses-');
    await cp(join(REPO, 'prompts'), join(example.path, 'prompts'), { recursive: true });
    // After billing-smoke in file order.
    await writeFile(join(example.path, 'prompts/tests/cmp-days.yaml'), CMP_DAYS);
    const run = (args: string[]) => runCliInProcess(args, { cwd: example!.path });
    const validate = await run(['validate']);
    expect(validate.stdout + validate.stderr).not.toContain('response-shadowed');
    const apply = await run(['apply', '--auto-approve']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    const r = await run(['test', 'cmp-days', '--compare', '1.0.0,1.1.0', '--format', 'json']);
    expect(r.stderr.split('\n')[0]).toBe('target: embedded emulator (state .promptctl/local-state.json)');
    const runs = (JSON.parse(r.stdout).tests[0].runs as Array<{ version?: string; requested?: string; passed: boolean; observation: { output: string; canned?: unknown } }>);
    const byVersion = Object.fromEntries(runs.map((x) => [x.requested ?? x.version, x]));
    expect(byVersion['1.1.0']!.observation.output).toBe(OWN_ANSWER);
    expect(byVersion['1.1.0']!.passed).toBe(true);
    // No answer of its own for 1.0.0: billing-smoke's, the shared pool's, answers.
    expect(byVersion['1.0.0']!.observation.output).toMatch(/^Hi Sam, a refund reaches/);
    expect(byVersion['1.0.0']!.passed).toBe(false);
    // And the report says so: its numbers are another test's canned answer (a review: a --compare
    // column read 11× cheaper for it, with nothing saying why).
    const cmp = JSON.parse(r.stdout).tests[0] as { notes: string[]; runs: Array<{ observation: { canned?: { test?: string } } }> };
    expect(byVersion['1.0.0']!.observation).toMatchObject({ canned: { test: 'billing-smoke' } });
    // Its own answer is no other test's: nothing to say of it.
    expect(byVersion['1.1.0']!.observation.canned).toBeUndefined();
    expect(cmp.notes).toContain("1 of its calls was answered by a canned response of PromptTest billing-smoke's responses, not its own: its output, tokens and cost are that response's");
    expect((await run(['test', 'cmp-days', '--compare', '1.0.0,1.1.0'])).stdout).toContain("answered by a canned response of PromptTest billing-smoke's responses");

    // billing-smoke's own calls are untouched by cmp-days' answer.
    const smoke = JSON.parse((await run(['test', 'billing-smoke', '--format', 'json'])).stdout);
    expect(smoke.tests[0].runs[0].observation.output).toMatch(/^Hi Sam, a refund reaches/);
    expect(smoke.tests[0].notes.join('\n')).not.toContain('canned response');
  });
});
