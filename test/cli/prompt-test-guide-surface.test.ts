// `promptctl test` of a guide on an org that does not serve AI Studio guides (404), or refuses to
// list them (to a client without the right, 403; guides switched off, a 5xx): each guide case is an error that says why, and the run
// ends with its report (exit 1), rather than stopping at the listing's raw error with no report.
// Against a real emulator on port 0.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../src/emulator/server.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { RETURNS_GUIDE } from '../helpers/guide-yaml.js';

const GUIDE = RETURNS_GUIDE;

const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: returns-helper
spec:
  target:
    guide: Returns helper
  cases:
    - name: label
      messages:
        - role: user
          content: I want to return my order.
      expect:
        - contains: return label
    - name: refund
      messages:
        - role: user
          content: When do I get my money?
      expect:
        - contains: refund
`;

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = undefined;
  dir = undefined;
});

/** A template test beside the guide's (its template not applied: not run, but in the report). */
const TEMPLATE = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing
  version: "1.0.0"
  systemInstruction: Be brief.
  userTemplate: "Hi"
---
apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: billing-test
spec:
  target: {template: billing}
  cases:
    - name: hello
      expect:
        - contains: hi
`;

async function run(options: EmulatorOptions, format: string, beside = '') {
  emu = await startTestEmulator(options);
  dir = await tempDir('promptctl-guide-surface-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), GUIDE);
  await writeFile(join(dir.path, 'prompts', 'test.yaml'), TEST);
  if (beside) await writeFile(join(dir.path, 'prompts', 'beside.yaml'), beside);
  return runCliInProcess(['test', '--format', format], { cwd: dir.path, env: emu.env });
}

it('an org without the AI Studio guides API: each case is an error saying so, in the report', async () => {
  const r = await run({ surfaces: { guides: false } }, 'json');
  expect(r.code).toBe(1);
  expect(r.stderr).not.toMatch(/^error:/m);
  const t = JSON.parse(r.stdout).tests[0];
  expect(t.rate).toMatchObject({ passed: 0, total: 2 });
  const said = 'the target does not serve the AI Studio guides API (404), so guide "Returns helper" cannot be tested on it';
  expect(t.runs.map((x: { observation: { outcome: string; error: { message: string } } }) => [x.observation.outcome, x.observation.error.message])).toEqual([
    ['error', said],
    ['error', said],
  ]);
});

it('a client without the right to list guides (403): each case is an error naming the right, in the report', async () => {
  const r = await run({ refuse: { guides: 403 } }, 'text', TEMPLATE);
  expect(r.code).toBe(1);
  expect(r.stderr).not.toMatch(/^error:/m);
  expect(r.stdout).toContain(
    '  ! label: missing.any.permissions: the target refused to list its AI Studio guides (403 missing.any.permissions), so guide "Returns helper" cannot be tested with this client: it needs aiStudio:guide:view',
  );
  // The template test beside it is reported too.
  expect(r.stdout).toContain('PromptTest/billing-test → billing');
});

it('an org whose guide listing fails (guides switched off, 501): the cases are errors in the target\'s words', async () => {
  const r = await run({ refuse: { guides: 501 } }, 'text');
  expect(r.code).toBe(1);
  expect(r.stderr).not.toMatch(/^error:/m);
  // Its status beside its code (a failed call's line names both).
  expect(r.stdout).toMatch(/^ {2}! label: 501 [\w.]+: guide "Returns helper" could not be looked up: .+$/m);
  expect(r.stdout).toContain('pass rate 0 % (0/2), threshold 100 %: NOT met');
});
