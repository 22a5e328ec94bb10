// The embedded emulator's state held by another process: nothing is done, and the message says
// what to do whether that process is a command that will finish or `promptctl emulator`, which
// serves the state until stopped.
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
    expect(r.stderr).toContain('if it is `promptctl emulator` serving this state, point GENESYSCLOUD_API_URL (and its client id and secret) at it instead');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
