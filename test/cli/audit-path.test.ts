// `promptctl audit path [--env NAME]`: where apply keeps the audit trail, for a script (apply.yml)
// that carries it from run to run. With audit.file in promptctl.yaml, `apply --env dev` writes that
// file and no .promptctl/envs/dev/audit.jsonl: a CI job that assumed the latter never carried the
// trail. The path printed is the one apply wrote, whichever promptctl.yaml says.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const config = (audit: string): string => `apiVersion: promptctl/v1
kind: Config
spec:
${audit}  environments:
    dev: {credentials: PCTL_AUDIT_PATH_DEV}
`;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});
const setUp = async (audit: string): Promise<TempDir> => (dir = await promptsIn('promptctl-audit-path-', { 'promptctl.yaml': config(audit), 'billing.yaml': BILLING_1_0 }));
const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });

describe('audit path', () => {
  it('prints the trail apply --env wrote: audit.file when promptctl.yaml names one', async () => {
    await setUp('  audit: {file: trail.jsonl}\n');
    const applied = await cli(['apply', '--env', 'dev', '--dir', 'p', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const r = await cli(['audit', 'path', '--env', 'dev', '--dir', 'p']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'trail.jsonl\n', '']);
    expect(existsSync(join(dir!.path, 'trail.jsonl'))).toBe(true);
    expect(existsSync(join(dir!.path, '.promptctl/envs/dev/audit.jsonl'))).toBe(false);
    expect((await cli(['audit', 'path', '--dir', 'p'])).stdout).toBe('trail.jsonl\n');
  });

  it("each environment's own trail by default; outside the working directory, absolute", async () => {
    await setUp('');
    expect((await cli(['audit', 'path', '--env', 'dev', '--dir', 'p'])).stdout).toBe('.promptctl/envs/dev/audit.jsonl\n');
    expect((await cli(['audit', 'path', '--dir', 'p'])).stdout).toBe('.promptctl/audit.jsonl\n');
    await dir!.remove();
    await setUp('  audit: {file: ../kept/trail.jsonl}\n');
    expect((await cli(['audit', 'path', '--env', 'dev', '--dir', 'p'])).stdout).toBe(`${join(realpathSync(join(dir!.path, '..')), 'kept', 'trail.jsonl')}\n`);
  });

  it('an unknown environment is an error, and nothing is printed on stdout', async () => {
    await setUp('');
    const r = await cli(['audit', 'path', '--env', 'prod', '--dir', 'p']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toMatch(/unknown environment "prod"/);
  });

  it('says an invalid promptctl.yaml leaves the trail unknown, in its own words (a review: it said "nothing was verified")', async () => {
    await setUp('  bogus: 1\n');
    const r = await cli(['audit', 'path', '--dir', 'p']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/p\/promptctl\.yaml is not valid \(run `promptctl validate --dir p`\), so the audit file it names is not known; nothing was printed/);
    expect(r.stderr).not.toMatch(/verif/);
  });
});
