// `promptctl emulator` stopped by an interrupt (SIGINT/SIGTERM): it closes its server as before,
// and then exits 130, as apply, test and run do after an interrupt (DESIGN §4), not 0.
// In-process: aborting the signal is the binary's interrupt.
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/util/errors.js';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('promptctl emulator interrupted', () => {
  it('stops cleanly ("emulator: stopped") and exits 130', async () => {
    dir = await tempDir('promptctl-emulator-exit-');
    const stop = new AbortController();
    const r = await runCliInProcess(['emulator', '--port', '0', '--state', 'state.json'], {
      cwd: dir.path,
      signal: stop.signal,
      // Its `emulator: …` line is written in the same turn as its interrupt listener is added.
      watchStderr: (s) => {
        if (/^emulator: /m.test(s)) setImmediate(() => stop.abort());
      },
    });
    expect(r.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(r.stderr).toMatch(/emulator: stopped\n$/);
    expect(r.code).toBe(EXIT.interrupted);
    expect(r.code).toBe(130);
  });
});
