// Ctrl-C during `promptctl test` as a user meets it: the built binary (build first) against
// `promptctl emulator --port 0 --latency-ms N`, each in its own process, and a real SIGINT sent
// after the first progress line. The process ends with exit code 130 (not "killed by SIGINT"),
// after printing the report of the cases that finished. (A second interrupt, which must come
// while the first is being handled, is replayed in-process: interrupt.test.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { createLive, manyCasesTest, PROMPTS_YAML } from './evals-support.js';

const CASES = 24;

/** CASES cases that pass on any answer, each its own call. */
const MANY_TEST = manyCasesTest(CASES, { name: 'case', question: 'Where is my parcel?', expect: 'maxOutputTokens: 1000' });

const PROGRESS = new RegExp(`^✓ faq-many · case \\d+ @1\\.1\\.0: 1\\/1 passed \\[case \\d+\\/${CASES}\\]$`, 'm');

let dir: TempDir | undefined;
const children: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(BIN) || !existsSync(join(BIN, '../../dist/bundle/promptctl.cjs'))) throw new Error('build first: npm run build');
});

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  }
  await dir?.remove();
  dir = undefined;
});

/** `promptctl emulator` in its own process, with the live objects the prompts describe (unless `live` is false); its URL. */
async function emulator(latencyMs: number, live = true): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--latency-ms', String(latencyMs), '--rate-limit', '1000000', '--state', 'state.json'], {
    cwd: dir!.path,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (m?.[1]) resolve(m[1]);
      else reject(new Error(`unexpected first line: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before listening`)));
  });
  if (!live) return url;
  const api = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: url, loginUrl: url, clientId: 'local-client', clientSecret: 'local-secret', targetLabel: 'emulator' });
  try {
    await createLive(api);
  } finally {
    await api.close();
  }
  return url;
}

/** `promptctl test ARGS` on the emulator at `url`, sent `signals` SIGINTs once its first case has finished. */
async function interruptedTest(url: string, args: string[], signals = 1): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; sent: number }> {
  const env = cleanEnv({ GENESYSCLOUD_API_URL: url, GENESYSCLOUD_OAUTHCLIENT_ID: 'local-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'local-secret' });
  const child = spawn(process.execPath, [BIN, 'test', ...args], { cwd: dir!.path, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  let sent = 0;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (sent === 0 && PROGRESS.test(stderr)) {
      for (; sent < signals; sent++) child.kill('SIGINT');
    }
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.once('close', (c, s) => r([c, s])));
  return { code, signal, stdout, stderr, sent };
}

describe('promptctl test, interrupted (the binary)', () => {
  it('SIGINT after the first finished case: the report of the finished cases, how many did not run, exit 130', async () => {
    dir = await tempDir('promptctl-interrupt-');
    await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
    await writeFile(join(dir.path, 'prompts', 'faq.yaml'), PROMPTS_YAML + '\n');
    await writeFile(join(dir.path, 'prompts', 'tests', 'many.yaml'), MANY_TEST);
    const url = await emulator(150);

    const r = await interruptedTest(url, [], 1);
    expect(r.sent).toBe(1);
    expect([r.code, r.signal], r.stderr).toEqual([130, null]);
    expect(r.stderr).toMatch(/^interrupted: no new call is started and the calls in flight are cut off \(interrupt again to stop at once\)$/m);
    const finished = (r.stderr.match(new RegExp(PROGRESS.source, 'gm')) ?? []).length;
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThan(CASES);
    // Every call in flight listens on the one signal: no "possible memory leak" warning.
    expect(r.stderr).not.toMatch(/Warning/);
    expect(r.stdout.split('\n')[0]).toBe('PromptTest/faq-many → faq-bot@1.1.0');
    expect(r.stdout.split('\n').filter((l) => /^ {2}case \d+\s+1\.1\.0\s+✓ pass/.test(l))).toHaveLength(finished);
    expect(r.stdout).toMatch(new RegExp(`^Interrupted: ${finished} of ${CASES} cases finished, ${CASES - finished} did not run; ${finished} calls? made(, \\d+ cut off)?\\.$`, 'm'));

    // JSON too: one whole document.
    const j = await interruptedTest(url, ['--format', 'json', '--no-cache'], 1);
    expect([j.code, j.signal], j.stderr).toEqual([130, null]);
    const report = JSON.parse(j.stdout);
    expect(report.interrupted.casesFinished + report.interrupted.casesNotRun).toBe(CASES);
    expect(report.tests[0].runs).toHaveLength(report.interrupted.casesFinished);
  });
});

/** `promptctl ARGS` on the target at `url`, sent `signal` once stderr holds a line `when` matches. */
async function signalledOn(url: string, args: string[], signal: NodeJS.Signals, when: RegExp): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; sent: boolean }> {
  const env = cleanEnv({ GENESYSCLOUD_API_URL: url, GENESYSCLOUD_OAUTHCLIENT_ID: 'local-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'local-secret' });
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir!.path, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  let sent = false;
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (!sent && when.test(stderr)) {
      sent = true;
      child.kill(signal);
    }
  });
  const [code, got] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.once('close', (c, s) => r([c, s])));
  return { code, signal: got, stderr, sent };
}

/** Sent once its target line is on stderr (before any answer of a slow target). */
const signalledAtStart = (url: string, args: string[], signal: NodeJS.Signals) => signalledOn(url, args, signal, /^target: /m);

describe('an interrupt before a command listens, or in one that does not (the binary)', () => {
  it('SIGTERM and SIGINT end plan, status, drift, and run, test and apply at their start, with exit 130 (not killed by the signal: 143 for SIGTERM)', async () => {
    dir = await tempDir('promptctl-interrupt-');
    await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
    await writeFile(join(dir.path, 'prompts', 'faq.yaml'), PROMPTS_YAML + '\n');
    await writeFile(join(dir.path, 'prompts', 'tests', 'many.yaml'), MANY_TEST);
    // Every answer takes 5 s: each command is still reading when the signal comes.
    const url = await emulator(5000, false);
    const commands = [['plan'], ['status'], ['drift'], ['run', 'faq-bot@1.1.0', '--var', 'question=Where?'], ['test'], ['apply', '--auto-approve']];
    for (const args of commands) {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const r = await signalledAtStart(url, args, signal);
        expect(r.sent, `${args[0]} ${signal}: ${r.stderr}`).toBe(true);
        expect([r.code, r.signal], `${args[0]} ${signal}: ${r.stderr}`).toEqual([130, null]);
        expect(r.stderr, `${args[0]} ${signal}`).toMatch(/^interrupted\b/m);
      }
    }
  });
});

