// Write-ahead under a real kill -9: a child process makes changes (intent → "call" → outcome,
// many in flight, committed in batches) and is killed with SIGKILL mid-way. Whatever instant it
// dies at, every change it reported as started has a durable intent, every record it was told is
// durable is in the file, the file verifies (after the next open repairs a torn tail), and the
// intents without an outcome are exactly what the next run's pendingIntents() lists.
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openAuditLog, type AuditRecord } from '../../../src/audit/log.js';
import { verifyAuditFile } from '../../../src/audit/verify.js';
import { childProcessSuite, startChild } from './support.js';

const suite = childProcessSuite('crash');

// Prints "called <address> <intent seq>" once an intent is durable (the moment a real apply makes
// its call) and "done <address> <outcome seq>" once the outcome is durable. Runs until killed.
const APPLIER = (logUrl: string): string => `
import { openAuditLog } from ${JSON.stringify(logUrl)};
const [file, inFlight] = process.argv.slice(1);
const log = await openAuditLog(file, { env: {}, onWarning: () => {} });
process.stdout.write('ready\\n');
let n = 0;
const worker = async () => {
  for (;;) {
    const address = 'PromptTemplate/t' + (++n);
    const intent = await log.intent({ actor: 'ci', commit: null, planId: 'p1', org: { id: 'o', host: 'h' }, address,
      action: 'create', resourceId: null, before: null, after: { version: null, hash: 'x', content: { name: address } } });
    process.stdout.write('called ' + address + ' ' + intent.seq + '\\n');
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 10)); // the API call's latency (simulated): kills land with calls in flight
    const out = await log.outcome(intent, { outcome: 'success', resourceId: 'id-' + n, after: { version: 1, hash: 'x', content: { name: address } } });
    process.stdout.write('done ' + address + ' ' + out.seq + '\\n');
  }
};
for (let i = 0; i < Number(inFlight); i++) void worker();
`;

describe('audit trail under kill -9', () => {
  it.each([5, 40, 120])('leaves no change without a record when killed after %i changes started', async (after) => {
    const file = join(suite.dir, 'audit.jsonl');
    const child = startChild(APPLIER(suite.built.log), [file, '8']);
    await child.waitFor((l) => l === 'ready');
    await child.waitFor(() => child.lines.filter((l) => l.startsWith('called ')).length >= after);
    child.proc.kill('SIGKILL');
    expect(await child.exited).toMatchObject({ signal: 'SIGKILL' });

    const called = new Map<string, number>(); // address → intent seq
    const done = new Set<string>();
    for (const l of child.lines) {
      const [what, address, seq] = l.split(' ');
      if (what === 'called') called.set(address!, Number(seq));
      if (what === 'done') done.add(address!);
    }

    // A SIGKILL between creating the lock file and writing its holder leaves an empty lock, which
    // util/lock.ts can only judge by age (30 s by default): a short bound keeps the test quick.
    const log = await openAuditLog(file, { env: {}, onWarning: () => undefined, lock: { staleMs: 1000 } });
    const pending = log.pendingIntents();
    await log.close();
    const records = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    const intents = new Map(records.filter((r) => r.type === 'intent').map((r) => [r.address, r]));
    const outcomes = new Map(records.filter((r) => r.type === 'outcome').map((r) => [r.intent!, r]));

    // Every call made has its intent on disk, at the seq the child was told.
    for (const [address, seq] of called) expect(intents.get(address)?.seq, address).toBe(seq);
    // Every outcome the child was told is durable is on disk.
    for (const address of done) expect(outcomes.has(intents.get(address)!.seq), address).toBe(true);
    // The pending intents are exactly the intents without an outcome: a call not reported done has
    // either an outcome that became durable before the kill, or is listed for the next run to resolve.
    const open = [...intents.values()].filter((i) => !outcomes.has(i.seq));
    expect(pending.map((p) => p.seq)).toEqual(open.map((i) => i.seq));
    for (const address of called.keys()) {
      if (done.has(address)) continue;
      const listed = pending.some((p) => p.address === address);
      expect(listed !== outcomes.has(intents.get(address)!.seq), address).toBe(true);
    }
    expect(pending.length).toBeGreaterThan(0);

    const v = await verifyAuditFile(file);
    expect(v).toMatchObject({ ok: true, records: records.length, pending: open.map((i) => i.seq) });
  });

  it('does not list the intents of a writer that is still running', async () => {
    const file = join(suite.dir, 'audit.jsonl');
    // One in flight, with a pause between intent and outcome long enough to look.
    const slow = APPLIER(suite.built.log).replace('20 + Math.random() * 10', '60_000');
    const child = startChild(slow, [file, '1']);
    try {
      await child.waitFor((l) => l.startsWith('called '));
      const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
      expect(log.pendingIntents()).toEqual([]);
      await log.close();
      expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 1, pending: [1] });
    } finally {
      child.proc.kill('SIGKILL');
      await child.exited;
    }
    const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    expect(log.pendingIntents().map((p) => p.seq)).toEqual([1]);
    await log.close();
  });
});
