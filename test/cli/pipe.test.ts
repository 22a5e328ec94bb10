// The built binary writing into a pipe whose reader has gone (`promptctl run … | head -c 20`,
// `promptctl plan | true`): it ends at once and quietly, with the exit status of a Unix tool
// stopped by SIGPIPE (141), never an EPIPE stack trace. Only a real process shows this: build
// first (`npm run build`).
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
  await dir?.remove();
  dir = undefined;
});

const LONG_ANSWER = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');

/**
 * Runs the binary and closes the read end of its stdout once `keep` bytes have arrived (0: at
 * once, before anything is written), as `| head -c KEEP` does.
 */
function runIntoClosedPipe(args: readonly string[], cwd: string, env: Record<string, string | undefined>, keep: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    if (keep === 0) child.stdout.destroy();
    else
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.length >= keep) child.stdout.destroy();
      });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

describe('output into a closed pipe', () => {
  it('promptctl run | head -c 20: the stream stops quietly', async () => {
    p = await evalsProject({}, { streamDelayMs: 20, responses: [{ match: { template: 'faq-bot' }, output: LONG_ANSWER }] });
    const r = await runIntoClosedPipe(['run', 'faq-bot@1.0.0', '--var', 'question=Anything?'], p.dir.path, p.emu.env, 20);
    expect(r.stdout.length).toBeGreaterThanOrEqual(20);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at |internal/);
    expect(r.stderr).toMatch(/^target: /);
    expect(r.code).toBe(141);
  });

  it('promptctl plan | true: nothing is said about the pipe', async () => {
    dir = await fixtureCopy('basic');
    const r = await runIntoClosedPipe(['plan'], dir.path, {}, 0);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at |internal/);
    expect(r.code).toBe(141);
  });
});
