// promptctl test in CI with no target configured ran against the embedded emulator, whose state is
// empty in a fresh job: every case was "not run (not on this target yet)" and the run exited 0,
// a green check having tested nothing, with no word of why (apply and drift warn there). It now
// warns as they do (cli/common.ts), a secret that did not reach the job being the usual cause;
// not outside CI, where the embedded emulator is what one asked for.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCliInProcess } from '../helpers/cli.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const WARNING = /^warning: this runs in CI with no target configured \(no GENESYSCLOUD_\* variable is set, or they are empty\), so it tests the embedded emulator's throwaway state .* not an org; if the job meant an org, pass its credentials \(a secret that did not reach the job\?\)$/m;

describe('test on the embedded emulator', () => {
  it('warns in CI, on stderr, in every format; not outside CI', { timeout: 60_000 }, async () => {
    dir = await tempDir();
    copyExamplePrompts(dir.path);
    const ci = cleanEnv({ GITHUB_ACTIONS: 'true', CI: 'true' });
    for (const format of ['text', 'json', 'markdown', 'junit']) {
      const r = await runCliInProcess(['test', '--format', format], { cwd: dir.path, env: ci });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr, format).toMatch(WARNING);
      expect(r.stdout, format).not.toMatch(/throwaway/);
    }
    const local = await runCliInProcess(['test'], { cwd: dir.path, env: cleanEnv() });
    expect(local.code).toBe(0);
    expect(local.stderr).not.toMatch(/throwaway/);
  });
});
