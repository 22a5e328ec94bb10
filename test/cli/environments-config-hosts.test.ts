// An environment's host in promptctl.yaml (region, apiUrl, loginUrl) is checked by validate, at
// its file:line:column with exit 1: a region no Genesys Cloud has, plain http to a remote host or
// a URL holding credentials must not pass validate and only fail the plan (without a location).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-env-hosts-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
});
afterEach(async () => {
  await dir.remove();
});

async function validate(config: string) {
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), config);
  return runCliInProcess(['validate'], { cwd: dir.path, env: {} });
}

const config = (line: string) => `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_H_DEV}
${line}
`;

describe("validate checks each environment's host in promptctl.yaml", () => {
  it('reports an unknown region at its line', async () => {
    const r = await validate(config('    prod: {credentials: PCTL_H_PROD, region: moon-1}'));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/prompts\/promptctl\.yaml:6:\d+: error: .*"moon-1"/);
  });

  it('reports plain http to a remote host at its line', async () => {
    const r = await validate(config('    prod: {credentials: PCTL_H_PROD, apiUrl: "http://api.example.com"}'));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/prompts\/promptctl\.yaml:6:\d+: error: .*plain http to api\.example\.com/);
  });

  it('reports credentials in a login URL at its line, without echoing them', async () => {
    const r = await validate(config('    prod: {credentials: PCTL_H_PROD, loginUrl: "https://user:hunter2pass@login.example.com"}'));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/prompts\/promptctl\.yaml:6:\d+: error: .*must not contain credentials/);
    expect(r.stdout + r.stderr).not.toContain('hunter2pass');
  });

  it('reports an apiUrl to a host other than Genesys Cloud at its line, and plan sends the credentials nowhere', async () => {
    const r = await validate(config('    prod: {credentials: PCTL_H_PROD, apiUrl: "https://collector.example.net"}'));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/prompts\/promptctl\.yaml:6:\d+: error: .*not a Genesys Cloud host: environment prod would send its client credentials .* or set PCTL_H_PROD_API_URL where/);
    // plan is refused when --env is chosen, before the target is opened, at the line validate names.
    const env = { PCTL_H_PROD_OAUTHCLIENT_ID: 'ci-client', PCTL_H_PROD_OAUTHCLIENT_SECRET: 'ci-secret-value' };
    const p = await runCliInProcess(['plan', '--env', 'prod'], { cwd: dir.path, env });
    expect(p.code, p.stderr).toBe(1);
    expect(p.stderr).toMatch(/^prompts\/promptctl\.yaml:6:\d+: error: spec\.environments\.prod\.apiUrl names https:\/\/collector\.example\.net, which is not a Genesys Cloud host.*\[environments\/untrusted-host\]$/m);
    expect(p.stderr).not.toMatch(/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|cannot reach/i);
    expect(p.stdout + p.stderr).not.toContain('ci-secret-value');
  });

  it('accepts a region domain, an AWS region name and a loopback http URL', async () => {
    const r = await validate(
      config('    staging: {credentials: PCTL_H_STAGING, region: us-west-2}\n    prod: {credentials: PCTL_H_PROD, region: mypurecloud.com}\n    local: {credentials: PCTL_H_LOCAL, apiUrl: "http://127.0.0.1:4010"}'),
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});
