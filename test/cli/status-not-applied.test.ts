// status of a template git defines and the target does not hold yet, on an org that holds
// others: said as such, with the plan and apply that create it (this run's --env and --dir
// kept), not as an unknown name; as run says it (run-not-applied.test.ts).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_H_STAGING}
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await promptsIn('promptctl-status-not-applied-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 }, 'team');
});
afterEach(async () => {
  await dir.remove();
});

describe('status of a template git defines, not applied yet', () => {
  it('says git defines it and names the plan and apply of its --env and --dir', async () => {
    expect((await cli(['apply', '--env', 'staging', '--dir', 'team', '--auto-approve'])).code).toBe(0);
    await writeFile(join(dir.path, 'team/refunds.yaml'), BILLING_1_0.replaceAll('billing', 'refunds'));
    const status = await cli(['status', 'refunds', '--env', 'staging', '--dir', 'team']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(
      'error: no prompt template "refunds" on the target yet: git defines it (team/refunds.yaml:2:1), and the next apply creates it: run `promptctl plan --env staging --dir team`, review it, then `promptctl apply --env staging --dir team`\n',
    );
    expect(status.stderr).not.toContain('    at ');
    // A name git does not define is still unknown, with its suggestion.
    const typo = await cli(['status', 'billng', '--env', 'staging', '--dir', 'team']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('error: no prompt template "billng" on the target (did you mean "billing"?)');
    expect(typo.stderr).not.toContain('git defines');
  });
});
