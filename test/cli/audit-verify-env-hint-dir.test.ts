// `audit verify` without --env finds no default trail when the environments keep their own, and
// says which command verifies one: `promptctl audit verify --env dev`. Run with `--dir p`, that
// command left out --dir, so the copy looked for promptctl.yaml in `prompts/` to find environment
// dev and failed. It now keeps the run's --dir, and the command copied from the message verifies
// the environment's trail.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_AUDIT_HINT_DEV}
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await promptsIn('promptctl-audit-verify-env-hint-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 });
});
afterEach(async () => {
  await dir.remove();
});

describe('audit verify --dir p, where each environment keeps its own trail', () => {
  it('names the verify of an environment with --dir, and that command verifies its trail', async () => {
    const applied = await cli(['apply', '--env', 'dev', '--dir', 'p', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const r = await cli(['audit', 'verify', '--dir', 'p']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('each environment has its own trail: `promptctl audit verify --env dev --dir p` (configured: dev)');
    const named = /`(promptctl audit verify[^`]*)`/.exec(r.stderr)![1]!.split(' ').slice(1);
    const verified = await cli(named);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^ok: \.promptctl\/envs\/dev\/audit\.jsonl: \d+ records, chain intact/);
  });
});
