// `plan --env prod` reads staging's org for the promotion check (DESIGN §6). When staging makes
// it wait (a 429, a 503), the retry notices on stderr name staging: they were said bare
// ("retry 2: GET /api/v2/llmgateway/prompttemplates answered 429"), right under "target: …
// environment prod", so the reader took prod's org for the one failing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';
import { forwardTo } from '../helpers/forward.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_N_STAGING}
    prod: {credentials: PCTL_N_PROD, protected: true}
  promotion: [staging, prod]
`;

let dir: TempDir;
let staging: TestEmulator;
let prod: TestEmulator;
/** In front of staging: its first template listing answered 429 with a Retry-After of a second, the rest passed on. */
let front: http.Server;
let limited = 0;
beforeEach(async () => {
  dir = await tempDir('promptctl-promotion-retry-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
  staging = await startTestEmulator({ clientId: 'staging-client', clientSecret: 'staging-secret-value' });
  prod = await startTestEmulator({ clientId: 'prod-client', clientSecret: 'prod-secret-value' });
  limited = 0;
  front = http.createServer((req, res) => {
    if (limited > 0 || req.method !== 'GET' || !req.url?.startsWith('/api/v2/llmgateway/prompttemplates')) return forwardTo(new URL(staging.url), req, res);
    limited += 1;
    req.resume();
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ message: 'Rate limit exceeded', code: 'too.many.requests', status: 429 }));
  });
  await new Promise<void>((ok) => front.listen(0, '127.0.0.1', ok));
});
afterEach(async () => {
  await new Promise<void>((ok) => front.close(() => ok()));
  await staging.close();
  await prod.close();
  await dir.remove();
});

describe('the promotion check waiting on the previous org', () => {
  it('names that org in its retry notices, not the target of the plan', async () => {
    const env = {
      PCTL_N_STAGING_API_URL: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
      PCTL_N_STAGING_OAUTHCLIENT_ID: 'staging-client',
      PCTL_N_STAGING_OAUTHCLIENT_SECRET: 'staging-secret-value',
      PCTL_N_PROD_API_URL: prod.url,
      PCTL_N_PROD_OAUTHCLIENT_ID: 'prod-client',
      PCTL_N_PROD_OAUTHCLIENT_SECRET: 'prod-secret-value',
    };
    const r = await runCliInProcess(['plan', '--env', 'prod'], { cwd: dir.path, env });
    // Staging lacks the version: the protected prod's plan is refused by the check, once staging was read.
    expect(r.stderr).toMatch(/promotion: 0 of 1 version/);
    expect(limited).toBe(1);
    expect(r.stderr).toMatch(/^reading staging for the promotion check: retry \d+: GET \/api\/v2\/\S+ answered 429; waiting \d+\.\d s \(Retry-After\)$/m);
    expect(r.stderr).not.toMatch(/^retry \d+:/m);
  });
});
