// plan in a protected environment without --out: prod applies only a saved plan file (DESIGN §6),
// so the plan says so after it, naming the two commands that apply it, rather than the user
// learning it from apply's refusal. The test runs the commands the note names, as a user would.
import { execFileSync } from 'node:child_process';
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
    staging: {credentials: PCTL_N_STAGING}
    prod: {credentials: PCTL_N_PROD, protected: true}
  promotion: [staging, prod]
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await tempDir('promptctl-plan-protected-');
  await mkdir(join(dir.path, 'team'), { recursive: true });
  await writeFile(join(dir.path, 'team/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'team/billing.yaml'), BILLING_1_0);
  // Staging runs every version first, so prod's plans pass the promotion check.
  expect((await cli(['apply', '--env', 'staging', '--dir', 'team', '--auto-approve'])).code).toBe(0);
});
afterEach(async () => {
  await dir.remove();
});

/** The commands a line names in backticks, as argument lists after `promptctl`. */
function namedCommands(line: string): string[][] {
  return [...line.matchAll(/`promptctl ([^`]+)`/g)].map((m) => m[1]!.split(' '));
}

const NOTE =
  'environment prod is protected: it applies only a saved, reviewed plan file. To apply this plan, run `promptctl plan --env prod --dir team --out plan.json`, review it, then `promptctl apply --env prod --dir team plan.json`';

describe('plan in a protected environment without --out', () => {
  it('names the saved plan and its apply after a text plan, and those commands apply it', async () => {
    const plan = await cli(['plan', '--env', 'prod', '--dir', 'team']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Plan: 2 to create');
    expect(plan.stderr).toContain(NOTE);
    const [save, apply] = namedCommands(plan.stderr.split('\n').find((l) => l.startsWith('environment prod is protected'))!);
    expect((await cli(save!)).code).toBe(0);
    const applied = await cli(apply!);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await cli(['plan', '--env', 'prod', '--dir', 'team', '--detailed-exitcode'])).code).toBe(0);
  });

  it('says it with a markdown plan too (on stderr: stdout is the comment alone), never with JSON', async () => {
    const md = await cli(['plan', '--env', 'prod', '--dir', 'team', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stderr).toContain(NOTE);
    expect(md.stdout).not.toContain('is protected');
    const json = await cli(['plan', '--env', 'prod', '--dir', 'team', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).not.toContain('is protected');
  });

  it('with --changed-since, says the file to save is the whole plan, not the part shown', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir.path, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    // The config committed, the template not yet: the plan shows what the new file defines.
    git('add', 'team/promptctl.yaml');
    git('commit', '-q', '-m', 'config');
    const plan = await cli(['plan', '--env', 'prod', '--dir', 'team', '--changed-since', 'HEAD']);
    expect(plan.stdout).toContain('Plan: 2 to create');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain(
      'environment prod is protected: it applies only a saved, reviewed plan file, and one saved whole (this plan shows only what files changed since HEAD define). To apply, run `promptctl plan --env prod --dir team --out plan.json`, review it, then `promptctl apply --env prod --dir team plan.json`',
    );
    expect(plan.stderr).not.toContain('To apply this plan');
  });

  it('says nothing with --out, when nothing changes, and in an unprotected environment', async () => {
    const saved = await cli(['plan', '--env', 'prod', '--dir', 'team', '--out', 'plan.json']);
    expect(saved.stderr).not.toContain('is protected');
    expect((await cli(['apply', '--env', 'prod', '--dir', 'team', 'plan.json'])).code).toBe(0);
    const none = await cli(['plan', '--env', 'prod', '--dir', 'team']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stderr).not.toContain('is protected');
    const staging = await cli(['plan', '--env', 'staging', '--dir', 'team']);
    expect(staging.stderr).not.toContain('is protected');
  });
});
