// An apply's interrupt did not reach its audit sinks: with a sink answering each POST after 2 s,
// an apply interrupted 1.8 s in went on starting POSTs for 20 s (the end of the run's wait for a
// slow sink), and a second interrupt (CI's SIGTERM) then killed it before `audit head:` was said.
// The sinks now hear the run's stop: no delivery starts after it (a retry neither), the one on the
// wire may finish within a short grace and is cut off after it, and what was not sent is left for
// the next run (the cursor), which sends it first.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog } from '../../../src/audit/log.js';
import { plainRecord, runWithSink, stubSink, type StubSink } from '../../helpers/audit-sink.js';
import type { ServerResponse } from 'node:http';

let dir: string;
let file: string;
let sink: StubSink;
/** The seqs the sink was sent, in order; how it answers (held: never, until the test lets it). */
let received: number[];
let answer: (seq: number, res: ServerResponse) => void;
/** Settles with each request's arrival. */
let arrived: (seq: number) => void;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-sink-stop-'));
  file = join(dir, 'audit.jsonl');
  received = [];
  arrived = () => undefined;
  sink = await stubSink(({ seq }, _req, res) => {
    received.push(seq);
    arrived(seq);
    answer(seq, res);
  });
});

afterEach(async () => {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});

/** A run of 6 records whose stop comes once the sink holds record 1's POST; its warnings and how long close took. */
async function interruptedRun(stopGraceMs: number): Promise<{ warnings: string[]; closeMs: number }> {
  const stop = new AbortController();
  const warnings: string[] = [];
  const first = new Promise<void>((r) => (arrived = (seq) => seq === 1 && r()));
  const log = await openAuditLog(file, { sinks: [{ url: sink.url }], env: {}, onWarning: (m) => warnings.push(m), sinkOptions: { stop: stop.signal, stopGraceMs, backoffLimitMs: 5 } });
  for (let n = 1; n <= 3; n++) await log.append(plainRecord(n));
  await first;
  stop.abort();
  // Records written after the interrupt (the outcomes of calls in flight) are kept, not sent.
  for (let n = 4; n <= 6; n++) await log.append(plainRecord(n));
  const t0 = performance.now();
  await log.close();
  return { warnings, closeMs: performance.now() - t0 };
}

describe('an audit sink when the run is interrupted', () => {
  it('is sent nothing new; the delivery on the wire finishes, and the rest is left for the next run', async () => {
    // Answers record 1 a little after the interrupt, within the grace: taken, its cursor moved.
    answer = (seq, res) => void setTimeout(() => res.writeHead(204).end(), seq === 1 ? 150 : 0);
    const { warnings } = await interruptedRun(5000);
    expect(received).toEqual([1]);
    expect(warnings).toEqual([expect.stringMatching(/: 5 records \(2–6\) not sent in this run after the run was interrupted; they are kept in .*audit\.jsonl, and the next run sends them first$/)]);
    received = [];
    expect(await runWithSink(file, sink.url, [7], {})).toEqual([]);
    expect(received).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('cuts off a delivery on the wire after the grace, not after the sink budget, and starts no retry', async () => {
    // Never answers: the delivery would take the 5 s timeout, then the 20 s budget at the end.
    answer = () => undefined;
    const { warnings, closeMs } = await interruptedRun(100);
    expect(closeMs).toBeLessThan(2000);
    expect(received).toEqual([1]);
    expect(warnings).toEqual([expect.stringMatching(/: 6 records \(1–6\) not sent in this run after the run was interrupted; they are kept in .*, and the next run sends them first$/)]);
  });

  it('starts no retry of a delivery that failed after the interrupt', async () => {
    // A 503 (retried, but not once the run is interrupted).
    answer = (_seq, res) => void setTimeout(() => res.writeHead(503).end(), 100);
    await interruptedRun(5000);
    expect(received).toEqual([1]);
  });
});
