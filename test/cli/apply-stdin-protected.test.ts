// A protected environment applies only a saved, reviewed plan file (DESIGN §6). `apply -` reads a
// plan from stdin, so `plan --env prod --format json | apply --env prod - --auto-approve` applied a
// plan no one had reviewed, made a moment before: it was taken, as `apply --env prod` alone is not.
// It is now refused as that is, before stdin is read, and the org is left as it was; so is a pipe
// named as the file (`apply --env prod /dev/stdin`, `<(promptctl plan ...)`). The saved file's way
// still applies.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    prod: {credentials: PCTL_STDIN_PROD, protected: true}
`;

let dir: TempDir;
const cli = (args: string[], input?: string): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path, ...(input !== undefined ? { input } : {}) });

beforeEach(async () => {
  dir = await promptsIn('promptctl-apply-stdin-protected-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 }, 'prompts');
});
afterEach(async () => {
  await dir.remove();
});

describe('apply - in a protected environment', () => {
  it('is refused as an apply without a saved plan file, and changes nothing', async () => {
    const planned = await cli(['plan', '--env', 'prod', '--format', 'json']);
    expect(planned.code, planned.stderr).toBe(0);
    const r = await cli(['apply', '--env', 'prod', '-', '--auto-approve'], planned.stdout);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: environment prod is protected: apply takes only a saved, reviewed plan file, and a plan piped to `apply -` is none (nothing shows it was reviewed). ' +
        'Run `promptctl plan --env prod --out plan.json`, review it, then `promptctl apply --env prod plan.json`; nothing was applied',
    );
    expect(r.stdout).toBe('');
    // Nothing was created: prod's embedded org was never written, and a plan still creates all.
    expect(existsSync(join(dir.path, '.promptctl/envs/prod/local-state.json'))).toBe(false);
    const again = await cli(['plan', '--env', 'prod']);
    expect(again.stdout).toMatch(/2 to create/);
  });

  it('refuses a pipe named as the plan file too, without reading it', async () => {
    const saved = await cli(['plan', '--env', 'prod', '--out', 'plan.json']);
    expect(saved.code, saved.stderr).toBe(0);
    const fifo = join(dir.path, 'plan.fifo');
    execFileSync('mkfifo', [fifo]);
    // A writer, so that an apply that read the pipe would go on (and apply) rather than wait.
    const writer = spawn('sh', ['-c', 'cat plan.json > plan.fifo'], { cwd: dir.path, stdio: 'ignore' });
    try {
      const r = await cli(['apply', '--env', 'prod', 'plan.fifo', '--auto-approve']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'error: environment prod is protected: apply takes only a saved, reviewed plan file, and plan.fifo is a pipe, not one (nothing shows it was reviewed). ' +
          'Run `promptctl plan --env prod --out plan.json`, review it, then `promptctl apply --env prod plan.json`; nothing was applied',
      );
      expect(existsSync(join(dir.path, '.promptctl/envs/prod/local-state.json'))).toBe(false);
    } finally {
      writer.kill();
    }
  });

  it('still applies the saved file the refusal names', async () => {
    const saved = await cli(['plan', '--env', 'prod', '--out', 'plan.json']);
    expect(saved.code, saved.stderr).toBe(0);
    const r = await cli(['apply', '--env', 'prod', 'plan.json', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete: 2 created');
  });
});
