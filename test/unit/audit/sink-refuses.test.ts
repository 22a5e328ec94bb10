// An HTTP audit sink that refuses records (a 401 for a wrong signing key, a 404 for a wrong URL, a
// 400) was sent the first record again with every new record of the run: a refusal is not retried,
// so each attempt failed fast and the 20 s budget hardly moved (an apply of 1,000 changes made
// 1,000 requests for record 1, each refused). A refusal (4xx other than 408, 409 and 429, which say
// "later") now gives the sink up for the run at once, saying why; the records stay in the trail
// and the next run sends them first (the cursor is untouched).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runWithSink, stubSink, type StubSink } from '../../helpers/audit-sink.js';

let dir: string;
let sink: StubSink;
/** The status the sink answers with, and the seqs it was sent. */
let status: number;
let received: number[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-sink-refuses-'));
  received = [];
  sink = await stubSink(({ seq }, _req, res) => {
    received.push(seq);
    res.writeHead(status).end();
  });
});

afterEach(async () => {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});

const run = (file: string, seqs: number[]): Promise<string[]> => runWithSink(file, sink.url, seqs, { backoffLimitMs: 5 });

describe('an audit sink that refuses records', () => {
  // A redirect (not followed) and a 5xx that is not retried (501) were neither given up nor held to
  // the budget: record 1 was sent again with each new record, a warning each time (121 of them in
  // an apply writing 150 records, a review found). Any answer that is not retried is a refusal.
  it.each([
    [401, 'HTTP 401 after 1 attempt', 'was refused \\(HTTP 401\\)'],
    [404, 'HTTP 404 after 1 attempt', 'was refused \\(HTTP 404\\)'],
    [400, 'HTTP 400 after 1 attempt', 'was refused \\(HTTP 400\\)'],
    [302, 'HTTP 302 \\(redirects are not followed\\)', 'was redirected \\(HTTP 302\\)'],
    [307, 'HTTP 307 \\(redirects are not followed\\)', 'was redirected \\(HTTP 307\\)'],
    [501, 'HTTP 501 after 1 attempt', 'was refused \\(HTTP 501, an answer not retried\\)'],
    [505, 'HTTP 505 after 1 attempt', 'was refused \\(HTTP 505, an answer not retried\\)'],
  ])('is given up for the run at its first refusal (HTTP %i), and the next run sends every record first', async (code, failed, why) => {
    const file = join(dir, 'audit.jsonl');
    status = code;
    const warnings = await run(file, [1, 2, 3, 4, 5, 6, 7, 8]);
    // Record 1 once: not again with each later record.
    expect(received).toEqual([1]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(new RegExp(`: ${failed}; record 1 is kept in .*audit\\.jsonl, and not sent again in this run: it ${why}$`));
    expect(warnings.at(-1)).toMatch(new RegExp(`8 records \\(1–8\\) not sent in this run after record 1 ${why}; they are kept in .*, and the next run sends them first$`));
    // Fixed (the key, the URL): the next run delivers them all, in order, before its own.
    status = 204;
    received = [];
    expect(await run(file, [9])).toEqual([]);
    expect(received).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('still tries a record again later in the run after a 429 (the sink says "later", not "no")', async () => {
    const file = join(dir, 'audit.jsonl');
    status = 429;
    await run(file, [1, 2, 3]);
    expect(received.filter((s) => s === 1).length).toBeGreaterThan(1);
  });

  // A sink that keeps to the Idempotency-Key draft answers 409 to a record whose first delivery it
  // is still storing (a copy sent again after a timeout, or by the next run after a crash). It was
  // taken for a refusal: the sink given up and its cursor held at that record, run after run.
  it('tries a record again after a 409 (the same idempotency key still being stored), and delivers it', async () => {
    const file = join(dir, 'audit.jsonl');
    const answers = [409, 204];
    await sink.close();
    received = [];
    sink = await stubSink(({ seq }, _req, res) => {
      received.push(seq);
      res.writeHead(answers.shift() ?? 204).end();
    });
    expect(await run(file, [1, 2])).toEqual([]);
    expect(received).toEqual([1, 1, 2]);
  });
});

describe('an audit sink that keeps failing with answers that are retried', () => {
  // Each failed delivery of record 1 was a warning of its own: one a record of the run.
  it.each(['HTTP 500', 'ECONNREFUSED'])('is said once a run (%s), the failures counted at its end', async (what) => {
    const file = join(dir, 'audit.jsonl');
    status = 500;
    let url = sink.url;
    if (what === 'ECONNREFUSED') {
      const gone = createServer();
      await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/audit`;
      await new Promise<void>((r) => gone.close(() => r()));
    }
    const warnings = await runWithSink(file, url, [1, 2, 3, 4, 5, 6], { backoffLimitMs: 5, retries: 1 });
    if (what === 'HTTP 500') expect(received).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(warnings, warnings.join('\n')).toHaveLength(2);
    expect(warnings[0]).toMatch(new RegExp(`: ${what} after 2 attempts; record 1 is kept in .*audit\\.jsonl and sent again before any later one$`));
    expect(warnings[1]).toMatch(new RegExp(`: 6 records \\(1–6\\) not sent in this run after its last delivery failed \\(6 failed deliveries in this run; the last: ${what} after 2 attempts\\); they are kept in .*, and the next run sends them first$`));
  });
});
