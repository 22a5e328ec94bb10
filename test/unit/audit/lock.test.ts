// The audit log's inter-process lock: two promptctl processes appending to one file keep one chain.
// The writers are separate Node processes running the audit module transpiled from src/ (support.ts).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AUDIT_KEY_ENV, openAuditLog, type AuditInput } from '../../../src/audit/log.js';
import { verifyAuditFile } from '../../../src/audit/verify.js';
import { UserError } from '../../../src/util/errors.js';
import { KEY, childProcessSuite } from './support.js';

const suite = childProcessSuite('lock');

function input(n: number, who = 'test'): AuditInput {
  return {
    actor: who,
    commit: null,
    planId: `plan-${who}`,
    org: { id: 'org', host: 'localhost' },
    address: `PromptTemplate/${who}-${n}`,
    action: 'create',
    resourceId: null,
    before: null,
    after: { version: 1, hash: `h${n}` },
    outcome: 'success',
    correlationId: `corr-${who}-${n}`,
  };
}

const quiet = { onWarning: () => undefined, env: {} };

// A writer process: opens the log, says "ready", waits for "go" on stdin, then makes N changes,
// each an intent and its outcome, all in flight at once, and exits.
const WRITER = (logUrl: string): string => `
import { openAuditLog } from ${JSON.stringify(logUrl)};
const [file, who, n] = process.argv.slice(1);
const log = await openAuditLog(file, { env: process.env, onWarning: () => {} });
process.stdout.write('ready\\n');
process.stdin.once('data', async () => {
  const pending = [];
  for (let i = 1; i <= Number(n); i++) {
    pending.push((async () => {
      const intent = await log.intent({ actor: who, commit: null, planId: 'p-' + who, org: { id: 'org', host: 'localhost' },
        address: 'PromptTemplate/' + who + '-' + i, action: 'create', resourceId: null, before: null,
        after: { version: null, hash: 'h', content: { name: who + i } } });
      await log.outcome(intent, { outcome: 'success', resourceId: 'id-' + who + i, after: { version: 1, hash: 'h', content: { name: who + i } } });
    })());
  }
  await Promise.all(pending);
  await log.close();
  process.stdin.destroy();
});
`;

interface Writer {
  ready: Promise<void>;
  done: Promise<{ code: number | null; stderr: string }>;
  go(): void;
}

function startWriter(file: string, who: string, n: number, env: NodeJS.ProcessEnv = {}): Writer {
  const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER(suite.built.log), file, who, String(n)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...env },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const ready = new Promise<void>((ok, fail) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => d.includes('ready') && ok());
    child.on('exit', () => fail(new Error(`writer ${who} exited before it was ready: ${stderr}`)));
  });
  const done = new Promise<{ code: number | null; stderr: string }>((ok) => child.on('close', (code) => ok({ code, stderr })));
  return { ready, done, go: () => child.stdin.write('go\n') };
}

/** The pid of a process that has exited (so is certainly not holding anything). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((ok) => child.on('exit', ok));
  return child.pid!;
}

describe('audit log lock across processes', () => {
  it.each([
    ['sha256', {}],
    ['a keyed chain', { [AUDIT_KEY_ENV]: KEY }],
  ])('two processes writing intents and outcomes at once to one file keep one unbroken chain (%s)', async (_what, env) => {
    const file = join(suite.dir, '.promptctl', 'audit.jsonl');
    // Some history first, so both writers start from the same non-empty tail.
    const seed = await openAuditLog(file, { ...quiet, env });
    await seed.append(input(1));
    await seed.close();

    const perWriter = 150;
    const writers = [startWriter(file, 'a', perWriter, env), startWriter(file, 'b', perWriter, env)];
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    const results = await Promise.all(writers.map((w) => w.done));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });

    const key = (env as NodeJS.ProcessEnv)[AUDIT_KEY_ENV] ?? null;
    expect(await verifyAuditFile(file, { key })).toMatchObject({ ok: true, records: 1 + 4 * perWriter, pending: [] });
    const records = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: number; actor: string; type: string });
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    expect(records.filter((r) => r.actor === 'a' && r.type === 'intent')).toHaveLength(perWriter);
    expect(records.filter((r) => r.actor === 'b' && r.type === 'outcome')).toHaveLength(perWriter);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('breaks a lock left by a process that died on this host', async () => {
    const file = join(suite.dir, 'audit.jsonl');
    const pid = await deadPid();
    await writeFile(`${file}.lock`, JSON.stringify({ pid, hostname: hostname(), createdAt: new Date().toISOString(), token: 'x' }));
    const log = await openAuditLog(file, { ...quiet, lock: { timeoutMs: 10_000 } });
    await log.append(input(1));
    await log.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 1 });
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('breaks a lock from another host once it is older than the bound', async () => {
    const file = join(suite.dir, 'audit.jsonl');
    const old = new Date(Date.now() - 10 * 60_000);
    await writeFile(`${file}.lock`, JSON.stringify({ pid: 1, hostname: 'elsewhere.example', createdAt: old.toISOString(), token: 'x' }));
    await utimes(`${file}.lock`, old, old);
    const log = await openAuditLog(file, { ...quiet, lock: { staleMs: 60_000, timeoutMs: 10_000 } });
    await log.append(input(1));
    await log.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 1 });
  });

  it('waits for a live holder and then names it when it never lets go', async () => {
    const file = join(suite.dir, 'audit.jsonl');
    // Held by this very process under another token: alive, and on this host.
    const held = JSON.stringify({ pid: process.pid, hostname: hostname(), createdAt: new Date().toISOString(), token: 'other' });
    await writeFile(`${file}.lock`, held);
    const opening = openAuditLog(file, { ...quiet, lock: { timeoutMs: 300 } });
    await expect(opening).rejects.toBeInstanceOf(UserError);
    await expect(opening).rejects.toThrow(
      new RegExp(`audit\\.jsonl\\.lock.*held by pid ${process.pid} on ${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    // The holder's lock is left alone, and nothing was written.
    expect(await readFile(`${file}.lock`, 'utf8')).toBe(held);
    expect((await stat(file).catch(() => null))?.size ?? 0).toBe(0);
  });
});
