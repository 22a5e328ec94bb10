// `audit verify --help` said the default trail was "with --env NAME that environment's own trail,
// else audit.file of promptctl.yaml", but audit.file, when set, is the one trail every environment
// shares (README), and `audit verify --env dev` checks it; `audit --help` did not name audit.file
// for verify at all (a review). Both say it first now, as apply chooses, and it is what they do.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  audit: {file: shared-trail.jsonl}
  environments:
    dev: {credentials: PCTL_AUDIT_HELP_DEV}
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });
/** Help text as one line: commander wraps it at its width. */
const flat = (s: string): string => s.replace(/\s+/g, ' ');

const ORDER = "audit.file of the --dir's promptctl.yaml when it names one, shared by every environment; else .promptctl/envs/NAME/audit.jsonl with --env NAME; else .promptctl/audit.jsonl";

beforeEach(async () => {
  dir = await promptsIn('promptctl-audit-help-shared-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 }, 'cfg/gw');
});
afterEach(async () => {
  await dir.remove();
});

describe('audit help: which trail is checked by default', () => {
  it('audit verify --help and audit --help put audit.file first, shared by every environment', async () => {
    const verify = flat((await cli(['audit', 'verify', '--help'])).stdout);
    expect(verify).toContain(`check the hash chain of the audit trail apply writes (${ORDER}), or of FILE`);
    expect(verify).not.toContain("that environment's own trail, else audit.file");
    const audit = flat((await cli(['audit', '--help'])).stdout);
    expect(audit).toContain(`verify [options] [file] check the hash chain of the audit trail apply writes (${ORDER}), or of FILE`);
    expect(audit).toContain(`print where apply keeps the audit trail (${ORDER})`);
  });

  it('as the help says: with audit.file set, --env dev checks the shared trail apply wrote', async () => {
    const applied = await cli(['apply', '--dir', 'cfg/gw', '--env', 'dev', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const r = await cli(['audit', 'verify', '--dir', 'cfg/gw', '--env', 'dev']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok: shared-trail\.jsonl: \d+ records, chain intact/);
  });
});
