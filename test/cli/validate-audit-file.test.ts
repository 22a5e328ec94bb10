// `audit: {file: "a\0b"}` in promptctl.yaml passed validate and plan; apply printed its plan, then
// failed taking the lock beside the trail: "error: internal: The argument 'path' must be … without
// null bytes", exit 1, no file:line:column and no rule; `audit path` printed the name. A path no
// file system takes is now refused at its value (config/audit-file, the check `{file:}` gets) by
// validate, plan and apply before anything, and by `audit path` and `audit verify`.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

// `\\0` in the source is YAML's escape: the value holds a NUL character.
const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  audit: {file: "a\\0b"}
  environments:
    dev: {credentials: PCTL_AUDIT_FILE_DEV}
`;
const AT_VALUE = /^p\/promptctl\.yaml:4:17: error: spec\.audit\.file contains a NUL character, which no file system takes in a path.*\[config\/audit-file\]$/m;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});
const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });

describe('audit.file no file system takes', () => {
  it('is refused at its value by validate, plan and apply, before anything is done', async () => {
    dir = await promptsIn('promptctl-audit-file-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 });
    const validated = await cli(['validate', '--dir', 'p']);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toMatch(AT_VALUE);
    for (const command of [['plan'], ['apply', '--auto-approve'], ['apply', '--env', 'dev', '--auto-approve']]) {
      const r = await cli([...command, '--dir', 'p']);
      expect(r.code, command.join(' ')).toBe(1);
      expect(r.stderr).toMatch(AT_VALUE);
      expect(r.stderr).not.toMatch(/internal|null bytes/);
      expect(r.stdout).not.toMatch(/Plan:/);
    }
    // Nothing was applied: the embedded org was never written.
    expect(existsSync(join(dir.path, '.promptctl/local-state.json'))).toBe(false);
    expect(existsSync(join(dir.path, '.promptctl/envs/dev/local-state.json'))).toBe(false);
  });

  it('is no trail to print or verify: audit path and audit verify refuse the config', async () => {
    dir = await promptsIn('promptctl-audit-file-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 });
    const path = await cli(['audit', 'path', '--dir', 'p']);
    expect([path.code, path.stdout]).toEqual([1, '']);
    expect(path.stderr).toMatch(/p\/promptctl\.yaml is not valid \(run `promptctl validate --dir p`\), so the audit file it names is not known; nothing was printed/);
    const verify = await cli(['audit', 'verify', '--dir', 'p']);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(/p\/promptctl\.yaml is not valid .*nothing was verified/);
    // With --env the environment's trail is that file: refused at its value, as every --env command refuses an invalid config.
    const env = await cli(['audit', 'path', '--env', 'dev', '--dir', 'p']);
    expect([env.code, env.stdout]).toEqual([1, '']);
    expect(env.stderr).toMatch(AT_VALUE);
  });
});
