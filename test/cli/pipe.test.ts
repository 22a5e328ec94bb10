// The built binary writing into a pipe whose reader has gone (`promptctl run … | head -c 20`,
// `promptctl plan | true`): it ends at once and quietly, with the exit status of a Unix tool
// stopped by SIGPIPE (141), never an EPIPE stack trace. Only a real process shows this: build
// first (`npm run build`).
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { BIN, cleanEnv, runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';
import { generatePromptSet } from '../../bench/generate.mjs';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
let dir: TempDir | undefined;
let emu: TestEmulator | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
  await emu?.close();
  emu = undefined;
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

/**
 * Runs `apply --auto-approve` as the binary and closes the read end of `which` once it has
 * carried `lines` lines (`| head -3`; `2>&1 | head` closes stderr mid-apply). The other stream
 * is read to the end.
 */
function applyIntoClosedPipe(cwd: string, env: Record<string, string | undefined>, which: 'stdout' | 'stderr', lines: RegExp, count: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; seen: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const closing = child[which];
    const other = which === 'stdout' ? child.stderr : child.stdout;
    other.resume();
    let seen = '';
    closing.setEncoding('utf8').on('data', (d: string) => {
      seen += d;
      if ((seen.match(lines) ?? []).length >= count) closing.destroy();
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, seen }));
  });
}

/** What the embedded emulator and the audit trail left in .promptctl/ besides their files. */
async function leftovers(cwd: string): Promise<string[]> {
  return (await readdir(join(cwd, '.promptctl'))).filter((f) => /\.lock$|\.journal$|\.tmp$/.test(f));
}

describe('apply into a closed pipe: the apply is never cut in half', () => {
  it('apply --auto-approve | head -3 (embedded emulator): exits 141, releases its locks, leaves no journal, and the trail has every outcome', async () => {
    dir = await fixtureCopy('basic');
    const r = await applyIntoClosedPipe(dir.path, {}, 'stdout', /\n/g, 3);
    expect(r.code).toBe(141);
    expect(await leftovers(dir.path)).toEqual([]);
    expect(await verifyAuditFile(join(dir.path, '.promptctl/audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
    // A re-run converges.
    const again = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path });
    expect(again.code, again.stderr).toBe(0);
    expect((await runCliInProcess(['plan', '--detailed-exitcode'], { cwd: dir.path })).code).toBe(0);
  });

  it('apply 2>&1 | head (stderr closed mid-apply): calls in flight finish and are recorded, no new ones start, exit 141', async () => {
    emu = await startTestEmulator({ latencyMs: 40 });
    dir = await fixtureCopy('basic');
    await generatePromptSet(join(dir.path, 'prompts'), { templates: 30, versions: 1 });
    const r = await applyIntoClosedPipe(dir.path, emu.env, 'stderr', / created /g, 5);
    expect(r.code).toBe(141);
    // Every call that was made is on record, and no intent is left open.
    expect(await verifyAuditFile(join(dir.path, '.promptctl/audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
    // It stopped starting calls: there is work left, and the next apply does it.
    expect((await runCliInProcess(['plan', '--detailed-exitcode'], { cwd: dir.path, env: emu.env })).code).toBe(2);
    const again = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/from an earlier run/);
    expect((await runCliInProcess(['plan', '--detailed-exitcode'], { cwd: dir.path, env: emu.env })).code).toBe(0);
  });
});

describe('apply whose output closes (in-process: the hook the binary calls on EPIPE)', () => {
  it('mid-apply: the calls in flight finish and are recorded, nothing new starts, exit 141; the next apply converges', async () => {
    emu = await startTestEmulator({ latencyMs: 40 });
    dir = await fixtureCopy('basic');
    await generatePromptSet(join(dir.path, 'prompts'), { templates: 30, versions: 1 });
    const closed = new AbortController();
    const r = await runCliInProcess(['apply', '--auto-approve'], {
      cwd: dir.path,
      env: emu.env,
      outputClosed: closed.signal,
      watchStderr: (soFar) => {
        if (!closed.signal.aborted && (soFar.match(/ created /g) ?? []).length >= 5) closed.abort();
      },
    });
    expect(r.code, r.stderr).toBe(141);
    expect(r.stderr).toMatch(/^output closed: finishing the calls in flight/m);
    expect(r.stderr).toMatch(/^Apply interrupted: \d+ created, 0 updated, 0 deleted; 0 failed, [1-9]\d* not started\.$/m);
    expect(await verifyAuditFile(join(dir.path, '.promptctl/audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
    expect((await runCliInProcess(['plan', '--detailed-exitcode'], { cwd: dir.path, env: emu.env })).code).toBe(2);
    const again = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(again.code, again.stderr).toBe(0);
    expect((await runCliInProcess(['plan', '--detailed-exitcode'], { cwd: dir.path, env: emu.env })).code).toBe(0);
  });

  it('before the apply begins (the plan could not be shown): nothing is applied, exit 141, the embedded emulator closes cleanly', async () => {
    dir = await fixtureCopy('basic');
    const closed = new AbortController();
    const r = await runCliInProcess(['apply', '--auto-approve'], {
      cwd: dir.path,
      outputClosed: closed.signal,
      watchStderr: () => closed.abort(),
    });
    expect(r.code, r.stderr).toBe(141);
    expect(r.stderr).not.toMatch(/ created /);
    expect(await leftovers(dir.path)).toEqual([]);
    expect((await runCliInProcess(['plan', '--detailed-exitcode'], { cwd: dir.path })).code).toBe(2);
  });
});
