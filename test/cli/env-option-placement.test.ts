// --env where no command takes it: before the command (`promptctl --env prod plan`, as kubectl and
// gh take their global flags) or after one that has no environment (`show`, `emulator`). Commander
// says only "unknown option '--env'", which reads as if promptctl had no --env at all; the run also
// says where --env goes and which commands take it. Nothing runs either way (exit 1).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-env-placement-');
});
afterEach(async () => {
  await dir.remove();
});

const NOTE = /^note: --env NAME goes after the command, and these take it: validate, tokens, plan, apply, drift, export, run, test, status, promote, rollback, audit verify \(e\.g\. `promptctl plan --env NAME`\)$/m;

describe('--env where no command takes it', () => {
  it('before the command: says it goes after plan, and plans nothing', async () => {
    const r = await runCliInProcess(['--env', 'prod', 'plan'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: unknown option '--env'/);
    expect(r.stderr).toMatch(NOTE);
    expect(r.stderr).not.toMatch(/^target: /m);
  });

  it('after a command without environments (show, emulator): the same note', async () => {
    for (const args of [['show', 'plan.json', '--env', 'prod'], ['emulator', '--env=prod']]) {
      const r = await runCliInProcess(args, { cwd: dir.path, env: {} });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(NOTE);
    }
  });

  it('another unknown option gets no such note', async () => {
    const r = await runCliInProcess(['plan', '--envv', 'prod'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/note: --env/);
  });
});
