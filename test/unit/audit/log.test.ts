import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, appendFile, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openAuditLog, type AuditInput } from '../../../src/audit/log.js';
import { verifyAuditFile } from '../../../src/audit/verify.js';
import { GENESIS_HASH } from '../../../src/audit/record.js';
import { stableStringify } from '../../../src/genesys/wire.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function input(n: number, extra: Partial<AuditInput> = {}): AuditInput {
  return {
    actor: 'Ada Lovelace <ada@example.com>',
    commit: 'a'.repeat(40),
    planId: 'plan-1',
    address: `PromptTemplate/t${n}`,
    action: 'create',
    resourceId: null,
    before: null,
    after: { version: 1, hash: 'h' + n },
    outcome: 'success',
    correlationId: `corr-${n}`,
    ...extra,
  };
}

const quiet = { onWarning: () => undefined, env: {} };

async function lines(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('openAuditLog / append', () => {
  it('creates parent directories and writes chained records with the DESIGN fields', async () => {
    const file = join(dir, 'deep', '.promptctl', 'audit.jsonl');
    let t = 0;
    const log = await openAuditLog(file, { ...quiet, now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, t++)) });
    const r1 = await log.append(input(1));
    const r2 = await log.append(input(2, { action: 'update', before: { version: 1, hash: 'x' }, outcome: 'conflict' }));
    await log.close();

    expect(r1.seq).toBe(1);
    expect(r1.prevHash).toBe(GENESIS_HASH);
    expect(r1.timestamp).toBe('2025-01-01T00:00:00.000Z');
    expect(r2.seq).toBe(2);
    expect(r2.prevHash).toBe(r1.hash);
    // hash = sha256(prevHash + canonical record without hash)
    const { hash, ...rest } = r2;
    expect(hash).toBe(createHash('sha256').update(r2.prevHash + stableStringify(rest)).digest('hex'));

    const written = await lines(file);
    expect(written).toHaveLength(2);
    expect(Object.keys(written[0]!)).toEqual([
      'seq', 'timestamp', 'actor', 'commit', 'planId', 'address', 'action', 'resourceId',
      'before', 'after', 'outcome', 'correlationId', 'prevHash', 'hash',
    ]);
    expect(written[1]).toMatchObject({ seq: 2, outcome: 'conflict', before: { version: 1, hash: 'x' } });
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 2 });
  });

  it('continues seq and chain across re-opens', async () => {
    const file = join(dir, 'audit.jsonl');
    const a = await openAuditLog(file, quiet);
    await a.append(input(1));
    await a.close();
    const b = await openAuditLog(file, quiet);
    const r = await b.append(input(2));
    await b.close();
    expect(r.seq).toBe(2);
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 2 });
  });

  it('serialises concurrent appends into one unbroken chain, also across two handles on one file', async () => {
    const file = join(dir, 'audit.jsonl');
    const a = await openAuditLog(file, quiet);
    const b = await openAuditLog(file, quiet);
    const records = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).append(input(i))),
    );
    await Promise.all([a.close(), b.close()]);
    expect(records.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 40 });
  });

  it('repairs a torn tail (half a line, no newline) and chains on from the valid prefix', async () => {
    const file = join(dir, 'audit.jsonl');
    const a = await openAuditLog(file, quiet);
    await a.append(input(1));
    await a.append(input(2));
    await a.close();
    const good = (await stat(file)).size;
    await appendFile(file, '{"seq":3,"timestamp":"2025-01-01T00:00:00.000Z","actor":"A');
    expect((await verifyAuditFile(file)).ok).toBe(false);

    const warnings: string[] = [];
    const b = await openAuditLog(file, { env: {}, onWarning: (m) => warnings.push(m) });
    expect((await stat(file)).size).toBe(good);
    expect(warnings.join('\n')).toMatch(/removed an incomplete last line/);
    expect(b.warnings).toEqual(warnings);
    const r = await b.append(input(3));
    await b.close();
    expect(r.seq).toBe(3);
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 3 });
  });

  it('repairs a zero-filled tail such as a crash can leave after the file grew', async () => {
    const file = join(dir, 'audit.jsonl');
    const a = await openAuditLog(file, quiet);
    await a.append(input(1));
    await a.close();
    const good = (await stat(file)).size;
    await truncate(file, good + 300); // sparse zeros, no newline
    const b = await openAuditLog(file, quiet);
    await b.append(input(2));
    await b.close();
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 2 });
  });

  it('keeps a whole record that only lost its newline', async () => {
    const file = join(dir, 'audit.jsonl');
    const a = await openAuditLog(file, quiet);
    await a.append(input(1));
    await a.append(input(2));
    await a.close();
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, -1));
    const warnings: string[] = [];
    const b = await openAuditLog(file, { env: {}, onWarning: (m) => warnings.push(m) });
    const r = await b.append(input(3));
    await b.close();
    expect(warnings.join('\n')).toMatch(/had no newline/);
    expect(r.seq).toBe(3);
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 3 });
  });

  it('warns when the existing chain is broken mid-file and does not rewrite history', async () => {
    const file = join(dir, 'audit.jsonl');
    const a = await openAuditLog(file, quiet);
    for (let i = 1; i <= 3; i++) await a.append(input(i));
    await a.close();
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('PromptTemplate/t2', 'PromptTemplate/evil'));
    const warnings: string[] = [];
    const b = await openAuditLog(file, { env: {}, onWarning: (m) => warnings.push(m) });
    await b.append(input(4));
    await b.close();
    expect(warnings.join('\n')).toMatch(/:2: the audit chain is already broken/);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 2 });
  });

  it('picks up records another writer appended meanwhile', async () => {
    const file = join(dir, 'audit.jsonl');
    const a = await openAuditLog(file, quiet);
    await a.append(input(1));
    // Stand-in for another process: record 2 is written through a log on a copy, then copied back.
    const copy = join(dir, 'copy.jsonl');
    await writeFile(copy, await readFile(file));
    const other = await openAuditLog(copy, quiet);
    await other.append(input(2));
    await other.close();
    await writeFile(file, await readFile(copy)); // same prefix, one more line
    const r = await a.append(input(3));
    await a.close();
    expect(r.seq).toBe(3);
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 3 });
  });

  it('keeps secrets out of records: client secret anywhere, bearer tokens and JWTs in error text', async () => {
    const file = join(dir, 'audit.jsonl');
    const secret = 'sup3r-s3cret-value';
    const log = await openAuditLog(file, { onWarning: () => undefined, env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret } });
    const r = await log.append(
      input(1, {
        outcome: 'failure',
        error: `POST failed: Authorization: Bearer abc.DEF-123_xyz; body client_secret=${secret}; token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nat_ure`,
        correlationId: `x-${secret}`,
      }),
    );
    await log.close();
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain('abc.DEF-123_xyz');
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(r.error).toContain('Bearer [redacted]');
    expect(r.correlationId).toBe('x-[redacted]');
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 1 });
  });

  it('refuses a record verify would reject and leaves the file untouched', async () => {
    const file = join(dir, 'audit.jsonl');
    const log = await openAuditLog(file, quiet);
    await expect(log.append(input(1, { outcome: 'maybe' as never }))).rejects.toThrow(/outcome/);
    const r = await log.append(input(2));
    await log.close();
    expect(r.seq).toBe(1);
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 1 });
  });

  it('rejects appends after close', async () => {
    const log = await openAuditLog(join(dir, 'a.jsonl'), quiet);
    await log.close();
    await expect(log.append(input(1))).rejects.toThrow(/closed/);
  });
});
