// export checks what it writes with the prompts directory's promptctl.yaml (export-config.ts). An
// error of that file's own (`prune: yes`, a duplicate key) was said at --out's promptctl.yaml, a file
// export never writes ("adopted/promptctl.yaml:4:10: error: spec.prune must be true or false…"),
// then blamed on the org ("the export does not validate … the org holds something git cannot
// take"), exit 0. It is the user's: said at prompts/promptctl.yaml and refused before the org is
// read, nothing written, exit 1, as --env refuses an invalid promptctl.yaml.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

const CONFIG = 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  prune: false\n  environments:\n    dev: {credentials: PCTL_EXPORT_INVALID_DEV}\n';

/** A project whose org holds billing 1.0.0 (applied with a valid promptctl.yaml), then promptctl.yaml as `config`. */
async function project(config: string): Promise<(args: string[]) => ReturnType<typeof runCliInProcess>> {
  emu = await startTestEmulator({});
  dir = await promptsIn('promptctl-export-config-invalid-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 }, 'prompts');
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
  expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), config);
  return cli;
}

describe("export with the prompts directory's promptctl.yaml invalid", () => {
  it('says its errors at it and refuses, before anything is written (prune: yes, a duplicate key)', { timeout: 60_000 }, async () => {
    const cli = await project(CONFIG.replace('prune: false', 'prune: yes'));
    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^prompts\/promptctl\.yaml:4:10: error: spec\.prune must be true or false, not "yes".*\[schema\/type\]$/m);
    expect(r.stderr).toContain('error: export checks what it writes with prompts/promptctl.yaml, which is not valid (1 error, above); nothing was done');
    expect(r.stderr).not.toContain('adopted/promptctl.yaml');
    expect(r.stderr).not.toMatch(/does not validate|the org holds/);
    expect(existsSync(join(dir!.path, 'adopted'))).toBe(false);

    await writeFile(join(dir!.path, 'prompts/promptctl.yaml'), CONFIG.replace('  prune: false\n', '  prune: false\n  prune: true\n'));
    const twice = await cli(['export', '--out', 'adopted']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^prompts\/promptctl\.yaml:5:3: error: duplicate key "prune"; first defined on line 4 \[yaml\/duplicate-key\]$/m);
    expect(twice.stderr).not.toContain('adopted/');
    expect(existsSync(join(dir!.path, 'adopted'))).toBe(false);
  });

  // --env refused a promptctl.yaml the schema refuses; one validate refuses beyond it reached the export's check.
  it('with --env too, an error validate finds beyond the schema (an audit sink without secretEnv) is the config’s', { timeout: 60_000 }, async () => {
    const cli = await project(CONFIG.replace('  prune: false\n', '  audit:\n    http: [{url: "https://audit.example.com/p"}]\n'));
    const r = await cli(['export', '--env', 'dev', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^prompts\/promptctl\.yaml:5:18: error: audit sink 1: no secretEnv.*\[config\/audit-sink\]$/m);
    expect(r.stderr).toContain('which is not valid (1 error, above); nothing was done');
    expect(r.stderr).not.toMatch(/adopted\/promptctl\.yaml|does not validate/);
    expect(existsSync(join(dir!.path, 'adopted'))).toBe(false);
  });

  it('a valid one is no refusal: the export is written and checked with it', { timeout: 60_000 }, async () => {
    const cli = await project(CONFIG);
    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('exported 1 template, 1 version');
    expect(r.stderr).not.toMatch(/error|does not validate/);
  });
});
