// promptctl test in CI with no target configured ran against the embedded emulator, whose state is
// empty in a fresh job: every case was "not run (not on this target yet)" and the run exited 0,
// a green check having tested nothing, with no word of why (apply and drift warn there). It now
// warns as they do (cli/common.ts), a secret that did not reach the job being the usual cause;
// not outside CI, where the embedded emulator is what one asked for.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
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

  it('with a GENESYSCLOUD_* variable set that promptctl does not read, says none it reads is set (not that none is)', async () => {
    dir = await tempDir();
    await mkdir(join(dir.path, 'prompts'));
    for (const unread of ['GENESYSCLOUD_REGON', 'GENESYSCLOUD_DEV_OAUTHCLIENT_ID']) {
      const r = await runCliInProcess(['test'], { cwd: dir.path, env: cleanEnv({ CI: 'true', [unread]: 'x' }) });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr, unread).toMatch(/^warning: this runs in CI with no target configured \(no GENESYSCLOUD_\* variable that promptctl reads is set, or they are empty\), so it tests /m);
      expect(r.stderr, unread).not.toMatch(/no GENESYSCLOUD_\* variable is set/);
    }
    // The misspelling is named by the note beside it.
    const typo = await runCliInProcess(['test'], { cwd: dir.path, env: cleanEnv({ CI: 'true', GENESYSCLOUD_REGON: 'x' }) });
    expect(typo.stderr).toMatch(/^note: GENESYSCLOUD_REGON is set, but promptctl does not read it/m);
  });
});
