// An HTTP audit sink that accepts connections and never answers held apply up after "Apply
// complete": every record got its three timed-out attempts, one record after another (about 17 s
// a record with the defaults: a 20-change apply waited some 6 minutes, saying nothing). A sink now
// has a budget of failed delivery time per run (SinkOptions.budgetMs); once it is spent, the
// run's later records are not sent to it, and one warning names them (they stay in the file).
// Counted in requests, not timed. A timed-out delivery is not retried at once, and a second
// timeout of the same record gives the sink up (sink-slow.test.ts): the budget here is shorter
// than two 40 ms timeouts, so that it is the budget that gives this sink up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog } from '../../../src/audit/log.js';
import { verifyAuditFile } from '../../../src/audit/verify.js';
import { plainRecord as input, stubSink, type StubSink } from '../../helpers/audit-sink.js';

let dir: string;
let sink: StubSink;
let url: string;
let requests: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-sink-silent-'));
  requests = 0;
  // Reads each request and never answers it (closing the sink drops them).
  sink = await stubSink(() => {
    requests++;
  });
  url = sink.url;
});

afterEach(async () => {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});

describe('an audit sink that never answers', () => {
  it('is given up for the rest of the run once its budget is spent: later records are not sent, and one warning names them', async () => {
    const file = join(dir, 'audit.jsonl');
    const warnings: string[] = [];
    const log = await openAuditLog(file, {
      sinks: [{ url }],
      env: {},
      onWarning: (m) => warnings.push(m),
      sinkOptions: { timeoutMs: 40, retries: 2, backoffLimitMs: 5, budgetMs: 60 },
    });
    for (let i = 1; i <= 20; i++) await log.append(input(i));
    await log.close();
    // The first record's attempts spend the budget; before, all 20 records made 60 requests.
    expect(requests).toBeLessThanOrEqual(6);
    expect(warnings.filter((w) => /audit sink http:\/\/127\.0\.0\.1:\d+\/audit: .*record \d+ is kept/.test(w)).length).toBeGreaterThanOrEqual(1);
    const skipped = warnings.find((w) => /not sent/.test(w));
    expect(skipped, warnings.join('\n')).toMatch(/^audit sink http:\/\/127\.0\.0\.1:\d+\/audit: \d+ records \(\d+–20\) not sent in this run after [\d.]+ s of failed deliveries; they are kept in .*audit\.jsonl, and the next run sends them first$/);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 20 });
  });

  // A delivery used to be bounded only by its own attempts' timeouts, checked against the budget
  // between records (a budget of 20 s let a run wait 37 s), and the end of the run waited for a
  // sink that answers, however slowly (one second a record held a 28-change apply 28 s). Here
  // got's own timeout is a minute: only the budget can end the run soon.
  it('cuts a delivery off where it would overrun the budget, and waits for a sink still delivering at most the budget', async () => {
    const file = join(dir, 'audit.jsonl');
    const warnings: string[] = [];
    const log = await openAuditLog(file, {
      sinks: [{ url }],
      env: {},
      onWarning: (m) => warnings.push(m),
      sinkOptions: { timeoutMs: 60_000, retries: 2, backoffLimitMs: 5, budgetMs: 150 },
    });
    for (let i = 1; i <= 5; i++) await log.append(input(i));
    await log.close();
    // Whichever comes first at the budget: the delivery in flight cut off (record 1 kept, the rest
    // not sent), or the end of the run done waiting (none of them sent).
    const text = warnings.join('\n');
    expect(text).toMatch(/: cut off after 1 attempt \(the sink's 0\.1 s of failed deliveries are spent\); record 1 is kept in .*audit\.jsonl and sent again before any later one$|^(?![\s\S]*record 1 is kept)/m);
    // Record 1 not taken stays first: the sink is never sent a later record before it.
    expect(warnings.at(-1), text).toMatch(/^audit sink http:\/\/127\.0\.0\.1:\d+\/audit: 5 records \(1–5\) not sent in this run (still delivering 0\.1 s after the run's last record|after 0\.\d s of failed deliveries); they are kept in .*audit\.jsonl, and the next run sends them first$/);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 5 });
  }, 10_000);
});
