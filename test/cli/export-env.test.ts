// `export --env NAME` wrote the environment's org, but the check its help promised, `plan --dir
// OUT`, compared the files with the default target (and `plan --env NAME --dir OUT` failed: no
// promptctl.yaml there). Export now says how to compare with the environment, and that works.
import { copyFile } from 'node:fs/promises';
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

    // Into the prompts directory itself: its promptctl.yaml is there, nothing to copy.
    const into = await cli(['export', '--env', 'dev', '--out', 'prompts', '--force']);
    expect(into.stderr).toContain('note: to compare the export with environment dev, run `promptctl plan --env dev --dir prompts`');
  });
});
