// A GENESYSCLOUD_* variable promptctl does not read (GENESYSCLOUD_CLIENT_ID for
// GENESYSCLOUD_OAUTHCLIENT_ID, another tool's GENESYSCLOUD_ACCESS_TOKEN) left the target the
// embedded emulator without a word, though the user meant an org: an apply went green having
// changed none. The run says which variables it did not read, by name (never their values).
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const NOTE = 'note: GENESYSCLOUD_CLIENT_ID, GENESYSCLOUD_CLIENT_SECRET are set, but promptctl does not read them';

describe('target variables promptctl does not read', () => {
  it('are named when the run falls back to the embedded emulator', async () => {
    dir = await fixtureCopy('basic');
    const env = { GENESYSCLOUD_CLIENT_ID: 'abc', GENESYSCLOUD_CLIENT_SECRET: 'hunter2-secret-value', GENESYSCLOUD_REGION: '' };
    for (const args of [['plan'], ['apply', '--auto-approve'], ['status']]) {
      const r = await runCliInProcess(args, { cwd: dir.path, env });
      expect(r.code, args[0]).toBe(0);
      expect(r.stderr, args[0]).toContain(NOTE);
      expect(r.stderr, args[0]).toContain('it reads GENESYSCLOUD_REGION (or GENESYSCLOUD_API_URL), GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET, none of them set, so the target is the embedded emulator');
      // The note comes after the target line, and names no value.
      expect(r.stderr.indexOf('target: embedded emulator'), args[0]).toBeLessThan(r.stderr.indexOf(NOTE));
      expect(r.stderr + r.stdout, args[0]).not.toContain('hunter2-secret-value');
    }
  });

  it('are not named for an environment\'s own variables, nor once the target is read from the right ones', async () => {
    dir = await fixtureCopy('basic');
    // GENESYSCLOUD_DEV_* belong to an environment's --env dev: without --env they are not this target's.
    const env = { GENESYSCLOUD_DEV_OAUTHCLIENT_ID: 'abc', GENESYSCLOUD_DEV_OAUTHCLIENT_SECRET: 'secretsecret', GENESYSCLOUD_DEV_REGION: 'usw2.pure.cloud' };
    const r = await runCliInProcess(['plan'], { cwd: dir.path, env });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('promptctl does not read');
    // A remote target: what it reads is set, and the rest is no concern of the note.
    const remote = await runCliInProcess(['plan'], { cwd: dir.path, env: { GENESYSCLOUD_API_URL: 'http://127.0.0.1:1', GENESYSCLOUD_OAUTHCLIENT_ID: 'abc', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'secretsecret', GENESYSCLOUD_ACCESS_TOKEN: 'x' } });
    expect(remote.stderr).toContain('target: http://127.0.0.1:1');
    expect(remote.stderr).not.toContain('promptctl does not read');
  });
});
