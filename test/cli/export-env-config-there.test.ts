// export --env NAME again over an earlier export the user had copied promptctl.yaml into (as export
// told them to): its note still said to copy the file there, which was there already.
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

describe('export --env --force into an export that holds a promptctl.yaml', () => {
  it('says only to run plan --env there', async () => {
    dir = await tempDir('promptctl-export-env-config-');
    copyExamplePrompts(dir.path);
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: {} });
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    const first = await cli(['export', '--env', 'dev', '--out', 'exdev']);
    expect(first.code, first.stderr).toBe(0);
    await copyFile(join(dir.path, 'prompts/promptctl.yaml'), join(dir.path, 'exdev/promptctl.yaml'));

    const again = await cli(['export', '--env', 'dev', '--out', 'exdev', '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('note: to compare the export with environment dev, run `promptctl plan --env dev --dir exdev`');
    const plan = await cli(['plan', '--env', 'dev', '--dir', 'exdev', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});
