// The promotion check (DESIGN §6) compares the content of each version a plan sends more traffic
// to with what the environment before ran under that label, also when the version itself is
// unchanged here (a noop: its content is known only from its guard's hash). A plan shown as text
// is planned without hashing unchanged objects, except where a promotion check reads them: the
// text plan and apply must find the same gap as the JSON plan.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0, billingVersion } from '../helpers/billing-yaml.js';

const config = (prodProtected: boolean): string => `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_R_STAGING}
    prod: {credentials: PCTL_R_PROD${prodProtected ? ', protected: true' : ''}}
  promotion: [staging, prod]
`;

const split = (weight110: number): string => `apiVersion: promptctl/v1
kind: TrafficSplit
spec:
  template: billing
  strategy: random
  routes:
    - {version: "1.0.0", weight: ${100 - weight110}}
    - {version: "1.1.0", weight: ${weight110}}
`;

let dir: TempDir;
const cli = (args: readonly string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });
const write = (name: string, text: string): Promise<void> => writeFile(join(dir.path, 'prompts', name), text);

beforeEach(async () => {
  dir = await tempDir('promptctl-promotion-routed-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await write('promptctl.yaml', config(false));
  await write('billing.yaml', BILLING_1_0);
  // staging (before prod in promotion) runs 1.1.0 with one text, prod with another (git's), each for a tenth of the traffic.
  await write('split.yaml', split(10));
  await write('v110.yaml', billingVersion('1.1.0', 'You answer billing questions at length.'));
  expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
  await write('v110.yaml', billingVersion('1.1.0', 'You answer billing questions briefly.'));
  expect((await cli(['apply', '--env', 'prod', '--auto-approve'])).code).toBe(0);
  // git now sends half of prod's traffic to its 1.1.0, which staging never ran.
  await write('split.yaml', split(50));
});
afterEach(async () => {
  await dir.remove();
});

const GAP = /PromptVersion\/billing@1\.1\.0.*\n?.*published other content under that label/;

describe('more traffic to a version unchanged here, whose content the environment before never ran', () => {
  it('is a promotion gap in the text plan as in the JSON plan (prod unprotected: a warning)', async () => {
    const json = await cli(['plan', '--env', 'prod', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const warnings = (JSON.parse(json.stdout) as { warnings?: { address: string; message: string }[] }).warnings ?? [];
    expect(warnings.map((w) => w.address)).toEqual(['PromptVersion/billing@1.1.0']);
    expect(warnings[0]!.message).toMatch(/published other content under that label/);

    const text = await cli(['plan', '--env', 'prod']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout + text.stderr).toMatch(GAP);
  });

  it('is said by apply, which plans as text too', async () => {
    const applied = await cli(['apply', '--env', 'prod', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/PromptVersion\/billing@1\.1\.0.*published other content under that label/);
  });

  it('fails the text plan when prod is protected', async () => {
    await write('promptctl.yaml', config(true));
    const text = await cli(['plan', '--env', 'prod']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(GAP);
  });
});
