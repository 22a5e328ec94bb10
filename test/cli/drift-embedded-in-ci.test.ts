// A drift check in CI with no target configured compares git with the embedded emulator, whose
// state is empty in a fresh job: every document showed as drift, with no word of why. It now
// warns as apply does there (the same function, cli/common.ts), a secret that did not reach the
// job being the usual cause; not outside CI, where the embedded emulator is what one asked for.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCliInProcess } from '../helpers/cli.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const WARNING = /^warning: this runs in CI with no target configured \(no GENESYSCLOUD_\* variable is set, or they are empty\), so it compares git with the embedded emulator's throwaway state .* not an org; if the job meant an org, pass its credentials \(a secret that did not reach the job\?\)$/m;

describe('drift on the embedded emulator', () => {
  it('warns in CI (GITHUB_ACTIONS and CI set), on stderr, in every format; not outside CI', async () => {
    dir = await tempDir();
    copyExamplePrompts(dir.path);
    const ci = cleanEnv({ GITHUB_ACTIONS: 'true', CI: 'true' });
    for (const format of ['text', 'json', 'markdown']) {
      const r = await runCliInProcess(['drift', '--format', format], { cwd: dir.path, env: ci });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr, format).toMatch(WARNING);
      expect(r.stdout, format).not.toMatch(/throwaway/);
    }
    const otherCi = await runCliInProcess(['drift'], { cwd: dir.path, env: cleanEnv({ CI: '1' }) });
    expect(otherCi.stderr).toMatch(WARNING);
    const local = await runCliInProcess(['drift'], { cwd: dir.path, env: cleanEnv() });
    expect(local.code).toBe(2);
    expect(local.stderr).not.toMatch(/throwaway/);
  });
});