/**
 * `promptctl export --out out --force` on the target at `url`, sent `signal` once it says it
 * replaces out/tpl-000.yaml (the file it writes next), so the signal comes while it writes.
 */
const exportSignalled = (url: string, out: string, signal: NodeJS.Signals) =>
  signalledOn(url, ['export', '--out', out, '--force'], signal, /^warning: \S+\/tpl-000\.yaml was there before and is replaced/m);

describe('promptctl export, interrupted while it writes (the binary)', () => {
  it('SIGINT and SIGTERM: the file being written finishes (no temp file is left in --out), no more is written, it says how many were and how to finish, exit 130', async () => {
    dir = await tempDir('promptctl-interrupt-');
    const url = await emulator(0, false);
    const TEMPLATES = 200;
    const api = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: url, loginUrl: url, clientId: 'local-client', clientSecret: 'local-secret', targetLabel: 'emulator' });
    try {
      for (let i = 0; i < TEMPLATES; i++) await api.createTemplate({ name: `tpl-${String(i).padStart(3, '0')}`, model: 'gpt-4o-mini', labels: { 'managed-by': 'promptctl' } });
    } finally {
      await api.close();
    }
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const out = `out-${signal}`;
      await mkdir(join(dir.path, out));
      // A file of the export's, holding something else: replaced, and said to be, just before it is written.
      await writeFile(join(dir.path, out, 'tpl-000.yaml'), '# mine\n');
      const r = await exportSignalled(url, out, signal);
      expect(r.sent, `${signal}: ${r.stderr}`).toBe(true);
      expect([r.code, r.signal], `${signal}: ${r.stderr}`).toEqual([130, null]);
      const m = new RegExp(`^interrupted: (\\d+) of ${TEMPLATES} files written to ${out}; the export is incomplete: export again with --out ${out} --force to finish it$`, 'm').exec(r.stderr);
      expect(m, `${signal}: ${r.stderr}`).not.toBeNull();
      const written = Number(m![1]);
      expect(written, signal).toBeGreaterThanOrEqual(1);
      expect(written, signal).toBeLessThan(TEMPLATES);
      const entries = await readdir(join(dir.path, out));
      expect(entries.filter((e) => e.endsWith('.tmp')), signal).toEqual([]);
      expect(entries.filter((e) => e.endsWith('.yaml')), signal).toHaveLength(written);
      expect(await readFile(join(dir.path, out, 'tpl-000.yaml'), 'utf8'), signal).toContain('name: tpl-000');
    }
  });
});
