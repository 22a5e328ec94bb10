// The same saved plan applied twice (a retried CI job, a second `apply --env prod prod.json`). It was
// refused as stale, every change it had just made listed as "was created on the target since the
// plan", as if someone else had made them, and exit 1 for a target already as the file wanted.
// The audit trail records the plan's id: the file is now said to be applied already, with nothing
// to do while what it made still holds (exit 0, nothing written), and, when more changed since,
// the stale refusal says the file was applied already.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0, billingVersion } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_T2_STAGING}
    prod: {credentials: PCTL_T2_PROD, protected: true}
  promotion: [staging, prod]
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });
const trail = (): Promise<string> => readFile(join(dir.path, '.promptctl/envs/prod/audit.jsonl'), 'utf8');

beforeEach(async () => {
  dir = await tempDir('promptctl-apply-twice-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
  expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
  expect((await cli(['plan', '--env', 'prod', '--out', 'prod.json'])).code).toBe(0);
  const first = await cli(['apply', '--env', 'prod', 'prod.json']);
  expect(first.code, first.stderr).toBe(0);
});
afterEach(async () => {
  await dir.remove();
});

describe('a saved plan applied a second time', () => {
  it('says it was applied already and that there is nothing to do, writing nothing', async () => {
    const before = await trail();
    const again = await cli(['apply', '--env', 'prod', 'prod.json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(
      /^prod\.json was applied already at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(2 changes on record in \.promptctl\/envs\/prod\/audit\.jsonl\), and the target still matches it: nothing to do$/m,
    );
    expect(again.stderr).not.toMatch(/stale|since the plan/);
    expect(again.stderr).toContain('(unchanged: this run wrote no records)');
    expect(await trail()).toBe(before);
  });

  it('when more changed since, is refused as stale saying it was applied already', async () => {
    await writeFile(join(dir.path, 'prompts/billing-1.1.yaml'), billingVersion('1.1.0', 'You answer billing questions briefly.'));
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    const again = await cli(['apply', '--env', 'prod', 'prod.json']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('PromptVersion/billing@1.1.0: now needs create, which the plan does not include');
    expect(again.stderr).toMatch(
      /error: prod\.json is stale: 3 things changed since it was planned \(listed above\); nothing was applied\. It was applied already at [^(]+ \(2 changes on record in \.promptctl\/envs\/prod\/audit\.jsonl\): a saved plan is applied once, and what is listed is its own changes, or what changed after them\. Run `promptctl plan --env prod --out prod\.json` again/,
    );
  });

  it('a plan never applied here is refused as stale, without that note', async () => {
    await writeFile(join(dir.path, 'prompts/billing-1.1.yaml'), billingVersion('1.1.0', 'You answer billing questions briefly.'));
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    expect((await cli(['plan', '--env', 'prod', '--out', 'other.json'])).code).toBe(0);
    await writeFile(join(dir.path, 'prompts/billing-1.2.yaml'), billingVersion('1.2.0', 'You answer billing questions kindly.'));
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    const r = await cli(['apply', '--env', 'prod', 'other.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('other.json is stale: 1 thing changed since it was planned');
    expect(r.stderr).not.toContain('applied already');
  });
});
