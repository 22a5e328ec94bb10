// A --dir that does not exist: `run` and `emulator` went on without a word (and without the
// models its promptctl.yaml defines); now an error, exit 1, as validate, tokens and drift say it.
// Without --dir, neither needs a prompts directory.
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
let empty: TempDir | undefined;
afterEach(async () => {
  await p?.close();
  await empty?.remove();
  p = undefined;
  empty = undefined;
});

describe('a --dir that does not exist', () => {
  it('run: an error, exit 1, no call made; without --dir and with no prompts directory, it runs', async () => {
    p = await evalsProject();
    const r = await p.cli(['run', 'faq-bot@1.0.0', '--var', 'question=hi', '--dir', 'promtps']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: prompts directory "promtps" not found (pass --dir with the directory that holds your prompt YAML)\n');
    expect(await p.invocations()).toBe(0);
    // A file is not a directory either.
    await p.write('notes.txt', 'x');
    const file = await p.cli(['run', 'faq-bot@1.0.0', '--var', 'question=hi', '--dir', 'notes.txt']);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain('error: "notes.txt" is not a directory');

    expect((await p.cli(['run', 'faq-bot@1.0.0', '--var', 'question=hi', '--dir', 'prompts'])).code).toBe(0);
    empty = await tempDir('promptctl-run-nodir-');
    const elsewhere = await runCliInProcess(['run', 'faq-bot@1.0.0', '--var', 'question=hi'], { cwd: empty.path, env: p.emu.env });
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
  });

  it('emulator: an error, exit 1, before it listens; without --dir and with no prompts directory, it starts', async () => {
    empty = await tempDir('promptctl-emulator-nodir-');
    const r = await runCliInProcess(['emulator', '--port', '0', '--state', 'state.json', '--dir', 'promtps'], { cwd: empty.path });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: prompts directory "promtps" not found (pass --dir with the directory that holds your prompt YAML)\n');

    const stop = new AbortController();
    const started = await runCliInProcess(['emulator', '--port', '0', '--state', 'state.json'], {
      cwd: empty.path,
      signal: stop.signal,
      watchStderr: (s) => {
        // Its `emulator: …` line is written in the same turn as its interrupt listener is added:
        // the next turn, the listener is there.
        if (/^emulator: /m.test(s)) setImmediate(() => stop.abort());
      },
    });
    expect(started.code, started.stderr).toBe(130);
    expect(started.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n/);
  });
});
