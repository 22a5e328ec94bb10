// promote and rollback write git: what they write must leave the prompts valid in every
// environment, or nothing is written (a later rollback must not find files it cannot load).
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

// A version without customerName, which the billing tests send to every version the split routes.
const V120 = `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing-assistant
  version: "1.2.0"
  systemInstruction: "You answer billing questions."
  userTemplate: "Question: {{question}}"
  variables:
    - name: question
      type: string
      maxLength: 2000
`;

describe('promote', () => {
  it('refuses an edit that would leave the prompts invalid, writing nothing', async () => {
    dir = await tempDir('promptctl-promote-');
    await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    await writeFile(join(dir.path, 'prompts/billing-assistant/v1.2.0.yaml'), V120);
    const traffic = join(dir.path, 'prompts/billing-assistant/traffic.yaml');
    const before = await readFile(traffic, 'utf8');
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.2.0', '--weight', '30'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/prompts\/tests\/billing-\w+\.yaml:\d+:\d+: error: .*customerName/);
    expect(r.stderr).toMatch(/error: promote 1\.2\.0 to 30% would leave \d+ errors? in prompts \(listed above\): nothing was changed/);
    expect(await readFile(traffic, 'utf8')).toBe(before);
  });
});
