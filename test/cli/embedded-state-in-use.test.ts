// The embedded emulator's state held by another process: nothing is done, and the message says
// what to do whether that process is a command that will finish or `promptctl emulator`, which
// serves the state until stopped.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/emulator/journal.js';
import { runCliInProcess } from '../helpers/cli.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
let held: Journal | undefined;
afterEach(async () => {
  await held?.close();
  await dir?.remove();
  held = undefined;
  dir = undefined;
});

describe('the embedded state in use', () => {
  it('refuses, naming the holder, and says to point GENESYSCLOUD_API_URL at a running emulator', async () => {
    dir = await fixtureCopy('basic');
    // What `promptctl emulator` (default --state) holds while it serves.
    held = await Journal.open(join(dir.path, '.promptctl/local-state.json'));
    const r = await runCliInProcess(['plan'], { cwd: dir.path });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`in use by another promptctl process (pid ${process.pid}); nothing was done`);
    expect(r.stderr).toContain('if it is `promptctl emulator` serving this state, point GENESYSCLOUD_API_URL (and GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET) at it instead');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("under --env names that environment's variables, and a protected next one says nothing was done once", async () => {
    dir = await fixtureCopy('basic');
    await writeFile(
      join(dir.path, 'prompts', 'promptctl.yaml'),
      'apiVersion: promptctl/v1\nkind: Config\nspec:\n  environments:\n    staging: {credentials: PCTL_HELD_STAGING}\n    prod: {credentials: PCTL_HELD_PROD, protected: true}\n  promotion: [staging, prod]\n',
    );
    held = await Journal.open(join(dir.path, '.promptctl/envs/staging/local-state.json'));
    const staging = await runCliInProcess(['plan', '--env', 'staging'], { cwd: dir.path });
    expect(staging.code).toBe(1);
    expect(staging.stderr).toContain('point PCTL_HELD_STAGING_API_URL (and PCTL_HELD_STAGING_OAUTHCLIENT_ID, PCTL_HELD_STAGING_OAUTHCLIENT_SECRET) at it instead');
    expect(staging.stderr).not.toContain('GENESYSCLOUD_API_URL');
    // prod's promotion check reads staging's org, the held one.
    const prod = await runCliInProcess(['plan', '--env', 'prod'], { cwd: dir.path });
    expect(prod.code).toBe(1);
    expect(prod.stderr).toContain('cannot check promotion from staging to prod (prod is protected)');
    expect(prod.stderr.match(/nothing was done/g)).toHaveLength(1);
    expect(prod.stderr).not.toContain('.;');
  });

  it('held under the name a symbolic link stands for: refused, naming the lock beside that file', async () => {
    dir = await fixtureCopy('basic');
    // The embedded state kept elsewhere in the project, the usual name a link to it.
    await mkdir(join(dir.path, 'shared'));
    await mkdir(join(dir.path, '.promptctl'));
    await symlink('../shared/state.json', join(dir.path, '.promptctl/local-state.json'));
    held = await Journal.open(join(dir.path, 'shared/state.json'));
    const r = await runCliInProcess(['plan'], { cwd: dir.path });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`in use by another promptctl process (pid ${process.pid}); nothing was done`);
    expect(r.stderr).toContain('If no promptctl is running, delete shared/state.json.lock.');
  });
});
