// The confirmation prompt of `promptctl apply` on a real terminal (a pty from util-linux `script`).
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLiveState } from '../../src/genesys/live.js';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
});
afterEach(async () => {
  await s.close();
});

/** Runs `promptctl apply` with a pty as stdin/stdout/stderr, typing `answer`. Output is merged. */
function applyOnTty(answer: string): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const cmd = `'${process.execPath}' '${BIN}' apply`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: s.dir.path, env: cleanEnv(s.emu.env) });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, output }));
    child.stdin.end(`${answer}\n`);
  });
}

describe.skipIf(!hasScript)('apply on a terminal', () => {
  it('asks, and anything but "yes" cancels with nothing changed', async () => {
    const r = await applyOnTty('y');
    expect(r.output).toContain("Apply these changes? Only 'yes' is accepted:");
    expect(r.output).toContain('Apply cancelled; nothing was changed.');
    expect(r.code).toBe(1);
    expect((await readLiveState(s.emu.api)).templates).toEqual([]);
  });

  it('applies on "yes", with a progress bar', async () => {
    const r = await applyOnTty('yes');
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/\[#+\.*\] \d+\/10/);
    expect(r.output).toContain('Apply complete: 10 created, 0 updated, 0 deleted.');
    expect((await readLiveState(s.emu.api)).templates).toHaveLength(2);
  });
});
