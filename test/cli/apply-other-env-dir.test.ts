// A saved plan applied to another environment than it was planned for is refused with the command
// that applies it where it belongs: `promptctl apply --env dev FILE`. That command left out the
// prompts directory the plan was made from: planned with `--dir p`, the copied command read
// `prompts/`, which does not exist (or holds other documents), and was refused again. It now names
// the plan's own --dir (the file says it), and a plan made without --env, applied with one, is
// told the same way. (Since: both orgs named, and the plan to make for this target after it.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_OTHER_ENV_DEV}
    staging: {credentials: PCTL_OTHER_ENV_STAGING}
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await promptsIn('promptctl-apply-other-env-dir-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 });
});
afterEach(async () => {
  await dir.remove();
});

/** The command after the refusal's last colon, as words. */
function hinted(stderr: string): string[] {
  const m = /nothing was applied\. To apply it where it was planned(?:, without --env)?: `(promptctl apply [^`]*)`/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return m![1]!.split(' ').slice(1);
}

describe('a saved plan applied to another environment', () => {
  it('names the apply that takes it with the --dir it was planned from, and that command applies it', async () => {
    const planned = await cli(['plan', '--env', 'dev', '--dir', 'p', '--out', 'dev.json']);
    expect(planned.code, planned.stderr).toBe(0);
    const r = await cli(['apply', '--env', 'staging', '--dir', 'p', 'dev.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was applied. To apply it where it was planned: `promptctl apply --env dev --dir p dev.json`.');
    const applied = await cli(hinted(r.stderr));
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: 2 created/);
  });

  it('a plan made without --env, applied with one, is named with its --dir too', async () => {
    const planned = await cli(['plan', '--dir', 'p', '--out', 'plain.json']);
    expect(planned.code, planned.stderr).toBe(0);
    const r = await cli(['apply', '--env', 'dev', '--dir', 'p', 'plain.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was applied. To apply it where it was planned, without --env: `promptctl apply --dir p plain.json`.');
    const applied = await cli(hinted(r.stderr));
    expect(applied.code, applied.stderr).toBe(0);
  });
});
