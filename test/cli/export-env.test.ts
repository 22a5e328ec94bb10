// `export --env NAME` wrote the environment's org, but the check its help promised, `plan --dir
// OUT`, compared the files with the default target (and `plan --env NAME --dir OUT` failed: no
// promptctl.yaml there). Export now says how to compare with the environment, and that works.
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('export --env', () => {
  it("says how to plan the export against the environment, and that plan shows no changes", async () => {
    dir = await tempDir('promptctl-export-env-');
    copyExamplePrompts(dir.path);
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: {} });
    const applied = await cli(['apply', '--env', 'dev', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);

    const r = await cli(['export', '--env', 'dev', '--out', 'exdev']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: to compare the export with environment dev, copy prompts/promptctl.yaml into exdev (export writes none), then run `promptctl plan --env dev --dir exdev`');

    await copyFile(join(dir.path, 'prompts/promptctl.yaml'), join(dir.path, 'exdev/promptctl.yaml'));
    const plan = await cli(['plan', '--env', 'dev', '--dir', 'exdev', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);

    // staging's guidePublish is TestReady: its guide is exported as git holds it, without publish
    // (publish: TestReady, committed, would hold the guide at TestReady in prod too).
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    const staging = await cli(['export', '--env', 'staging', '--out', 'exstaging']);
    expect(staging.code, staging.stderr).toBe(0);
    expect(staging.stderr).not.toContain('set publish: ProductionReady');
    expect(await readFile(join(dir.path, 'exstaging/guides/returns-assistant.yaml'), 'utf8')).not.toContain('publish');
    await copyFile(join(dir.path, 'prompts/promptctl.yaml'), join(dir.path, 'exstaging/promptctl.yaml'));
    const stagingPlan = await cli(['plan', '--env', 'staging', '--dir', 'exstaging', '--detailed-exitcode']);
    expect(stagingPlan.code, stagingPlan.stdout + stagingPlan.stderr).toBe(0);

    // Into the prompts directory itself: its promptctl.yaml is there, nothing to copy.
    const into = await cli(['export', '--env', 'dev', '--out', 'prompts', '--force']);
    expect(into.stderr).toContain('note: to compare the export with environment dev, run `promptctl plan --env dev --dir prompts`');
  });
});
