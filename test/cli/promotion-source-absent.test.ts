// The promotion check of `plan --env prod` reads staging's org (DESIGN §6). Without credentials
// staging is its own embedded emulator; when nothing was ever applied to it, its state is absent
// and reads as an empty org. Before, the check started staging's emulator on that state: the
// login it took created .promptctl/envs/staging/ and its state file, a read-only command leaving
// an org behind for an environment it never applied to.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_A_STAGING}
    prod: {credentials: PCTL_A_PROD, protected: true}
  promotion: [staging, prod]
`;

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-promotion-absent-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
});
afterEach(async () => {
  await dir.remove();
});

describe("the promotion check reading an embedded staging that holds no state yet", () => {
  it('reads it as an empty org and leaves no state behind', async () => {
    const plan = await runCliInProcess(['plan', '--env', 'prod', '--format', 'json'], { cwd: dir.path });
    // Staging runs nothing yet: the version waits for it.
    expect(plan.code, plan.stderr).toBe(1);
    expect(plan.stderr).toMatch(/promotion: 0 of 1 version brought to prod is published in staging as prod would run it/);
    expect(JSON.parse(plan.stdout).problems).toEqual([expect.objectContaining({ address: 'PromptVersion/billing@1.0.0', rule: 'promotion/not-in-previous' })]);
    expect(existsSync(join(dir.path, '.promptctl/envs/staging'))).toBe(false);

    // Once staging holds its org, the check reads it as before (and a plan there changes nothing of it).
    expect((await runCliInProcess(['apply', '--env', 'staging', '--auto-approve'], { cwd: dir.path })).code).toBe(0);
    const after = await runCliInProcess(['plan', '--env', 'prod', '--format', 'json'], { cwd: dir.path });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toMatch(/promotion: 1 of 1 version brought to prod is published in staging as prod would run it/);
  });
});
