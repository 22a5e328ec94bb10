// `promptctl test` on a guide: the cases go to the guide as session turns (AI Studio), against a
// real emulator on port 0 reached as a remote target.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { writeChecks } from '../integration/aistudio-support.js';

const GUIDE = `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Returns helper
spec:
  instruction: "Help {{Variable.first_name}} return an order."
  variables:
    - name: first_name
      type: String
      scope: Input
`;

const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: returns-helper
spec:
  target:
    guide: Returns helper
  cases:
    - name: label
      vars:
        first_name: Sam
      messages:
        - role: user
          content: I want to return my order.
        - role: user
          content: It is order AC-12345678.
      expect:
        - contains: return label
        - maxOutputTokens: 50
    - name: refund question
      vars:
        first_name: Sam
      messages:
        - role: user
          content: When do I get my money?
      expect:
        - contains: return label
`;

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = undefined;
  dir = undefined;
});

/** The guide GUIDE defines, made on the org as the SDK makes it. */
async function makeGuide(on: TestEmulator): Promise<void> {
  const ai = createAiStudioClient({ landed: writeChecks, apiUrl: on.url, loginUrl: on.url, clientId: 'local-client', clientSecret: 'local-secret', targetLabel: 'test' });
  try {
    const g = await ai.createGuide({ name: 'Returns helper', source: 'Manual' });
    await ai.patchGuideVersion(g.id, '1.0', { instruction: 'Help {{Variable.first_name}} return an order.', variables: [{ name: 'first_name', type: 'String', scope: 'Input' }] });
  } finally {
    await ai.close();
  }
}

it('runs each case as session turns on the guide, answers from the guide, and caches the results', async () => {
  emu = await startTestEmulator({
    responses: [{ match: { template: 'Returns helper', contains: 'AC-12345678' }, output: 'Thanks Sam, your return label is on its way.' }],
  });
  await makeGuide(emu);
  dir = await tempDir('promptctl-guide-test-');
  await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), GUIDE);
  await writeFile(join(dir.path, 'prompts', 'tests', 'guide.yaml'), TEST);

  const r = await runCliInProcess(['test', '--format', 'json'], { cwd: dir.path, env: emu.env });
  expect(r.code, r.stderr).toBe(1);
  const t = JSON.parse(r.stdout).tests[0];
  expect(t).toMatchObject({ name: 'returns-helper', kind: 'guide', target: 'guide "Returns helper"', rate: { passed: 1, total: 2 } });
  const [label, refund] = t.runs;
  // The last turn's answer is the output; the guide's version is the one that answered.
  expect(label).toMatchObject({ version: '1.0', passed: true, observation: { outcome: 'answered', output: 'Thanks Sam, your return label is on its way.', usageApproximate: true } });
  expect(label.assertions.map((a: { passed: boolean }) => a.passed)).toEqual([true, true]);
  expect(refund.passed).toBe(false);
  expect(refund.assertions[0].detail).toMatch(/^not found in "/);

  const again = JSON.parse((await runCliInProcess(['test', '--format', 'json'], { cwd: dir.path, env: emu.env })).stdout);
  // Counted in turns, as the calls sent are: the first case's two and the second's one.
  expect([again.invocations, again.cached]).toEqual([0, 3]);
});

// A review found a guide's answer counted with o200k_base whatever `model` the guide declares
// (DESIGN §2: "for token counting only"): a maxOutputTokens under gpt-4 (cl100k_base) passed on
// the smaller count. It is counted with the declared model's encoding, and a change of model
// makes the call again (the count is part of the cached result).
it("counts a guide's answer with its declared model's encoding, and calls again when the model changes", async () => {
  const answer = 'こんにちは、キムさん。ご注文の返品をお手伝いします。返品ラベルをメールでお送りしました。';
  emu = await startTestEmulator({ responses: [{ match: { template: 'Returns helper' }, output: answer }] });
  await makeGuide(emu);
  const { getEncoding } = await import('js-tiktoken');
  const cl100k = getEncoding('cl100k_base').encode(answer).length;
  const o200k = getEncoding('o200k_base').encode(answer).length;
  expect(cl100k).toBeGreaterThan(o200k);
  const limit = Math.floor((cl100k + o200k) / 2);
  dir = await tempDir('promptctl-guide-model-');
  await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
  const test = TEST.replace('maxOutputTokens: 50', `maxOutputTokens: ${limit}`);
  await writeFile(join(dir.path, 'prompts', 'tests', 'guide.yaml'), test);
  const runWith = async (model: string) => {
    await writeFile(join(dir!.path, 'prompts', 'guide.yaml'), GUIDE.replace('spec:\n', `spec:\n  model: ${model}\n`));
    const r = await runCliInProcess(['test', '--format', 'json'], { cwd: dir!.path, env: emu!.env });
    return JSON.parse(r.stdout) as { invocations: number; tests: Array<{ runs: Array<{ observation: { usage: { completionTokens: number } }; assertions: Array<{ passed: boolean }> }> }> };
  };
  const gpt4 = await runWith('gpt-4');
  const label = gpt4.tests[0]!.runs[0]!;
  expect(label.observation.usage.completionTokens).toBe(cl100k);
  expect(label.assertions[1]!.passed).toBe(false);
  const gpt4o = await runWith('gpt-4o');
  expect(gpt4o.invocations).toBeGreaterThan(0);
  expect(gpt4o.tests[0]!.runs[0]!.observation.usage.completionTokens).toBe(o200k);
  expect(gpt4o.tests[0]!.runs[0]!.assertions[1]!.passed).toBe(true);
});
