// An HTTP audit sink always slower than the delivery timeout stored the same first record about 4
// times a run: each timed-out attempt was retried at once (three a delivery), and the delivery
// again when the next record came, though every attempt had reached the sink. A timed-out
// delivery is now an unknown outcome: not retried at once, sent once more at most in the run
// (before any later record), and a second timeout gives the sink up for the run; the next run
// resumes from the cursor. The sink drops the copies by the record's hash (idempotency-key).
// The timeout is injected (100 ms, the sink answering after 300 ms: a margin a busy machine keeps): nothing waits real seconds.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog } from '../../../src/audit/log.js';
import { verifyAuditFile } from '../../../src/audit/verify.js';
import { plainRecord as input, runWithSink, stubSink, type StubSink } from '../../helpers/audit-sink.js';

const TIMEOUT_MS = 100;

interface Stored {
  seq: number;
  hash: string;
  key: string;
}

let dir: string;
let sink: StubSink;
let url: string;
/** Every body the sink stored, as it stored it (before answering). */
let stored: Stored[];
/** How long the sink takes to answer after storing a record. */
let answerAfterMs: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-sink-slow-'));
  stored = [];
  answerAfterMs = TIMEOUT_MS * 3;
  sink = await stubSink(({ seq, hash }, req, res) => {
    stored.push({ seq, hash, key: String(req.headers['idempotency-key']) });
    setTimeout(() => res.writeHead(204).end(), answerAfterMs).unref();
  });
  url = sink.url;
});

afterEach(async () => {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});

/** One run: opens the trail with the sink (the default retries and budget), appends `seqs`, closes. */
const run = (file: string, seqs: number[]): Promise<string[]> => runWithSink(file, url, seqs, { timeoutMs: TIMEOUT_MS, backoffLimitMs: 5 });

describe('an audit sink slower than the delivery timeout', () => {
  it('is sent a record it may hold at most twice a run, the next run resumes from the cursor, and every copy names the record', async () => {
    const file = join(dir, 'audit.jsonl');
    const first = await run(file, [1, 2, 3, 4, 5]);
    // Record 1 once, then once more when record 2 came; never a later record before it.
    expect(stored.map((s) => s.seq)).toEqual([1, 1]);
    expect(first.at(-1), first.join('\n')).toMatch(
      /^audit sink http:\/\/127\.0\.0\.1:\d+\/audit: 5 records \(1–5\) not sent in this run after record 1 timed out twice \(the sink may hold it\); they are kept in .*audit\.jsonl, and the next run sends them first$/,
    );
    expect(first[0]).toMatch(/: ETIMEDOUT after 1 attempt; record 1 is kept in .*audit\.jsonl and sent again before any later one$/);
    expect(first[1]).toMatch(/: ETIMEDOUT after 1 attempt; record 1 is kept in .*audit\.jsonl, and not sent again in this run: it timed out twice$/);

    // The next run starts again at record 1 (the cursor never moved): at once, and once more when record 6 comes.
    stored = [];
    await run(file, [6]);
    expect(stored.map((s) => s.seq)).toEqual([1, 1]);

    // The sink is fast again: everything after the cursor, in order, once each.
    stored = [];
    answerAfterMs = 0;
    expect(await run(file, [7])).toEqual([]);
    expect(stored.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    stored = [];
    await run(file, []);
    expect(stored).toEqual([]);

    // Each copy carries the record's hash, in its body and as its idempotency-key: what the sink drops duplicates by.
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string });
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 7 });
  });

  it('takes the record it was sent once more when the second attempt is in time, and goes on', async () => {
    const file = join(dir, 'audit.jsonl');
    const warnings: string[] = [];
    let warned!: () => void;
    const firstWarning = new Promise<void>((r) => (warned = r));
    const onWarning = (m: string): void => {
      warnings.push(m);
      warned();
    };
    const log = await openAuditLog(file, { sinks: [{ url }], env: {}, onWarning, sinkOptions: { timeoutMs: TIMEOUT_MS, backoffLimitMs: 5 } });
    await log.append(input(1));
    // Record 1's attempt has timed out (its warning) before the sink speeds up.
    await firstWarning;
    answerAfterMs = 0;
    await log.append(input(2));
    await log.close();
    expect(stored.map((s) => s.seq)).toEqual([1, 1, 2]);
    const hashes = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => (JSON.parse(l) as { hash: string }).hash);
    expect(stored.map((s) => s.key)).toEqual([hashes[0], hashes[0], hashes[1]]);
    expect(stored.map((s) => s.hash)).toEqual([hashes[0], hashes[0], hashes[1]]);
    expect(warnings).toHaveLength(1);
  });
});
