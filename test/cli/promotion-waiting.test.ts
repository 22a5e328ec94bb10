// Promotion gaps that wait, and gaps that waiting never closes (DESIGN §6): a gap in protected
// prod closes when the merge applies the same commit to staging first, unless staging published
// the label with other content (versions are immutable) or staging's own state (its documents,
// its guides' publish state) would not bring it there. The plan says which, per gap, so the PR
// workflow fails only for the gaps that git must fix.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0, billingVersion } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_W_STAGING}
    prod: {credentials: PCTL_W_PROD, protected: true}
  promotion: [staging, prod]
`;

const BILLING = BILLING_1_0;

/** Version 1.1.0 of billing, with `text`, limited to `environments` when given. */
function v110(text: string, environments?: string): string {
  return billingVersion('1.1.0', text, environments);
}

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-promotion-waiting-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING);
  // Both environments hold 1.0.0.
  expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
  expect((await cli(['plan', '--env', 'prod', '--out', 'prod.json'])).code).toBe(0);
  expect((await cli(['apply', '--env', 'prod', 'prod.json'])).code).toBe(0);
});
afterEach(async () => {
  await dir.remove();
});

function cli(args: readonly string[]): Promise<CliResult> {
  return runCliInProcess(args, { cwd: dir.path });
}

async function prodProblems(): Promise<{ rule: string; message: string; address: string }[]> {
  const plan = await cli(['plan', '--env', 'prod', '--format', 'json']);
  expect(plan.code, plan.stderr).toBe(1);
  return JSON.parse(plan.stdout).problems;
}

describe('a promotion gap of protected prod: waiting for staging, or blocked', () => {
  it('waits when applying the same commit to staging publishes the version there (and says so)', async () => {
    await writeFile(join(dir.path, 'prompts/v110.yaml'), v110('You answer billing questions briefly.'));
    expect(await prodProblems()).toEqual([
      expect.objectContaining({
        address: 'PromptVersion/billing@1.1.0',
        rule: 'promotion/not-in-previous',
        message: expect.stringMatching(/does not hold it published \(never applied there, or retired since\): apply it to staging first \(waiting: applying this commit to staging closes it\)$/),
      }),
    ]);
    // The text plan says it too.
    const text = await cli(['plan', '--env', 'prod']);
    expect(text.stdout).toMatch(/\[promotion\/not-in-previous\]\n {4}.*waiting: applying this commit to staging closes it/);
    // At the version's document in git, as the plan's own problems are (the workflow annotates it there).
    expect((await prodProblems())[0]).toMatchObject({ file: 'prompts/v110.yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(text.stdout).toMatch(/✗ PromptVersion\/billing@1\.1\.0 \(prompts\/v110\.yaml:\d+:\d+\) \[promotion\/not-in-previous\]/);
    // As waiting, not as something to fix in git (the markdown's words): its heading and its summary line.
    expect(text.stdout).toContain('\nWaiting for promotion (1) — this plan can be applied once staging has run it:\n');
    expect(text.stdout).not.toContain('must be fixed');
    expect(text.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Plan: 1 to create, .*\. 1 waits for promotion: apply this commit to staging first\.$/);
    // The pull request's comment shows a plan that waits, not a broken one.
    const md = (await cli(['plan', '--env', 'prod', '--format', 'markdown'])).stdout;
    expect(md).toContain('unchanged, ⏳ 1 waiting for promotion)');
    expect(md).toContain('### ⏳ Waiting for promotion (1) — this plan can be applied once staging has run it');
    expect(md).toMatch(/^- ⏳ \*\*PromptVersion\/billing@1\.1\.0\*\*/m);
    expect(md).not.toContain('❌');
  });

  it('is blocked when staging published that label with other content: it can never run this content there', async () => {
    await writeFile(join(dir.path, 'prompts/v110.yaml'), v110('You answer billing questions briefly.'));
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    // The published 1.1.0 is then edited in git: staging's plan refuses it, and prod must not wait for it.
    await writeFile(join(dir.path, 'prompts/v110.yaml'), v110('You answer billing questions very briefly.'));
    expect(await prodProblems()).toEqual([
      expect.objectContaining({
        address: 'PromptVersion/billing@1.1.0',
        rule: 'promotion/never-in-previous',
        message: expect.stringMatching(/published other content under that label .*blocked: .*published versions are immutable.*new version label/),
      }),
    ]);
    const md = await cli(['plan', '--env', 'prod', '--format', 'markdown']);
    expect(md.stdout).toMatch(/PromptVersion\/billing@1\.1\.0.*promotion\/never-in-previous.*blocked: /);
  });

  it('is blocked when the version is left out of staging (metadata.environments): applying staging never brings it there', async () => {
    await writeFile(join(dir.path, 'prompts/v110.yaml'), v110('You answer billing questions briefly.', 'prod'));
    expect(await prodProblems()).toEqual([
      expect.objectContaining({
        address: 'PromptVersion/billing@1.1.0',
        rule: 'promotion/never-in-previous',
        message: expect.stringMatching(/blocked: .*staging's documents do not include it \(metadata\.environments\)/),
      }),
    ]);
  });

  it('says per gap which waits and which is blocked', async () => {
    await writeFile(join(dir.path, 'prompts/v110.yaml'), v110('You answer billing questions briefly.', 'prod'));
    const v120 = v110('You answer billing questions in one line.').replace('1.1.0', '1.2.0');
    await writeFile(join(dir.path, 'prompts/v120.yaml'), v120);
    const problems = await prodProblems();
    expect(problems.map((p) => [p.address, p.rule])).toEqual([
      ['PromptVersion/billing@1.1.0', 'promotion/never-in-previous'],
      ['PromptVersion/billing@1.2.0', 'promotion/not-in-previous'],
    ]);
    // In the comment: the plan cannot be applied, and each gap says whether it waits.
    const md = (await cli(['plan', '--env', 'prod', '--format', 'markdown'])).stdout;
    expect(md).toContain('unchanged, ❌ 1 problem, ⏳ 1 waiting for promotion)');
    expect(md).toContain('### ❌ Problems (2) — this plan cannot be applied');
    expect(md).toMatch(/^- ❌ \*\*PromptVersion\/billing@1\.1\.0\*\*/m);
    expect(md).toMatch(/^- ⏳ \*\*PromptVersion\/billing@1\.2\.0\*\*/m);
    // The text plan counts them apart too: one to fix in git, one that waits.
    const text = (await cli(['plan', '--env', 'prod'])).stdout;
    expect(text).toContain('\nProblems (2) — this plan cannot be applied:\n');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/\. 1 problem must be fixed before apply\. 1 waits for promotion: apply this commit to staging first\.$/);
  });
});
