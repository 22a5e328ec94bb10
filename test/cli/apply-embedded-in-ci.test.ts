// An apply in CI with no target configured goes to the embedded emulator: green, and no org
// changed (a secret that did not reach the job). It still runs, as DESIGN §6 has it, and says so.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCliInProcess } from '../helpers/cli.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const WARNING = /^warning: this runs in CI with no target configured .* not an org; if the job meant an org, pass its credentials/m;

describe('apply on the embedded emulator', () => {
  it('warns in CI (GITHUB_ACTIONS or CI set) that no org is changed, and not elsewhere or for a plan', async () => {
    dir = await tempDir();
    copyExamplePrompts(dir.path);
    const ci = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: cleanEnv({ GITHUB_ACTIONS: 'true' }) });
    expect(ci.code, ci.stderr).toBe(0);
    expect(ci.stderr).toMatch(WARNING);
    const otherCi = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: cleanEnv({ CI: '1' }) });
    expect(otherCi.stderr).toMatch(WARNING);
    const local = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: cleanEnv() });
    expect(local.stderr).not.toMatch(WARNING);
    const plan = await runCliInProcess(['plan'], { cwd: dir.path, env: cleanEnv({ GITHUB_ACTIONS: 'true' }) });
    expect(plan.stderr).not.toMatch(WARNING);
  });
});
