// validate --env prod checks prod's documents (DESIGN §6), but its summary line said only
// "N files checked: no problems found", the words of a run without --env: a pass for prod read
// like one for every environment. The line now names the environment checked.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0, billingVersion } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_V_STAGING}
    prod: {credentials: PCTL_V_PROD, protected: true}
  promotion: [staging, prod]
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await tempDir('promptctl-validate-env-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
});
afterEach(async () => {
  await dir.remove();
});

describe('validate --env', () => {
  it('names the environment whose documents it checked', async () => {
    const prod = await cli(['validate', '--env', 'prod']);
    expect(prod.code, prod.stderr).toBe(0);
    expect(prod.stderr).toContain('2 files checked for environment prod: no problems found');
    const all = await cli(['validate']);
    expect(all.stderr).toContain('2 files checked: no problems found');
  });

  it('names it with problems too', async () => {
    // A version of staging alone whose variable is written twice: an error in staging's documents only.
    const broken = billingVersion('1.1.0', 'You answer billing questions briefly.', 'staging').replace('    - {name: question', '    - {name: question, type: string}\n    - {name: question');
    await writeFile(join(dir.path, 'prompts/billing-1.1.yaml'), broken);
    const staging = await cli(['validate', '--env', 'staging']);
    expect(staging.code).toBe(1);
    expect(staging.stderr).toMatch(/3 files checked for environment staging: [1-9]\d* errors?, \d+ warnings?/);
  });
});
