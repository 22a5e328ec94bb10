import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, type AuditInput } from '../../../src/audit/log.js';
import { verifyAuditFile } from '../../../src/audit/verify.js';
import { chainHash, type AuditRecord } from '../../../src/audit/record.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-verify-'));
  file = join(dir, 'audit.jsonl');
  const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
  for (let i = 1; i <= 5; i++) {
    const inp: AuditInput = {
      actor: 'ci', commit: null, planId: 'p', address: `SafetyFilter/f${i}`, action: 'update',
      resourceId: `id-${i}`, before: { version: i, hash: null }, after: { version: i + 1, hash: null },
      outcome: 'success', correlationId: null,
    };
    await log.append(inp);
  }
  await log.close();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function edit(fn: (records: AuditRecord[], lines: string[]) => string[]): Promise<void> {
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
  const records = lines.map((l) => JSON.parse(l) as AuditRecord);
  await writeFile(file, fn(records, lines).join('\n') + '\n');
}

describe('verifyAuditFile', () => {
  it('accepts an intact chain and an empty file', async () => {
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 5 });
    await writeFile(file, '');
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 0 });
  });

  it('names a tampered line 3 (content changed, hash left alone)', async () => {
    await edit((rs, ls) => ls.map((l, i) => (i === 2 ? JSON.stringify({ ...rs[2], outcome: 'failure' }) : l)));
    const res = await verifyAuditFile(file);
    expect(res).toEqual({ ok: false, line: 3, reason: 'hash does not match the content of record 3' });
  });

  it('names the next line when a tamperer also recomputes the edited record hash', async () => {
    await edit((rs, ls) =>
      ls.map((l, i) => {
        if (i !== 2) return l;
        const changed = { ...rs[2]!, address: 'SafetyFilter/other' };
        return JSON.stringify({ ...changed, hash: chainHash(changed) });
      }),
    );
    expect(await verifyAuditFile(file)).toEqual({
      ok: false,
      line: 4,
      reason: 'prevHash does not match the hash of record 3',
    });
  });

  it('names a deleted record as a seq gap', async () => {
    await edit((_rs, ls) => ls.filter((_l, i) => i !== 1));
    expect(await verifyAuditFile(file)).toEqual({ ok: false, line: 2, reason: 'seq 3 where 2 was expected' });
  });

  it('names bad JSON', async () => {
    await edit((_rs, ls) => ls.map((l, i) => (i === 3 ? l.slice(0, 20) : l)));
    expect(await verifyAuditFile(file)).toEqual({ ok: false, line: 4, reason: 'not valid JSON' });
  });

  it('names a record with a missing field', async () => {
    await edit((rs, ls) => ls.map((l, i) => (i === 0 ? JSON.stringify({ ...rs[0], actor: undefined }) : l)));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 1, reason: expect.stringMatching(/actor/) });
  });

  it('rejects a first record that does not start from the genesis hash', async () => {
    await edit((rs, ls) => {
      const first = { ...rs[0]!, prevHash: 'f'.repeat(64) };
      return [JSON.stringify({ ...first, hash: chainHash(first) }), ...ls.slice(1)];
    });
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 1, reason: expect.stringMatching(/genesis/) });
  });

  it('reports an unrepaired torn tail on the last line', async () => {
    const text = await readFile(file, 'utf8');
    await writeFile(file, text + '{"seq":6,"time');
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 6, reason: expect.stringMatching(/interrupted/) });
  });
});
