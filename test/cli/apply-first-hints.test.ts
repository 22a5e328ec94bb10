// run and status on a target that holds no template say to apply first. The hint is a command to
// copy, so it keeps the run's --env and --dir: without them it applies the plain GENESYSCLOUD_*
// target (or the default embedded org) from prompts/, not the environment just found empty. In a
// protected environment, which applies only a saved plan file (DESIGN §6), it names the saved
// plan and that file's apply, the bare apply being refused there.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_H_STAGING}
    prod: {credentials: PCTL_H_PROD, protected: true}
  promotion: [staging, prod]
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await tempDir('promptctl-apply-first-');
  await mkdir(join(dir.path, 'team'), { recursive: true });
  await writeFile(join(dir.path, 'team/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'team/billing.yaml'), BILLING_1_0);
});
afterEach(async () => {
  await dir.remove();
});

const STAGING = 'run `promptctl apply --env staging --dir team` first';
const PROD = 'run `promptctl plan --env prod --dir team --out plan.json`, review it, then `promptctl apply --env prod --dir team plan.json`';

describe('the hint to apply first', () => {
  it('run names the apply of its --env and --dir, and that command gives run its template', async () => {
    const run = await cli(['run', 'billing', '--env', 'staging', '--dir', 'team', '--var', 'question=hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: no prompt template "billing" on the target (it has none: ${STAGING})`);
    expect((await cli(['apply', '--env', 'staging', '--dir', 'team', '--auto-approve'])).code).toBe(0);
    expect((await cli(['run', 'billing', '--env', 'staging', '--dir', 'team', '--var', 'question=hi'])).code).toBe(0);
  });

  // From review: `run billing-asistant` on a never-applied target said to apply first, which never
  // creates that name, with no did-you-mean though git defines billing-assistant; `status nosuch` said
  // nothing of what to do. Apply is advised only for a name git defines.
  it('a name git does not define: no apply advised for it; the did-you-mean from git, or the names git defines', async () => {
    const typo = await cli(['run', 'billng', '--env', 'staging', '--dir', 'team', '--var', 'question=hi']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(
      `error: no prompt template "billng" on the target (it has none), nor in git; did you mean "billing"? git defines that one (team/billing.yaml:2:1): ${STAGING}\n`,
    );
    const status = await cli(['status', 'billng', '--env', 'staging', '--dir', 'team']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(`did you mean "billing"? git defines that one (team/billing.yaml:2:1): ${STAGING}\n`);
    for (const command of ['run', 'status']) {
      const none = await cli([command, 'nosuch', '--env', 'staging', '--dir', 'team']);
      expect(none.code, command).toBe(1);
      expect(none.stderr, command).toContain('error: no prompt template "nosuch" on the target (it has none), nor in git (it defines billing)\n');
    }
  });

  it('run in a protected environment names the saved plan and its apply', async () => {
    const run = await cli(['run', 'billing', '--env', 'prod', '--dir', 'team', '--var', 'question=hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`(it has none: ${PROD})`);
  });

  it('status names it in text and markdown, as a code span in markdown', async () => {
    const text = await cli(['status', '--env', 'staging', '--dir', 'team']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`No template on the target (it has none: ${STAGING}).`);
    const md = await cli(['status', '--env', 'prod', '--dir', 'team', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('`promptctl plan --env prod --dir team --out plan.json`, review it, then `promptctl apply --env prod --dir team plan.json`).');
  });

  it('keeps the plain apply without --env and --dir', async () => {
    const status = await cli(['status']);
    expect(status.stdout).toContain('No template on the target (it has none: run `promptctl apply` first).');
  });
});
