// An HTTP audit sink that refuses records (a 401 for a wrong signing key, a 404 for a wrong URL, a
// 400) was sent the first record again with every new record of the run: a refusal is not retried,
// so each attempt failed fast and the 20 s budget hardly moved (an apply of 1,000 changes made
// 1,000 requests for record 1, each refused). A refusal (4xx other than 408 and 429, which say
// "later") now gives the sink up for the run at once, saying why; the records stay in the trail
// and the next run sends them first (the cursor is untouched).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  it.each([401, 404, 400])('is given up for the run at its first refusal (HTTP %i), and the next run sends every record first', async (code) => {
    const file = join(dir, 'audit.jsonl');
    status = code;
    const warnings = await run(file, [1, 2, 3, 4, 5, 6, 7, 8]);
    // Record 1 once: not again with each later record.
    expect(received).toEqual([1]);
    expect(warnings[0]).toMatch(new RegExp(`: HTTP ${code} after 1 attempt; record 1 is kept in .*audit\\.jsonl, and not sent again in this run: it was refused \\(HTTP ${code}\\)$`));
    expect(warnings.at(-1)).toMatch(new RegExp(`8 records \\(1–8\\) not sent in this run after record 1 was refused \\(HTTP ${code}\\); they are kept in .*, and the next run sends them first$`));
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
});
