import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, open, readFile, rm, writeFile, appendFile, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { AUDIT_KEY_ENV, openAuditLog, UnkeyedTrailError, type AuditRecord } from '../../../src/audit/log.js';
import { processStart } from '../../../src/util/process.js';
import { verifyAuditFile } from '../../../src/audit/verify.js';
import { GENESIS_HASH, chainHash } from '../../../src/audit/record.js';
import { UserError } from '../../../src/util/errors.js';
import { stableStringify } from '../../../src/util/json.js';
import { withEscapedForms } from '../../../src/util/secret-forms.js';
import { maskSecrets } from '../../../src/util/secrets.js';
import { KEY, appendInput as input, intentInput, quiet } from './support.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-audit-'));
  file = join(dir, 'audit.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(f = file): Promise<Record<string, unknown>[]> {
  const text = await readFile(f, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function writeRecords(n: number, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const log = await openAuditLog(file, { ...quiet, ...opts });
  for (let i = 1; i <= n; i++) await log.append(input(i));
  await log.close();
}

function warningsSink(): { warnings: string[]; onWarning: (m: string) => void } {
  const warnings: string[] = [];
  return { warnings, onWarning: (m) => warnings.push(m) };
}

describe('records', () => {
  it('creates parent directories and writes chained format-2 records with the DESIGN fields', async () => {
    const deep = join(dir, 'deep', '.promptctl', 'audit.jsonl');
    let t = 0;
    const log = await openAuditLog(deep, { ...quiet, now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, t++)) });
    const r1 = await log.append(input(1, { environment: 'prod', dirty: true }));
    const r2 = await log.append(
      input(2, {
        action: 'update',
        before: { version: 1, hash: 'x', content: { weights: { v1: 100 } } },
        after: { version: 2, hash: 'y', content: { weights: { v1: 50, v2: 50 } } },
        outcome: 'conflict',
      }),
    );
    await log.close();

    expect(r1).toMatchObject({ format: 2, seq: 1, prevHash: GENESIS_HASH, timestamp: '2025-01-01T00:00:00.000Z', alg: 'sha256' });
    expect(r2.seq).toBe(2);
    expect(r2.prevHash).toBe(r1.hash);
    // hash = sha256(prevHash + canonical record without hash)
    const { hash, ...rest } = r2;
    expect(hash).toBe(createHash('sha256').update(r2.prevHash + stableStringify(rest)).digest('hex'));

    const written = await lines(deep);
    expect(written).toHaveLength(2);
    expect(Object.keys(written[0]!)).toEqual([
      'format', 'seq', 'timestamp', 'type', 'actor', 'commit', 'planId', 'org', 'environment', 'dirty',
      'address', 'action', 'resourceId', 'before', 'after', 'outcome', 'intent', 'correlationId', 'alg', 'prevHash', 'hash',
    ]);
    expect(written[0]).toMatchObject({ org: { id: 'org-1', host: 'api.mypurecloud.com' }, environment: 'prod', dirty: true, type: 'outcome', intent: null });
    // Not dirty, no environment: the fields are left out.
    expect(Object.keys(written[1]!)).not.toContain('dirty');
    expect(Object.keys(written[1]!)).not.toContain('environment');
    // The content is there, so a split change can be reconstructed from the trail alone.
    expect(written[1]).toMatchObject({
      outcome: 'conflict',
      before: { version: 1, hash: 'x', content: { weights: { v1: 100 } } },
      after: { version: 2, hash: 'y', content: { weights: { v1: 50, v2: 50 } } },
    });
    expect(await verifyAuditFile(deep)).toMatchObject({ ok: true, records: 2, head: { seq: 2, hash: r2.hash } });
  });

  it('writes an absent org and content as null', async () => {
    const log = await openAuditLog(file, quiet);
    const r = await log.append({ ...input(1), org: undefined, after: { version: 1, hash: 'h' } });
    await log.close();
    expect(r.org).toBeNull();
    expect(r.after).toEqual({ version: 1, hash: 'h', content: null });
  });

  it('continues seq and chain across re-opens', async () => {
    await writeRecords(1);
    const b = await openAuditLog(file, quiet);
    const r = await b.append(input(2));
    await b.close();
    expect(r.seq).toBe(2);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 2 });
  });

  it('serialises concurrent appends into one unbroken chain, also across two handles on one file', async () => {
    const a = await openAuditLog(file, quiet);
    const b = await openAuditLog(file, quiet);
    const records = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).append(input(i))));
    await Promise.all([a.close(), b.close()]);
    expect(records.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 40 });
  });

  it('picks up records another writer appended meanwhile', async () => {
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
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 3 });
  });

  it('refuses to go on when the file shrank under it (records removed while it was open)', async () => {
    const a = await openAuditLog(file, quiet);
    await a.append(input(1));
    await a.append(input(2));
    await writeFile(file, '');
    await expect(a.append(input(3))).rejects.toThrow(/shrank .* records were removed/);
    await a.close();
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('keeps secrets out of records: client secret anywhere (content too), bearer tokens and JWTs in error text', async () => {
    const secret = 'sup3r-s3cret-value';
    const log = await openAuditLog(file, { onWarning: () => undefined, env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret }, secretEnvs: ['GENESYSCLOUD_OAUTHCLIENT_SECRET'] });
    const r = await log.append(
      input(1, {
        outcome: 'failure',
        error: `POST failed: Authorization: Bearer abc.DEF-123_xyz; body client_secret=${secret}; token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nat_ure`,
        correlationId: `x-${secret}`,
        after: { version: 1, hash: 'h', content: { text: `use ${secret} here`, nested: [{ [secret]: secret }] } },
      }),
    );
    await log.close();
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain('abc.DEF-123_xyz');
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(r.error).toContain('Bearer [redacted]');
    expect(r.correlationId).toBe('x-[redacted]');
    expect(r.after?.content).toEqual({ text: 'use [redacted] here', nested: [{ '[redacted]': '[redacted]' }] });
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 1 });
  });

  it('keeps a URL-encoded echo of the secret out of records in any case, as output masking finds it', async () => {
    const secret = 'Ab/c+d=ef:gh!xy';
    const env = { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret, API_TOKEN: 'Tok/en+value=42' };
    // As apply passes them: every form output masking looks for (withEscapedForms).
    const log = await openAuditLog(file, {
      onWarning: () => undefined,
      env,
      secretEnvs: ['GENESYSCLOUD_OAUTHCLIENT_SECRET'],
      secrets: withEscapedForms([{ name: 'API_TOKEN', value: env.API_TOKEN }]),
    });
    const upper = 'AB%2FC%2BD%3DEF%3AGH%21XY';
    const lower = 'ab%2fc%2bd%3def%3agh%21xy';
    const token = 'tok%2fen%2bvalue%3d42';
    expect(maskSecrets(`${upper} ${lower} ${token}`, withEscapedForms([{ name: 'S', value: secret }, { name: 'T', value: env.API_TOKEN }]))).toBe(
      '[redacted: S] [redacted: S] [redacted: T]',
    );
    const r = await log.append(
      input(1, {
        outcome: 'failure',
        // A server quoting the token request's form body in another case, not after a key the message patterns know.
        error: `POST /oauth/token failed: 400 INVALID_CLIENT: BODY WAS "GRANT_TYPE=CLIENT_CREDENTIALS&X=${upper}"; echo ${token}`,
        after: { version: 1, hash: 'h', content: { text: `see ${lower} and ${token.toUpperCase()}` } },
      }),
    );
    await log.close();
    const text = await readFile(file, 'utf8');
    for (const leaked of [upper, lower, token, token.toUpperCase()]) expect(text).not.toContain(leaked);
    expect(r.error).toBe('POST /oauth/token failed: 400 INVALID_CLIENT: BODY WAS "GRANT_TYPE=CLIENT_CREDENTIALS&X=[redacted]"; echo [redacted]');
    expect(r.after?.content).toEqual({ text: 'see [redacted] and [redacted]' });
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 1 });
  });

  it('keeps a long secret echoed in another case out of records, as output masking finds it', async () => {
    const secret = 'local-Secret-9x';
    const log = await openAuditLog(file, {
      onWarning: () => undefined,
      env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret },
      secretEnvs: ['GENESYSCLOUD_OAUTHCLIENT_SECRET'],
      secrets: withEscapedForms([{ name: 'API_TOKEN', value: 'Tok-Learnt-Value-42' }]),
    });
    const r = await log.append(
      input(1, {
        outcome: 'failure',
        // A server quoting what it was sent in an error it upper-cases whole, not after a key the message patterns know.
        error: `PUT failed: 400 BAD REQUEST: YOU SENT LOCAL-SECRET-9X WITH TOK-LEARNT-VALUE-42`,
        after: { version: 1, hash: 'h', content: { text: 'see local-secret-9x', ['LOCAL-SECRET-9X']: 'x' } },
      }),
    );
    await log.close();
    const text = await readFile(file, 'utf8');
    expect(text).not.toMatch(/secret-9x|learnt-value/i);
    expect(r.error).toBe('PUT failed: 400 BAD REQUEST: YOU SENT [redacted] WITH [redacted]');
    expect(r.after?.content).toEqual({ text: 'see [redacted]', '[redacted]': 'x' });
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 1 });
  });

  it('refuses a record verify would reject and leaves the file untouched', async () => {
    const log = await openAuditLog(file, quiet);
    await expect(log.append(input(1, { outcome: 'maybe' as never }))).rejects.toThrow(/outcome/);
    await expect(log.append(input(1, { after: { content: { f: () => 1 } } }))).rejects.toThrow(/not JSON/);
    const r = await log.append(input(2));
    await log.close();
    expect(r.seq).toBe(1);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 1 });
  });

  it('rejects appends after close', async () => {
    const log = await openAuditLog(file, quiet);
    await log.close();
    await expect(log.append(input(1))).rejects.toThrow(/closed/);
  });

  it('reads a format-1 trail and chains format-2 records after it', async () => {
    // Two records as an older promptctl wrote them.
    const v1: Record<string, unknown>[] = [];
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 2; seq++) {
      const r: Record<string, unknown> = {
        seq, timestamp: '2025-01-01T00:00:00.000Z', actor: 'ci', commit: null, planId: 'p', address: `PromptTemplate/old${seq}`,
        action: 'create', resourceId: null, before: { version: 1, hash: null }, after: null, outcome: 'success', correlationId: null, prevHash: prev,
      };
      r.hash = chainHash(r as { prevHash: string });
      prev = r.hash as string;
      v1.push(r);
    }
    await writeFile(file, v1.map((r) => JSON.stringify(r) + '\n').join(''));
    const log = await openAuditLog(file, quiet);
    const r = await log.append(input(3));
    await log.close();
    expect(r).toMatchObject({ seq: 3, prevHash: prev, format: 2 });
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 3, legacy: 2 });
  });
});

