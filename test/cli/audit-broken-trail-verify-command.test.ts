// An apply refused at a broken audit trail says to see it with `promptctl audit verify`. Under
// --env that command was bare: copied, it checked the default trail (.promptctl/audit.jsonl,
// another file) and printed "ok: … chain intact" (a review). It now keeps the run's --env and
// --dir, so the copied command checks the trail the apply refused; an empty line in the trail
// named the same bare command, and does no more. A caller that words no command (audit/ knows no
// CLI flags) has the file named: `promptctl audit verify FILE`.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/log.js';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_BROKEN_TRAIL_DEV}
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });
const DEV_TRAIL = '.promptctl/envs/dev/audit.jsonl';

beforeEach(async () => {
  dir = await promptsIn('promptctl-broken-trail-verify-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 }, 'cfg/gw');
  // Both trails hold records: the default one (no --env) and dev's own.
  for (const env of [['--env', 'dev'], []]) {
    const r = await cli(['apply', '--dir', 'cfg/gw', ...env, '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
  }
});
afterEach(async () => {
  await dir.remove();
});

/** Rewrites line `n` (1-based) of dev's trail. */
async function editLine(n: number, edit: (line: string) => string): Promise<void> {
  const path = join(dir.path, DEV_TRAIL);
  const lines = (await readFile(path, 'utf8')).split('\n');
  lines[n - 1] = edit(lines[n - 1]!);
  await writeFile(path, lines.join('\n'));
}

/** The `promptctl audit verify …` a refusal names, as words. */
function verifyNamed(stderr: string): string[] {
  const m = /`(promptctl audit verify[^`]*)`/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return m![1]!.split(' ').slice(1);
}

describe('apply --env at a broken audit trail', () => {
  it('names the audit verify of that trail, and the copied command finds the break', async () => {
    await editLine(3, (l) => l.replace('"seq":3', '"seq":33'));
    const r = await cli(['apply', '--dir', 'cfg/gw', '--env', 'dev', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the audit chain is broken (seq 33 where 3 was expected)');
    expect(r.stderr).toContain('See it with `promptctl audit verify --env dev --dir cfg/gw`, keep the file as evidence');
    const verified = await cli(verifyNamed(r.stderr));
    expect(verified.code, verified.stdout).toBe(1);
    expect(verified.stderr).toContain(`${DEV_TRAIL}:3: error: broken audit chain`);
  });

  it('an empty line: the command that checks the rest is that trail’s too', async () => {
    await editLine(2, (l) => `${l}\n`);
    const r = await cli(['apply', '--dir', 'cfg/gw', '--env', 'dev', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('(`promptctl audit verify --env dev --dir cfg/gw` checks the rest)');
    const verified = await cli(verifyNamed(r.stderr));
    expect(verified.code).toBe(1);
    expect(verified.stderr).toContain(`${DEV_TRAIL}:3:`);
  });

  it('opened by a caller that words no command: the file is named', async () => {
    await editLine(3, (l) => l.replace('"seq":3', '"seq":33'));
    const path = join(dir.path, DEV_TRAIL);
    const err = await openAuditLog(path, { env: {}, onWarning: () => undefined }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toContain(`See it with \`promptctl audit verify ${path}\``);
  });
});
