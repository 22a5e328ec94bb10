// `--env NAME` on a promptctl.yaml that passes its schema but whose environment settings are
// wrong (validate's environments/* errors: a credentials value that is a whole variable's name, a
// misspelt region, a promotion naming no environment): every command stops, naming the problem at
// its file:line:column, before any org is read. status, run and export went on: with dev's
// credentials spelt GENESYSCLOUD_DEV_OAUTHCLIENT_ID they read GENESYSCLOUD_DEV_OAUTHCLIENT_ID_* (never
// set), fell back to an empty embedded emulator and said "No template on the target." with exit 0;
// a misspelt region was said without its line.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-env-config-settings-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
});
afterEach(async () => {
  await dir.remove();
});

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_S_DEV}
    prod: {region: mypurecloud.com, credentials: PCTL_S_PROD, protected: true}
  promotion: [dev, prod]
`;

// The whole variable's name where the prefix belongs: dev's variables below are never read.
const WHOLE_NAME = CONFIG.replace('credentials: PCTL_S_DEV}', 'credentials: PCTL_S_DEV_OAUTHCLIENT_ID}');
const REGION_TYPO = CONFIG.replace('region: mypurecloud.com,', 'region: mypurecloud.comm,');
const DEV_VARS = { PCTL_S_DEV_OAUTHCLIENT_ID: 'dev-client', PCTL_S_DEV_OAUTHCLIENT_SECRET: 'dev-secret-value', PCTL_S_DEV_API_URL: 'http://127.0.0.1:9' };

describe('--env on a promptctl.yaml whose environment settings validate refuses', () => {
  it('status: a credentials value that is not a prefix stops at its line, no empty embedded org is read', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), WHOLE_NAME);
    const r = await runCliInProcess(['status', '--env', 'dev'], { cwd: dir.path, env: { ...DEV_VARS } });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^prompts\/promptctl\.yaml:5:24: error: credentials of environment dev is "PCTL_S_DEV_OAUTHCLIENT_ID".*\[environments\/credentials-prefix\]$/m);
    expect(r.stderr).toMatch(/--env names environment "dev", but prompts\/promptctl\.yaml is not valid \(1 error, above\); nothing was done/);
    expect(r.stdout).not.toMatch(/No template on the target/);
    expect(existsSync(join(dir.path, '.promptctl/envs/dev'))).toBe(false);
  });

  it('export: nothing is written from the wrong org', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), WHOLE_NAME);
    const r = await runCliInProcess(['export', '--env', 'dev', '--out', 'exported'], { cwd: dir.path, env: { ...DEV_VARS } });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/\[environments\/credentials-prefix\]$/m);
    expect(existsSync(join(dir.path, 'exported'))).toBe(false);
  });

  it('status --format json: a misspelt region is a diagnostic at its line and column', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), REGION_TYPO);
    const r = await runCliInProcess(['status', '--env', 'prod', '--format', 'json'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { error: string; diagnostics: { file: string; line: number; column: number; rule: string }[] };
    expect(doc.error).toMatch(/--env names environment "prod", but prompts\/promptctl\.yaml is not valid/);
    expect(doc.diagnostics).toEqual([expect.objectContaining({ file: 'prompts/promptctl.yaml', line: 6, column: 20, rule: 'environments/invalid-host' })]);
  });

  it('validate --env still reports them itself, at their lines', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), REGION_TYPO);
    const r = await runCliInProcess(['validate', '--env', 'dev'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/prompts\/promptctl\.yaml:6:20: error: unknown spec\.environments\.prod\.region "mypurecloud\.comm".*\[environments\/invalid-host\]/);
    expect(r.stdout + r.stderr).not.toMatch(/--env names environment/);
  });
});