describe('torn lines and defaced lines', () => {
  it('repairs a torn tail (half a line, no newline) and chains on from the valid prefix', async () => {
    await writeRecords(2);
    const good = (await stat(file)).size;
    const torn = '{"format":2,"seq":3,"timestamp":"2025-01-01T00:00:00.000Z","actor":"A\u00e9';
    await appendFile(file, Buffer.concat([Buffer.from(torn), Buffer.from([0xc3])]));
    expect((await verifyAuditFile(file)).ok).toBe(false);

    const { warnings, onWarning } = warningsSink();
    const b = await openAuditLog(file, { env: {}, onWarning });
    expect((await stat(file)).size).toBe(good);
    expect(warnings.join('\n')).toMatch(/removed an incomplete last line \(\d+ bytes\) left by an interrupted write; its bytes are kept in .*\.torn$/);
    // The bytes cut off are kept, exactly (a cut UTF-8 sequence included), with where they were.
    const kept = (await readFile(`${file}.torn`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { offset: number; length: number; bytes: string; removedAt: string });
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ offset: good, length: Buffer.byteLength(torn) + 1 });
    expect(Buffer.from(kept[0]!.bytes, 'base64')).toEqual(Buffer.concat([Buffer.from(torn), Buffer.from([0xc3])]));
    expect(b.warnings).toEqual(warnings);
    const r = await b.append(input(3));
    await b.close();
    expect(r.seq).toBe(3);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 3 });
  });

  it('repairs a zero-filled tail such as a crash can leave after the file grew', async () => {
    await writeRecords(1);
    const good = (await stat(file)).size;
    await truncate(file, good + 300); // sparse zeros, no newline
    const b = await openAuditLog(file, quiet);
    await b.append(input(2));
    await b.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 2 });
  });

  it('keeps a whole record that only lost its newline', async () => {
    await writeRecords(2);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, -1));
    const { warnings, onWarning } = warningsSink();
    const b = await openAuditLog(file, { env: {}, onWarning });
    const r = await b.append(input(3));
    await b.close();
    expect(warnings.join('\n')).toMatch(/had no newline/);
    expect(r.seq).toBe(3);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 3 });
  });

  // The finding: a complete but defaced last line was deleted as if a crash had torn it.
  it.each([
    ['not JSON any more', (l: string) => l.slice(0, 40) + 'XXXX' + l.slice(44, -20)],
    ['JSON whose content was changed', (l: string) => l.replace('PromptTemplate/t3', 'PromptTemplate/evil')],
  ])('keeps a complete last line that is %s, and refuses to append, naming the line', async (_what, deface) => {
    await writeRecords(3);
    const ls = (await readFile(file, 'utf8')).trimEnd().split('\n');
    ls[2] = deface(ls[2]!);
    const defaced = ls.join('\n') + '\n';
    await writeFile(file, defaced);
    const opening = openAuditLog(file, quiet);
    await expect(opening).rejects.toBeInstanceOf(UserError);
    await expect(opening).rejects.toThrow(new RegExp(`audit\\.jsonl:3: the audit chain is broken \\(.+\\); promptctl will not append after it`));
    expect(await readFile(file, 'utf8')).toBe(defaced);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 3 });
  });

  it('keeps a whole JSON last line without its newline that does not verify (defaced, not torn)', async () => {
    await writeRecords(2);
    const text = await readFile(file, 'utf8');
    const defaced = text.slice(0, -1).replace('PromptTemplate/t2', 'PromptTemplate/zz');
    await writeFile(file, defaced);
    await expect(openAuditLog(file, quiet)).rejects.toThrow(/audit\.jsonl:2: the audit chain is broken \(hash does not match the content of record 2\)/);
    expect(await readFile(file, 'utf8')).toBe(defaced);
  });

  it('refuses to append after a chain broken mid-file, and rewrites nothing', async () => {
    await writeRecords(3);
    const text = (await readFile(file, 'utf8')).replace('PromptTemplate/t2', 'PromptTemplate/evil');
    await writeFile(file, text);
    await expect(openAuditLog(file, quiet)).rejects.toThrow(/audit\.jsonl:2: the audit chain is broken \(hash does not match the content of record 2\)/);
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('keyed chain (PROMPTCTL_AUDIT_KEY)', () => {
  it('chains with HMAC-SHA256 when the key is set, and never writes the key', async () => {
    const env = { [AUDIT_KEY_ENV]: KEY };
    const log = await openAuditLog(file, { onWarning: () => undefined, env });
    expect(log.keyed).toBe(true);
    const r = await log.append(input(1, { error: `signing with ${KEY}`, outcome: 'failure' }));
    await log.close();
    expect(r.alg).toBe('hmac-sha256');
    const { hash, ...rest } = r;
    expect(hash).toBe(createHmac('sha256', KEY).update(r.prevHash + stableStringify(rest)).digest('hex'));
    expect(await readFile(file, 'utf8')).not.toContain(KEY);
    expect(await verifyAuditFile(file, { key: KEY })).toMatchObject({ ok: true, records: 1, keyed: 1, unkeyed: 0 });
  });

  it('will not append to a keyed trail without the key, or with another key', async () => {
    await writeRecords(2, { env: { [AUDIT_KEY_ENV]: KEY } });
    await expect(openAuditLog(file, quiet)).rejects.toThrow(
      /audit\.jsonl:1: record 1 is keyed \(hmac-sha256\): set PROMPTCTL_AUDIT_KEY to the key it was written with to verify it; promptctl will not append to a keyed trail without its key/,
    );
    await expect(openAuditLog(file, { ...quiet, env: { [AUDIT_KEY_ENV]: 'another-key-0123456789' } })).rejects.toThrow(
      /audit\.jsonl:1: .*hash does not match the content of record 1 \(or PROMPTCTL_AUDIT_KEY is not the key it was written with\)/,
    );
  });

  it('keys new records after an unkeyed history when told the key was set after it (allowUnkeyed)', async () => {
    await writeRecords(2);
    await writeRecords(0); // open and close: nothing changes
    const log = await openAuditLog(file, { ...quiet, env: { [AUDIT_KEY_ENV]: KEY }, allowUnkeyed: true });
    await log.append(input(3));
    await log.close();
    expect(await verifyAuditFile(file, { key: KEY })).toMatchObject({ ok: true, records: 3, keyed: 1, unkeyed: 2, firstKeyed: 3 });
    // Keyed once: no word needed any more.
    const again = await openAuditLog(file, { ...quiet, env: { [AUDIT_KEY_ENV]: KEY } });
    await again.append(input(4));
    await again.close();
    expect(await verifyAuditFile(file, { key: KEY })).toMatchObject({ ok: true, records: 4, keyed: 2, unkeyed: 2, firstKeyed: 3 });
  });

  // Keyed records after a trail re-chained without the key would vouch for it (their HMAC covers
  // the last unkeyed hash): with the key, such a trail is refused unless the caller says otherwise.
  it('with the key, refuses to open a trail none of whose records is keyed, writing nothing, and lets the file go', async () => {
    await writeRecords(2);
    const before = await readFile(file, 'utf8');
    const opening = openAuditLog(file, { ...quiet, env: { [AUDIT_KEY_ENV]: KEY } });
    await expect(opening).rejects.toBeInstanceOf(UnkeyedTrailError);
    await expect(opening).rejects.toThrow(
      /audit\.jsonl: not keyed: none of its 2 records are keyed, so PROMPTCTL_AUDIT_KEY cannot vouch for them: written before the key was set, or re-chained by someone without it; .*run again with --allow-unkeyed/,
    );
    expect(await readFile(file, 'utf8')).toBe(before);
    // Released: another handle without the key opens it (one open file per path in the process).
    const plain = await openAuditLog(file, { ...quiet, env: {} });
    await plain.close();
    // An empty trail is no history to vouch for.
    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '');
    const keyed = await openAuditLog(empty, { ...quiet, env: { [AUDIT_KEY_ENV]: KEY } });
    await keyed.close();
  });

  it('refuses a key too short to be safe', async () => {
    await expect(openAuditLog(file, { ...quiet, env: { [AUDIT_KEY_ENV]: 'short' } })).rejects.toThrow(/PROMPTCTL_AUDIT_KEY is too short/);
  });
});

describe('write-ahead intents', () => {
  it('writes an intent before the call and its outcome after, naming the intent', async () => {
    const log = await openAuditLog(file, quiet);
    expect(log.pendingIntents()).toEqual([]);
    const intent = await log.intent(intentInput(1, { environment: 'dev', dirty: true, correlationId: 'c-1' }));
    expect(intent).toMatchObject({ seq: 1, type: 'intent', outcome: null, run: { pid: process.pid } });
    expect(intent).not.toHaveProperty('intent');
    const done = await log.outcome(intent, { outcome: 'success', resourceId: 'id-1', after: { version: 1, hash: 'h1', content: { name: 't1' } } });
    await log.close();
    expect(done).toMatchObject({
      seq: 2, type: 'outcome', outcome: 'success', intent: 1, address: 'PromptTemplate/t1', action: 'create', planId: 'plan-1',
      org: { id: 'org-1', host: 'api.mypurecloud.com' }, environment: 'dev', dirty: true, resourceId: 'id-1', correlationId: 'c-1',
      after: { version: 1, hash: 'h1', content: { name: 't1' } },
    });
    expect(done).not.toHaveProperty('run');
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 2, pending: [] });
    await expect(log.outcome(intent, { outcome: 'success' })).rejects.toThrow(/closed/);
  });

  it('writes one outcome per intent', async () => {
    const log = await openAuditLog(file, quiet);
    const intent = await log.intent(intentInput(1));
    await log.outcome(intent, { outcome: 'failure', error: 'HTTP 500' });
    await expect(log.outcome(intent, { outcome: 'success' })).rejects.toThrow(/intent 1 .* already has an outcome/);
    await log.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 2 });
  });

  it('never lists the intents of a run still open, in this process or another', async () => {
    const a = await openAuditLog(file, quiet);
    await a.intent(intentInput(1));
    const b = await openAuditLog(file, quiet);
    expect(b.pendingIntents()).toEqual([]);
    await b.close();
    await a.close();
  });

  it('lists intents left without an outcome by an earlier run, and records their recovery', async () => {
    // The earlier run: intents 1 and 3 never got their outcome (a crash; see crash.test.ts for a real SIGKILL).
    const a = await openAuditLog(file, quiet);
    const i1 = await a.intent(intentInput(1));
    const i2 = await a.intent(intentInput(2));
    await a.outcome(i2, { outcome: 'success', resourceId: 'id-2' });
    await a.intent(intentInput(3, { action: 'update', resourceId: 'id-3', before: { version: 4, hash: 'b3', content: { text: 'old' } } }));
    await a.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 4, pending: [1, 4] });

    const b = await openAuditLog(file, quiet);
    const pending = b.pendingIntents();
    expect(pending.map((p) => [p.seq, p.address])).toEqual([[1, 'PromptTemplate/t1'], [4, 'PromptTemplate/t3']]);
    expect(pending[0]).toEqual(i1);
    const by = { actor: 'Grace <grace@example.com>', commit: 'b'.repeat(40), planId: 'plan-2' };
    const r1 = await b.recover(pending[0]!, { outcome: 'succeeded (recovered)', by, resourceId: 'id-1', after: { version: 1, hash: 'h1', content: { name: 't1' } } });
    const r3 = await b.recover(pending[1]!, { outcome: 'not applied', by });
    await b.close();
    expect(r1).toMatchObject({ seq: 5, intent: 1, outcome: 'succeeded (recovered)', actor: 'Ada Lovelace <ada@example.com>', planId: 'plan-1', recoveredBy: by, resourceId: 'id-1' });
    expect(r3).toMatchObject({ seq: 6, intent: 4, outcome: 'not applied', before: { version: 4, hash: 'b3', content: { text: 'old' } }, after: null, resourceId: 'id-3' });
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 6, pending: [] });

    const c = await openAuditLog(file, quiet);
    expect(c.pendingIntents()).toEqual([]);
    await c.close();
  });

  it('keeps, for each intent left open, the later writes to its address that succeeded (what settling reads besides the live state)', async () => {
    const a = await openAuditLog(file, quiet);
    const before = { version: 4, hash: 'b', content: { text: 'old' } };
    // The earlier run: its update of t1 got no outcome (a lost runner).
    await a.intent(intentInput(1, { action: 'update', resourceId: 'id-1', before }));
    // Later writes: one to t1 that succeeded, one that failed, one to another template.
    const ok = await a.intent(intentInput(1, { action: 'update', resourceId: 'id-1', before, planId: 'plan-2' }));
    await a.outcome(ok, { outcome: 'success', resourceId: 'id-1' });
    const failed = await a.intent(intentInput(1, { action: 'update', resourceId: 'id-1', before: { ...before, version: 5 }, planId: 'plan-3' }));
    await a.outcome(failed, { outcome: 'failure', resourceId: 'id-1', error: 'boom' });
    const other = await a.intent(intentInput(2, { action: 'update', resourceId: 'id-2', before, planId: 'plan-4' }));
    await a.outcome(other, { outcome: 'success', resourceId: 'id-2' });
    await a.close();

    const b = await openAuditLog(file, quiet);
    const [open] = b.pendingIntents();
    expect(open!.seq).toBe(1);
    expect(b.writtenSince(open!)).toEqual([{ intent: ok.seq, record: ok.seq + 1, resourceId: 'id-1', before }]);
    await b.recover(open!, { outcome: 'not applied', by: { actor: 'x', commit: null, planId: 'plan-5' } });
    // Settled: nothing kept for it any more.
    expect(b.writtenSince(open!)).toEqual([]);
    await b.close();
  });

  it('keeps, for each intent left open, every later intent on its address whatever its outcome (one still open included)', async () => {
    const a = await openAuditLog(file, quiet);
    const before = { version: 4, hash: 'b', content: { text: 'old' } };
    await a.intent(intentInput(1, { action: 'update', resourceId: 'id-1', before }));
    const ok = await a.intent(intentInput(1, { action: 'update', resourceId: 'id-1', before, planId: 'plan-2' }));
    await a.outcome(ok, { outcome: 'success', resourceId: 'id-1' });
    const failed = await a.intent(intentInput(1, { action: 'update', resourceId: 'id-1', before: { ...before, version: 5 }, planId: 'plan-3' }));
    await a.outcome(failed, { outcome: 'failure', resourceId: 'id-1', error: 'boom' });
    const open = await a.intent(intentInput(1, { action: 'update', resourceId: 'id-1', before: { ...before, version: 6 }, planId: 'plan-4' }));
    await a.outcome(open, { outcome: 'unknown', error: 'answer lost' });
    await a.intent(intentInput(2, { action: 'update', resourceId: 'id-2', before, planId: 'plan-5' }));
    await a.close();

    const b = await openAuditLog(file, quiet);
    const first = b.pendingIntents()[0]!;
    expect(b.plannedSince(first).map((w) => [w.intent, w.before?.version, w.outcome])).toEqual([
      [ok.seq, 4, 'success'],
      [failed.seq, 5, 'failure'],
      [open.seq, 6, undefined],
    ]);
    await b.close();
  });

  it("names the recovering run's CI run in recoveredBy (beside the interrupted run's own ci), scrubbed like the rest, and only in CI", async () => {
    const secret = 'sup3r-s3cret-value';
    const a = await openAuditLog(file, quiet);
    await a.intent(intentInput(1, { ci: { runId: '100', repository: 'acme/prompts' } }));
    await a.intent(intentInput(2));
    await a.close();

    const b = await openAuditLog(file, { onWarning: () => undefined, env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret }, secretEnvs: ['GENESYSCLOUD_OAUTHCLIENT_SECRET'] });
    const [p1, p2] = b.pendingIntents();
    const by = { actor: 'octocat', commit: 'c'.repeat(40), planId: 'plan-2' };
    const inCi = await b.recover(p1!, { outcome: 'not applied', by: { ...by, ci: { runId: `4242-${secret}`, repository: `acme/${secret}` } } });
    const outside = await b.recover(p2!, { outcome: 'not applied', by: { ...by, ci: null } });
    await b.close();

    expect(inCi).toMatchObject({ ci: { runId: '100', repository: 'acme/prompts' }, recoveredBy: { ...by, ci: { runId: '4242-[redacted]', repository: 'acme/[redacted]' } } });
    expect(outside!.recoveredBy).toEqual(by);
    expect(outside).not.toHaveProperty('ci');
    const written = await lines();
    expect(written[2]!.recoveredBy).toEqual({ ...by, ci: { runId: '4242-[redacted]', repository: 'acme/[redacted]' } });
    expect(Object.keys(written[3]!.recoveredBy as object)).toEqual(['actor', 'commit', 'planId']);
    expect(await readFile(file, 'utf8')).not.toContain(secret);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 4, pending: [] });
  });

  it('a recovery another process already wrote is not written twice', async () => {
    const a = await openAuditLog(file, quiet);
    await a.intent(intentInput(1));
    await a.close();
    const by = { actor: 'x', commit: null, planId: 'p2' };
    const b = await openAuditLog(file, quiet);
    const c = await openAuditLog(join(dir, '.', 'audit.jsonl'), quiet); // same file, same process: shares the queue
    const [p] = b.pendingIntents();
    expect(c.pendingIntents()).toHaveLength(1);
    const [rb, rc] = await Promise.all([b.recover(p!, { outcome: 'not applied', by }), c.recover(c.pendingIntents()[0]!, { outcome: 'not applied', by })]);
    await Promise.all([b.close(), c.close()]);
    expect([rb?.seq ?? null, rc]).toEqual([2, null]);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 2, pending: [] });
  });

  it('settles an intent whose live state cannot tell as unknown for good: a recovery record (format 3, recoveredBy) that closes it, written once', async () => {
    const a = await openAuditLog(file, quiet);
    await a.intent(intentInput(1, { action: 'update', resourceId: 'id-1', before: { version: 1, hash: 'b1', content: { text: 'old' } } }));
    await a.close();
    const by = { actor: 'x', commit: null, planId: 'p2' };
    const b = await openAuditLog(file, quiet);
    const c = await openAuditLog(join(dir, '.', 'audit.jsonl'), quiet); // same file, same process: shares the queue
    const [p] = b.pendingIntents();
    const note = 'written since by someone else too';
    const after = { version: 3, hash: 'h3', content: { text: 'theirs' } };
    // Two settling at once: one record, the other gets null.
    const [r, raced] = await Promise.all([b.recover(p!, { outcome: 'unknown', by, after, error: note }), c.recover(c.pendingIntents()[0]!, { outcome: 'unknown', by, after, error: note })]);
    await Promise.all([b.close(), c.close()]);
    expect(r).toMatchObject({ format: 3, seq: 2, intent: 1, outcome: 'unknown', resourceId: 'id-1', error: note, after: { version: 3 }, recoveredBy: by });
    expect(raced).toBeNull();
    expect(await verifyAuditFile(file)).toMatchObject({
      ok: true,
      records: 2,
      pending: [],
      unknown: [],
      settledUnknown: [{ intent: 1, record: 2, address: 'PromptTemplate/t1', action: 'update', by }],
    });
    // Closed: no later apply lists it again.
    const d = await openAuditLog(file, quiet);
    expect(d.pendingIntents()).toEqual([]);
    await d.close();
  });

  it("closes an intent its run left open as unknown once a recovery cannot tell either (intent → unknown → settled as unknown)", async () => {
    const a = await openAuditLog(file, quiet);
    const i = await a.intent(intentInput(1, { action: 'update', resourceId: 'id-1', before: { version: 1, hash: 'b1', content: { text: 'old' } } }));
    await a.outcome(i, { outcome: 'unknown', error: 'its answer was lost' });
    await a.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, pending: [], unknown: [1], settledUnknown: [] });
    const by = { actor: 'x', commit: null, planId: 'p2' };
    const b = await openAuditLog(file, quiet);
    const [p] = b.pendingIntents();
    expect(p?.seq).toBe(1);
    expect(await b.recover(p!, { outcome: 'unknown', by, error: 'the object is gone' })).toMatchObject({ format: 3, seq: 3, intent: 1, outcome: 'unknown', recoveredBy: by });
    expect(await b.recover(p!, { outcome: 'not applied', by })).toBeNull();
    await b.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 3, pending: [], unknown: [], settledUnknown: [{ intent: 1, record: 3, by }] });
    const c = await openAuditLog(file, quiet);
    expect(c.pendingIntents()).toEqual([]);
    await c.close();
  });

  // /proc says when a process started: Linux only (elsewhere a live pid is taken for the run, as before).
  it.skipIf(process.platform !== 'linux')('counts an intent of this host as abandoned when its pid now belongs to another process (a reused pid)', async () => {
    const a = await openAuditLog(file, quiet);
    const i = await a.intent(intentInput(1));
    await a.close();
    // The run records when its process started; a live process with that pid but another start is not it.
    expect(i.run?.started).toEqual(expect.any(String));
    const rechain = (run: NonNullable<AuditRecord['run']>) => {
      const { hash: _h, ...rest } = { ...i, run } as AuditRecord;
      return { ...rest, hash: createHash('sha256').update(rest.prevHash + stableStringify(rest)).digest('hex') };
    };
    // pid 1 is alive on every Linux host; the record says it started at another moment.
    await writeFile(file, JSON.stringify(rechain({ ...i.run!, pid: 1, started: `${i.run!.started}-not-init` })) + '\n');
    const reused = await openAuditLog(file, quiet);
    expect(reused.pendingIntents().map((p) => p.seq)).toEqual([1]);
    await reused.close();
    // The same live pid with the same start is still that run: left alone.
    await writeFile(file, JSON.stringify(rechain({ ...i.run!, pid: process.ppid, started: processStart(process.ppid) })) + '\n');
    const alive = await openAuditLog(file, quiet);
    expect(alive.pendingIntents()).toEqual([]);
    await alive.close();
    // A record from before runs recorded their start: a live pid is taken for the run, as before.
    const { started: _s, ...old } = i.run!;
    await writeFile(file, JSON.stringify(rechain({ ...old, pid: process.ppid })) + '\n');
    const before = await openAuditLog(file, quiet);
    expect(before.pendingIntents()).toEqual([]);
    await before.close();
  });

  it('counts an intent from another host as abandoned only after abandonAfterMs', async () => {
    const a = await openAuditLog(file, quiet);
    const i = await a.intent(intentInput(1));
    await a.close();
    // Rewrite the run as another host's (a forged record would not verify, so re-chain it the honest way).
    const { hash: _h, ...rest } = { ...i, run: { ...i.run!, host: 'elsewhere.example' } } as AuditRecord;
    const moved = { ...rest, hash: createHash('sha256').update(rest.prevHash + stableStringify(rest)).digest('hex') };
    await writeFile(file, JSON.stringify(moved) + '\n');
    const soon = await openAuditLog(file, { ...quiet, now: () => new Date(Date.parse(i.timestamp) + 60_000) });
    expect(soon.pendingIntents()).toEqual([]);
    await soon.close();
    const later = await openAuditLog(file, { ...quiet, now: () => new Date(Date.parse(i.timestamp) + 2 * 3600_000) });
    expect(later.pendingIntents().map((p) => p.seq)).toEqual([1]);
    await later.close();
  });
});

