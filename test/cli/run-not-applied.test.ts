// run of a template git defines and the target does not hold yet, on an org that holds others:
// said as such, with the plan and apply that create it (this run's --env and --dir kept; a
// protected environment's saved plan and its apply), not as an unknown name.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0, billingVersion } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_H_STAGING}
    prod: {credentials: PCTL_H_PROD, protected: true}
  promotion: [staging, prod]
`;

const REFUNDS = BILLING_1_0.replaceAll('billing', 'refunds');

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await promptsIn('promptctl-run-not-applied-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 }, 'team');
});
afterEach(async () => {
  await dir.remove();
});

describe('run of a template git defines, not applied yet', () => {
  it('says git defines it and names the plan and apply of its --env and --dir', async () => {
    expect((await cli(['apply', '--env', 'staging', '--dir', 'team', '--auto-approve'])).code).toBe(0);
    await writeFile(join(dir.path, 'team/refunds.yaml'), REFUNDS);
    const run = await cli(['run', 'refunds', '--env', 'staging', '--dir', 'team', '--var', 'question=hi']);
    expect(run.code).toBe(1);
    const message =
      'no prompt template "refunds" on the target yet: git defines it (team/refunds.yaml:2:1), and the next apply creates it: run `promptctl plan --env staging --dir team`, review it, then `promptctl apply --env staging --dir team`';
    expect(run.stderr).toContain(`error: ${message}\n`);
    expect(run.stderr).not.toContain('    at ');
    const json = await cli(['run', 'refunds', '--env', 'staging', '--dir', 'team', '--var', 'question=hi', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({ error: message, diagnostics: [] });

    // A name git does not define is still unknown, with its suggestion.
    const typo = await cli(['run', 'billng', '--env', 'staging', '--dir', 'team', '--var', 'question=hi']);
    expect(typo.stderr).toContain('error: no prompt template "billng" on the target (did you mean "billing"?)');
    expect(typo.stderr).not.toContain('git defines');

    // The command named creates it.
    expect((await cli(['apply', '--env', 'staging', '--dir', 'team', '--auto-approve'])).code).toBe(0);
    expect((await cli(['run', 'refunds', '--env', 'staging', '--dir', 'team', '--var', 'question=hi'])).code).toBe(0);
  });

  it('says so of a version git defines that the target does not hold yet', async () => {
    expect((await cli(['apply', '--env', 'staging', '--dir', 'team', '--auto-approve'])).code).toBe(0);
    await writeFile(join(dir.path, 'team/billing-1.1.yaml'), billingVersion('1.1.0', 'You answer billing questions briefly.'));
    const run = await cli(['run', 'billing@1.1.0', '--env', 'staging', '--dir', 'team', '--var', 'question=hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: template "billing" has no version 1.1.0 on the target yet: git defines it (team/billing-1.1.yaml:2:1), and the next apply creates it: run `promptctl plan --env staging --dir team`, review it, then `promptctl apply --env staging --dir team`\n',
    );
    // A version git does not define either is still unknown, with what the target publishes.
    const typo = await cli(['run', 'billing@1.2.0', '--env', 'staging', '--dir', 'team', '--var', 'question=hi']);
    expect(typo.stderr).toContain('error: template "billing" has no version 1.2.0 on the target; published: 1.0.0\n');
    expect((await cli(['apply', '--env', 'staging', '--dir', 'team', '--auto-approve'])).code).toBe(0);
    expect((await cli(['run', 'billing@1.1.0', '--env', 'staging', '--dir', 'team', '--var', 'question=hi'])).code).toBe(0);
  });

  it('names the saved plan and its apply in a protected environment', async () => {
    // Promoted through staging, as prod's plan asks.
    expect((await cli(['apply', '--env', 'staging', '--dir', 'team', '--auto-approve'])).code).toBe(0);
    expect((await cli(['plan', '--env', 'prod', '--dir', 'team', '--out', 'plan.json'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'prod', '--dir', 'team', 'plan.json', '--auto-approve'])).code).toBe(0);
    await writeFile(join(dir.path, 'team/refunds.yaml'), REFUNDS);
    const run = await cli(['run', 'refunds', '--env', 'prod', '--dir', 'team', '--var', 'question=hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'the next apply creates it: run `promptctl plan --env prod --dir team --out plan.json`, review it, then `promptctl apply --env prod --dir team plan.json`\n',
    );
  });
});
