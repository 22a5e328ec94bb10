// drift's closing line says how to put the target back as git has it. In a protected environment
// apply takes only a saved plan file (DESIGN §6), so "`promptctl apply --env prod` puts the target
// back" sent the user to a command that is refused. There the next step is the plan saved for
// review and that file applied, with --prune for the deletes waiting for prune; the test follows
// the commands the line names, as a user would, and drift then finds nothing.
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0, billingVersion } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_D_STAGING}
    prod: {credentials: PCTL_D_PROD, protected: true}
  promotion: [staging, prod]
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await tempDir('promptctl-drift-protected-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
  await writeFile(join(dir.path, 'prompts/billing-1.1.yaml'), billingVersion('1.1.0', 'You answer billing questions briefly.'));
  // Staging runs every version first, so prod's plans pass the promotion check.
  expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
});
afterEach(async () => {
  await dir.remove();
});

/** The commands a drift line names in backticks, as argument lists after `promptctl`. */
function namedCommands(line: string): string[][] {
  return [...line.matchAll(/`promptctl ([^`]+)`/g)].map((m) => m[1]!.split(' '));
}

describe('drift in a protected environment', () => {
  it('names the saved plan and its apply, which put the target back, never a bare apply prod refuses', async () => {
    const drift = await cli(['drift', '--env', 'prod']);
    expect(drift.code, drift.stderr).toBe(2);
    const line = drift.stderr.split('\n').find((l) => l.startsWith('Drift: '))!;
    expect(line).toContain(
      'Drift: 3 differences between the target and git. `promptctl plan --env prod --out plan.json`, reviewed, then `promptctl apply --env prod plan.json` puts the target back as git has it;',
    );
    expect(line).not.toMatch(/`promptctl apply --env prod`/);
    // What the line says, run as it says it: prod takes it, and then matches git.
    const [plan, apply] = namedCommands(line);
    expect(plan).toEqual(['plan', '--env', 'prod', '--out', 'plan.json']);
    expect((await cli(plan!)).code).toBe(0);
    const applied = await cli(apply!);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await cli(['drift', '--env', 'prod'])).code).toBe(0);
  });

  it('names the saved plan made with --prune for the deletes waiting for prune', async () => {
    await cli(['plan', '--env', 'prod', '--out', 'plan.json']);
    expect((await cli(['apply', '--env', 'prod', 'plan.json'])).code).toBe(0);
    await unlink(join(dir.path, 'prompts/billing-1.1.yaml'));
    const drift = await cli(['drift', '--env', 'prod']);
    expect(drift.code, drift.stderr).toBe(2);
    const line = drift.stderr.split('\n').find((l) => l.startsWith('Drift: '))!;
    expect(line).toContain(
      '`promptctl plan --env prod --prune --out plan.json`, reviewed, then `promptctl apply --env prod --prune plan.json` makes the 1 delete waiting for prune;',
    );
    const [plan, apply] = namedCommands(line);
    expect((await cli(plan!)).code).toBe(0);
    const applied = await cli(apply!);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await readFile(join(dir.path, '.promptctl/envs/prod/audit.jsonl'), 'utf8')).toContain('"address":"PromptVersion/billing@1.1.0","action":"retire"');
    expect((await cli(['drift', '--env', 'prod'])).code).toBe(0);
  });

  it('still names the plain apply where the environment is not protected', async () => {
    await unlink(join(dir.path, 'prompts/billing-1.1.yaml'));
    await writeFile(join(dir.path, 'prompts/billing-1.2.yaml'), billingVersion('1.2.0', 'You answer billing questions kindly.'));
    const drift = await cli(['drift', '--env', 'staging']);
    expect(drift.code, drift.stderr).toBe(2);
    expect(drift.stderr).toContain(
      '`promptctl apply --env staging` puts the target back as git has it, and `promptctl apply --env staging --prune` also makes the 1 delete waiting for prune;',
    );
  });
});