describe('group commit', () => {
  it('commits records queued together in one batch: one write and one fdatasync, resolving only after it', async () => {
    const log = await openAuditLog(file, quiet);
    // Watch fdatasync on the FileHandle class the log uses.
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
    await probe.close();
    const events: string[] = [];
    const original = proto.datasync;
    const spy = vi.spyOn(proto, 'datasync').mockImplementation(async function (this: unknown) {
      events.push('sync-start');
      await new Promise((r) => setTimeout(r, 20)); // a slow disk (the subject): records queue meanwhile, and one resolved before the sync ends would show
      await original.call(this);
      events.push('sync-end');
    });
    try {
      const n = 64;
      const intents = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          log.intent(intentInput(i)).then((r) => {
            events.push(`resolved ${r.seq}`);
            return r;
          }),
        ),
      );
      // Every promise resolved after a completed fdatasync, and fewer syncs than records were needed.
      const firstResolved = events.findIndex((e) => e.startsWith('resolved'));
      expect(events.slice(0, firstResolved)).toContain('sync-end');
      expect(log.stats.records).toBe(n);
      expect(log.stats.batches).toBeLessThanOrEqual(2);
      expect(spy.mock.calls.length).toBe(log.stats.batches);
      // Everything a resolved promise announced is in the file.
      const onDisk = await lines();
      expect(onDisk.map((r) => r.seq)).toEqual(intents.map((r) => r.seq).sort((a, b) => a - b));
      await Promise.all(intents.map((i) => log.outcome(i, { outcome: 'success' })));
      expect(log.stats.records).toBe(2 * n);
      expect(log.stats.batches).toBeLessThanOrEqual(4);
    } finally {
      spy.mockRestore();
      await log.close();
    }
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 128, pending: [] });
  });

  it('a failed write rejects its whole batch and leaves the file as it was', async () => {
    const log = await openAuditLog(file, quiet);
    await log.append(input(1));
    const before = await readFile(file);
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
    await probe.close();
    const spy = vi.spyOn(proto, 'datasync').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    try {
      const results = await Promise.allSettled([log.append(input(2)), log.append(input(3))]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      spy.mockRestore();
    }
    expect(await readFile(file)).toEqual(before);
    const r = await log.append(input(4));
    await log.close();
    expect(r.seq).toBe(2);
    expect(log.head()).toEqual({ seq: 2, hash: r.hash });
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 2 });
  });
});
