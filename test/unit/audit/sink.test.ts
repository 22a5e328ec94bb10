import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { openAuditLog, type AuditInput } from '../../../src/audit/log.js';
import { verifyAuditFile } from '../../../src/audit/verify.js';

const KEY = 'sink-hmac-key-123456';

interface Received {
  body: string;
  signatureOk: boolean;
  headers: IncomingMessage['headers'];
}

let dir: string;
let server: Server;
let url: string;
let received: Received[];
/** Status to answer with, per request, in order; then 204. */
let script: number[];
/** The receiver answers once this settles (default at once); a test holds it to be a slow sink. */
let answerWhen: () => Promise<void>;
/** What happened, in order, where a test needs to see it (the receiver logs 'answered'). */
let order: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-sink-'));
  received = [];
  script = [];
  answerWhen = () => Promise.resolve();
  order = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const sig = String(req.headers['x-promptctl-signature'] ?? '');
      const expected = Buffer.from('sha256=' + createHmac('sha256', KEY).update(body).digest('hex'));
      const signatureOk = sig.length === expected.length && timingSafeEqual(Buffer.from(sig), expected);
      received.push({ body: body.toString('utf8'), signatureOk, headers: req.headers });
      res.statusCode = script.shift() ?? 204;
      void answerWhen().then(() => {
        order.push('answered');
        res.end();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/audit`;
});

afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

function input(n: number): AuditInput {
  return {
    actor: 'ci', commit: null, planId: 'p', address: `PromptTemplate/t${n}`, action: 'create',
    resourceId: null, before: null, after: { version: 1, hash: null }, outcome: 'success', correlationId: null,
  };
}

const fast = { timeoutMs: 2000, retries: 2, backoffLimitMs: 20 };

describe('HTTP audit sinks', () => {
  it('POSTs each record with a valid HMAC-SHA256 signature over the exact body, in order', async () => {
    const file = join(dir, 'audit.jsonl');
    const log = await openAuditLog(file, {
      sinks: [{ url, secretEnv: 'AUDIT_KEY' }],
      env: { AUDIT_KEY: KEY },
      onWarning: () => undefined,
      sinkOptions: fast,
    });
    const r1 = await log.append(input(1));
    const r2 = await log.append(input(2));
    await log.close();
    expect(log.warnings).toEqual([]);
    expect(received).toHaveLength(2);
    expect(received.every((r) => r.signatureOk)).toBe(true);
    expect(received.map((r) => JSON.parse(r.body))).toEqual([r1, r2]);
    // The body is the local line, byte for byte.
    const local = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(received.map((r) => r.body)).toEqual(local);
    expect(received[0]!.headers['x-promptctl-timestamp']).toMatch(/^\d+$/);
    expect(received[0]!.headers['idempotency-key']).toBe(r1.hash);
    expect(received[0]!.headers['content-type']).toBe('application/json');
  });

  it('a record is durable without waiting for the sink; close waits for the delivery', async () => {
    // The sink answers only when let: append must resolve while it has not (else this test hangs).
    let letAnswer!: () => void;
    const answerLet = new Promise<void>((r) => (letAnswer = r));
    answerWhen = () => answerLet;
    const log = await openAuditLog(join(dir, 'a.jsonl'), {
      sinks: [{ url, secretEnv: 'AUDIT_KEY' }],
      env: { AUDIT_KEY: KEY },
      onWarning: () => undefined,
      sinkOptions: fast,
    });
    await log.append(input(1));
    order.push('appended');
    const closing = log.close().then(() => order.push('closed'));
    // A late answer is the subject: a close that did not wait for it would be done long before.
    setTimeout(letAnswer, 100);
    await closing;
    expect(order).toEqual(['appended', 'answered', 'closed']);
    expect(received).toHaveLength(1);
  });

  it('a wrong key gives a signature the receiver rejects', async () => {
    const log = await openAuditLog(join(dir, 'a.jsonl'), {
      sinks: [{ url, secretEnv: 'AUDIT_KEY' }],
      env: { AUDIT_KEY: 'another-key-000000' },
      onWarning: () => undefined,
      sinkOptions: fast,
    });
    await log.append(input(1));
    await log.close();
    expect(received).toHaveLength(1);
    expect(received[0]!.signatureOk).toBe(false);
  });

  it('retries a failing sink, and a sink that keeps failing is a warning while the local record stays', async () => {
    // Deliveries run in the background, one sink's in seq order: the script is consumed in that order.
    script = [503, 500, 502, 503, 500, 502, 503];
    const file = join(dir, 'audit.jsonl');
    const warnings: string[] = [];
    const log = await openAuditLog(file, {
      sinks: [{ url, secretEnv: 'AUDIT_KEY' }],
      env: { AUDIT_KEY: KEY },
      onWarning: (m) => warnings.push(m),
      sinkOptions: fast,
    });
    const r1 = await log.append(input(1)); // 503, 500, 502: gives up
    const r2 = await log.append(input(2)); // record 1 first again: 503, 500, 502, gives up again
    const r3 = await log.append(input(3)); // record 1: 503 then 204; then records 2 and 3
    await log.close();
    expect([r1.seq, r2.seq, r3.seq]).toEqual([1, 2, 3]);
    expect(received).toHaveLength(10);
    // In seq order: a record the sink did not take is sent before any later one.
    expect(received.slice(-3).map((x) => (JSON.parse(x.body) as { seq: number }).seq)).toEqual([1, 2, 3]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/audit sink http:\/\/127\.0\.0\.1:\d+\/audit: HTTP 502 after 3 attempts; record 1 is kept .* and sent again before any later one$/);
    // Said once a run, not once a failed delivery: the rest are counted at the end.
    expect(warnings[1]).toMatch(/audit sink http:\/\/127\.0\.0\.1:\d+\/audit: 2 deliveries failed in this run \(the last: HTTP 502 after 3 attempts\); each record was sent again and taken$/);
    expect(warnings.join('\n')).not.toContain(KEY);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 3 });
  });

  it('the next run sends first, in order and once each, what earlier runs did not deliver', async () => {
    const file = join(dir, 'audit.jsonl');
    const open = (warnings: string[] = []) =>
      openAuditLog(file, { sinks: [{ url, secretEnv: 'AUDIT_KEY' }], env: { AUDIT_KEY: KEY }, onWarning: (m) => warnings.push(m), sinkOptions: { ...fast, retries: 0 } });
    const seqs = () => received.filter((x) => x.signatureOk).map((x) => (JSON.parse(x.body) as { seq: number }).seq);
    // Run 1: the sink refuses everything (one attempt a record, record 1 first each time).
    script = [503, 503, 503];
    const first = await open();
    for (const n of [1, 2, 3]) await first.append(input(n));
    await first.close();
    expect(seqs()).toEqual([1, 1, 1]);
    expect(first.warnings.at(-1)).toMatch(/: 3 records \(1–3\) not sent in this run .*, and the next run sends them first$/);
    // Run 2: the sink is back: records 1–3 go first, then the run's own, each once.
    received = [];
    const second = await open();
    await second.append(input(4));
    await second.close();
    expect(seqs()).toEqual([1, 2, 3, 4]);
    expect(received.map((x) => x.headers['idempotency-key'])).toEqual((await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => (JSON.parse(l) as { hash: string }).hash));
    expect(second.warnings).toEqual([]);
    // Run 3, and a run that writes nothing: nothing sent again.
    received = [];
    const third = await open();
    await third.append(input(5));
    await third.close();
    await (await open()).close();
    expect(seqs()).toEqual([5]);
    // A trail moved aside without its cursor: the sink holds records the trail lacks, so it is
    // refused (sink-cut-off.test.ts); begun again past the cursor's seq without the sink, the
    // cursor names another chain, so it starts afresh.
    await rm(file);
    received = [];
    await expect(open()).rejects.toThrow(/audit\.jsonl does not exist \(it was removed or moved aside\), and audit sink .* took records 1–5 of the trail that was there/);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
    const other = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    for (const n of [1, 2, 3, 4, 5]) await other.append(input(n));
    await other.close();
    const warnings: string[] = [];
    const fresh = await open(warnings);
    await fresh.append(input(6));
    await fresh.close();
    expect(seqs()).toEqual([6]);
    expect(warnings).toEqual([expect.stringMatching(/its deliveries were noted against another trail \(no record 5 of that hash in .*audit\.jsonl\); it is sent this trail's records from now on$/)]);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 6 });
  });

  it('an unreachable sink is a warning, not an error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const warnings: string[] = [];
    const log = await openAuditLog(join(dir, 'a.jsonl'), {
      sinks: [{ url: `http://127.0.0.1:${port}/x?stream=abc` }],
      env: {},
      onWarning: (m) => warnings.push(m),
      sinkOptions: { ...fast, retries: 0 },
    });
    const r = await log.append(input(1));
    await log.close();
    expect(r.seq).toBe(1);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/ECONNREFUSED/);
    expect(warnings[0]).not.toContain('stream=abc');
    expect(warnings[1]).toMatch(/: 1 record \(1\) not sent in this run after its last delivery failed; it is kept in .*, and the next run sends it first$/);
  });

  it('disables sinks it must not use: missing key, plain http to a non-loopback host', async () => {
    const warnings: string[] = [];
    const log = await openAuditLog(join(dir, 'a.jsonl'), {
      sinks: [{ url, secretEnv: 'MISSING_KEY' }, { url: 'http://audit.example.com/in' }],
      env: {},
      onWarning: (m) => warnings.push(m),
    });
    await log.append(input(1));
    await log.close();
    expect(received).toHaveLength(0);
    expect(warnings[0]).toMatch(/MISSING_KEY .* is not set/);
    expect(warnings[1]).toMatch(/plain http is only allowed for loopback/);
  });

  it('never writes the sink key into a record', async () => {
    const file = join(dir, 'audit.jsonl');
    const log = await openAuditLog(file, {
      sinks: [{ url, secretEnv: 'AUDIT_KEY' }],
      env: { AUDIT_KEY: KEY },
      onWarning: () => undefined,
      sinkOptions: fast,
    });
    await log.append({ ...input(1), outcome: 'failure', error: `signing with ${KEY} failed` });
    await log.close();
    expect(await readFile(file, 'utf8')).not.toContain(KEY);
    expect(received[0]!.body).not.toContain(KEY);
  });
});
