import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_KEY_ENV, openAuditLog, type AuditAnchor, type AuditRecord } from '../../../src/audit/log.js';
import { verifyAuditFile } from '../../../src/audit/verify.js';
import { chainHashV2, formatAnchor, parseAnchor } from '../../../src/audit/record.js';
import { stableStringify } from '../../../src/util/json.js';
import { withFileLock } from '../../../src/util/lock.js';
import { watch } from 'node:fs';
import { KEY, appendInput, intentInput } from './support.js';

let dir: string;
let file: string;
let head: AuditAnchor;

async function writeTrail(env: NodeJS.ProcessEnv = {}): Promise<void> {
  const log = await openAuditLog(file, { env, onWarning: () => undefined });
  for (let i = 1; i <= 5; i++) {
    await log.append(
      appendInput(i, {
        address: `SafetyFilter/f${i}`, action: 'update', resourceId: `id-${i}`,
        before: { version: i, hash: null }, after: { version: i + 1, hash: null },
      }),
    );
  }
  await log.close();
  head = log.head()!;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-verify-'));
  file = join(dir, 'audit.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function edit(fn: (records: AuditRecord[], lines: string[]) => string[]): Promise<void> {
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
  const records = lines.map((l) => JSON.parse(l) as AuditRecord);
  const out = fn(records, lines);
  await writeFile(file, out.length ? out.join('\n') + '\n' : '');
}

/** What a forger without the key can do: change record I and re-compute every hash from there with plain sha256. */
function rechain(records: AuditRecord[], from: number, change: (r: AuditRecord) => AuditRecord, alg?: AuditRecord['alg']): string[] {
  const out: AuditRecord[] = [];
  for (let i = 0; i < records.length; i++) {
    let r = records[i]!;
    if (i >= from) {
      if (i === from) r = change(r);
      r = { ...r, ...(alg ? { alg } : {}), prevHash: out[i - 1]?.hash ?? r.prevHash };
      const { hash: _h, ...rest } = r;
      r = { ...r, hash: createHash('sha256').update(r.prevHash + stableStringify(rest)).digest('hex') };
    }
    out.push(r);
  }
  return out.map((r) => JSON.stringify(r));
}

describe('verifyAuditFile: the chain', () => {
  beforeEach(() => writeTrail());

  it('accepts an intact chain and an empty file', async () => {
    expect(await verifyAuditFile(file)).toEqual({ ok: true, records: 5, head, keyed: 0, unkeyed: 5, firstKeyed: null, legacy: 0, pending: [], unknown: [], settledUnknown: [], anchored: false });
    await writeFile(file, '');
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 0, head: null });
  });

  it('names a tampered line 3 (content changed, hash left alone)', async () => {
    await edit((rs, ls) => ls.map((l, i) => (i === 2 ? JSON.stringify({ ...rs[2], outcome: 'failure' }) : l)));
    expect(await verifyAuditFile(file)).toEqual({ ok: false, line: 3, reason: 'hash does not match the content of record 3' });
  });

  it('names the next line when a tamperer recomputes only the edited record hash', async () => {
    await edit((rs, ls) =>
      ls.map((l, i) => {
        if (i !== 2) return l;
        const changed = { ...rs[2]!, address: 'SafetyFilter/other' };
        return JSON.stringify({ ...changed, hash: chainHashV2(changed, null) });
      }),
    );
    expect(await verifyAuditFile(file)).toEqual({ ok: false, line: 4, reason: 'prevHash does not match the hash of record 3' });
  });

  it('names a deleted record as a seq gap', async () => {
    await edit((_rs, ls) => ls.filter((_l, i) => i !== 1));
    expect(await verifyAuditFile(file)).toEqual({ ok: false, line: 2, reason: 'seq 3 where 2 was expected' });
  });

  it('names bad JSON', async () => {
    await edit((_rs, ls) => ls.map((l, i) => (i === 3 ? l.slice(0, 20) : l)));
    expect(await verifyAuditFile(file)).toEqual({ ok: false, line: 4, reason: 'not valid JSON' });
  });

  // One blank line at the end, or a BOM an editor saved, stopped every apply with "not valid JSON …
  // move it aside to start a new trail" (a review): they are named, with what to remove, alike by
  // verify and the writer, and nothing is removed unasked.
  it('names an empty line and a byte-order mark as what they are, with what to remove, for verify and the writer alike', async () => {
    const whole = await readFile(file);
    for (const [bytes, line, reason, fix] of [
      [Buffer.concat([whole, Buffer.from('\n')]), 6, 'an empty line, which promptctl never writes (an editor or a copy added it)', 'remove that line (it holds no record)'],
      [Buffer.concat([whole.subarray(0, whole.indexOf(0x0a) + 1), Buffer.from('\n'), whole.subarray(whole.indexOf(0x0a) + 1)]), 2, 'an empty line', 'remove that line'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), whole]), 1, 'a byte-order mark (U+FEFF, the bytes EF BB BF) before the record', 'remove those three bytes'],
    ] as const) {
      await writeFile(file, bytes);
      const res = await verifyAuditFile(file);
      expect(res).toMatchObject({ ok: false, line, stray: true });
      expect(res.ok === false && res.reason).toContain(reason);
      expect(res.ok === false && res.reason).toContain(fix);
      const opening = openAuditLog(file, { env: {}, onWarning: () => undefined });
      await expect(opening).rejects.toThrow(`${file}:${line}: ${reason}`);
      await expect(opening).rejects.toThrow(fix);
      await expect(opening).rejects.not.toThrow(/not valid JSON|move it aside/);
      expect(await readFile(file)).toEqual(bytes);
    }
    // A last record behind a BOM and without its newline is no torn write: it is not cut off.
    const one = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), whole.subarray(0, whole.indexOf(0x0a))]);
    await writeFile(file, one);
    await expect(openAuditLog(file, { env: {}, onWarning: () => undefined })).rejects.toThrow('byte-order mark');
    expect(await readFile(file)).toEqual(one);
  });

  it('names a record with a missing field', async () => {
    await edit((rs, ls) => ls.map((l, i) => (i === 0 ? JSON.stringify({ ...rs[0], actor: undefined }) : l)));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 1, reason: expect.stringMatching(/actor/) });
  });

  it('names a record whose cascade is not a list of snapshots with addresses', async () => {
    await edit((rs, ls) => ls.map((l, i) => (i === 0 ? JSON.stringify({ ...rs[0], cascade: [{ version: '1.0.0', hash: null, content: null }] }) : l)));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 1, reason: 'cascade is not a list of {address, version, hash, content}' });
  });

  it('names a line nested deeper than any record, where hashing it overflowed the stack (an internal error, no line named), for verify and the writer alike', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    await edit((_rs, ls) => ls.map((l, i) => (i === 2 ? l.replace('"after":{', `"after":{"deep":${deep},`) : l)));
    const reason = 'nested more than 256 levels deep, deeper than any record promptctl writes';
    expect(await verifyAuditFile(file)).toEqual({ ok: false, line: 3, reason });
    await expect(openAuditLog(file, { env: {}, onWarning: () => undefined })).rejects.toThrow(`${file}:3: the audit chain is broken (${reason})`);
  });

  it('names a record of an unknown format', async () => {
    await edit((rs, ls) => ls.map((l, i) => (i === 4 ? JSON.stringify({ ...rs[4], format: 4 }) : l)));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 5, reason: expect.stringMatching(/unknown record format 4 \(this promptctl reads formats 1, 2 and 3\)/) });
    // One naming format 1 was "unknown record format 1 (this promptctl reads formats 1, …)" (a review).
    await edit((rs, ls) => ls.map((l, i) => (i === 4 ? JSON.stringify({ ...rs[4], format: 1 }) : l)));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 5, reason: expect.stringMatching(/^a record naming "format": 1, which no promptctl writes/) });
  });

  it('rejects a first record that does not start from the genesis hash', async () => {
    await edit((rs, ls) => {
      const first = { ...rs[0]!, prevHash: 'f'.repeat(64) };
      return [JSON.stringify({ ...first, hash: chainHashV2(first, null) }), ...ls.slice(1)];
    });
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 1, reason: expect.stringMatching(/genesis/) });
  });

  it('reports an unrepaired torn tail on the last line', async () => {
    const text = await readFile(file, 'utf8');
    await writeFile(file, text + '{"format":2,"seq":6,"time');
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 6, reason: expect.stringMatching(/interrupted/), torn: true });
  });

  it('reads a last line still being written again once its writer is done (under the writers’ lock)', async () => {
    const whole = await readFile(file, 'utf8');
    await writeFile(file, whole.slice(0, whole.length - 40));
    const result = await withFileLock(file, async () => {
      // verify reads the torn tail, then asks for the lock: its bid (a temp file beside the lock) is the sign.
      const watcher = watch(dir);
      const bid = new Promise<void>((done) => watcher.on('change', (_, name) => String(name).startsWith('audit.jsonl.lock.') && done()));
      const verifying = verifyAuditFile(file);
      await bid;
      watcher.close();
      await writeFile(file, whole);
      // Handed out unawaited: it finishes only once this lock is released.
      return { verifying };
    });
    expect(await result.verifying).toMatchObject({ ok: true, records: 5 });
  });
});

describe('verifyAuditFile: head anchors', () => {
  beforeEach(() => writeTrail());

  it('finds the anchor in an intact trail, and in one that grew since', async () => {
    expect(await verifyAuditFile(file, { head })).toMatchObject({ ok: true, records: 5, anchored: true });
    expect(await verifyAuditFile(file, { head: { seq: 3, hash: (JSON.parse((await readFile(file, 'utf8')).split('\n')[2]!) as AuditRecord).hash } })).toMatchObject({
      ok: true,
      anchored: true,
    });
  });

  it("says an anchor whose record differs may be another trail's, not only a rewrite", async () => {
    expect(await verifyAuditFile(file, { head: { seq: 3, hash: 'f'.repeat(64) } })).toMatchObject({
      ok: false,
      line: 3,
      reason: expect.stringMatching(/^record 3 does not match the head anchor 3:f{12}…: the trail was rewritten from here or earlier, or the anchor is another trail's \(another --env\?\)$/),
    });
  });

  it('detects a deleted last record', async () => {
    await edit((_rs, ls) => ls.slice(0, 4));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 4 }); // the chain alone cannot tell
    expect(await verifyAuditFile(file, { head })).toEqual({
      ok: false,
      line: null,
      reason: expect.stringMatching(/^the trail ends at record 4 but the head anchor 5:[0-9a-f]{12}… names record 5: records were removed from its end, or the anchor is another trail's \(another --env\?\)$/),
    });
  });

  it('detects an emptied file', async () => {
    await writeFile(file, '');
    expect(await verifyAuditFile(file, { head })).toEqual({
      ok: false,
      line: null,
      reason: expect.stringMatching(/^the trail is empty but the head anchor 5:.* names record 5: its records were removed, or the anchor is another trail's \(another --env\?\)$/),
    });
  });

  it('detects a trail re-chained with sha256 (no key): the chain verifies, the anchor does not', async () => {
    await edit((rs) => rechain(rs, 2, (r) => ({ ...r, outcome: 'failure' })));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 5 });
    expect(await verifyAuditFile(file, { head })).toEqual({
      ok: false,
      line: 5,
      reason: expect.stringMatching(/^record 5 does not match the head anchor 5:.*: the trail was rewritten/),
    });
  });

  it('parses and formats anchors', () => {
    expect(parseAnchor(formatAnchor(head))).toEqual(head);
    expect(parseAnchor(` 12:${'A'.repeat(64)} `)).toEqual({ seq: 12, hash: 'a'.repeat(64) });
    for (const bad of ['', '12', `0:${'a'.repeat(64)}`, `12:${'a'.repeat(63)}`, `x:${'a'.repeat(64)}`, `12:${'g'.repeat(64)}`]) {
      expect(parseAnchor(bad)).toBeNull();
    }
  });
});

describe('verifyAuditFile: keyed trails', () => {
  beforeEach(() => writeTrail({ [AUDIT_KEY_ENV]: KEY }));

  it('verifies with the key, and says it needs the key without it', async () => {
    expect(await verifyAuditFile(file, { key: KEY, head })).toMatchObject({ ok: true, records: 5, keyed: 5, anchored: true });
    expect(await verifyAuditFile(file)).toEqual({
      ok: false,
      line: 1,
      missingKey: true,
      reason: 'record 1 is keyed (hmac-sha256): set PROMPTCTL_AUDIT_KEY to the key it was written with to verify it',
    });
    expect(await verifyAuditFile(file, { key: 'not-the-key-0123456789' })).toMatchObject({ ok: false, line: 1, reason: expect.stringMatching(/is not the key it was written with/) });
  });

  it('detects a forger who re-chains without the key, whether the records keep claiming a key or not', async () => {
    const original = await readFile(file, 'utf8');
    // Records still say hmac-sha256, but the forger could only compute sha256.
    await edit((rs) => rechain(rs, 2, (r) => ({ ...r, outcome: 'failure' })));
    expect(await verifyAuditFile(file, { key: KEY })).toEqual({ ok: false, line: 3, reason: 'hash does not match the content of record 3' });
    // Downgraded to sha256 from the edited record on.
    await writeFile(file, original);
    await edit((rs) => rechain(rs, 2, (r) => ({ ...r, outcome: 'failure' }), 'sha256'));
    expect(await verifyAuditFile(file, { key: KEY })).toEqual({
      ok: false,
      line: 3,
      reason: 'record 3 is not keyed (sha256) but earlier records are: a keyed trail never goes back to plain sha256',
    });
    // The whole trail rewritten as sha256: the chain verifies and says it holds no keyed record; the anchor catches it.
    await writeFile(file, original);
    await edit((rs) => rechain(rs, 0, (r) => ({ ...r, outcome: 'failure' }), 'sha256'));
    expect(await verifyAuditFile(file, { key: KEY })).toMatchObject({ ok: true, keyed: 0, unkeyed: 5 });
    expect(await verifyAuditFile(file, { key: KEY, head })).toMatchObject({ ok: false, line: 5 });
  });

  it('detects a forger who has the records but not the key (an HMAC with a guessed key)', async () => {
    await edit((rs) =>
      rs.map((r, i) => {
        if (i !== 4) return JSON.stringify(r);
        const changed = { ...r, outcome: 'failure' as const };
        const { hash: _h, ...rest } = changed;
        return JSON.stringify({ ...changed, hash: createHmac('sha256', 'guess-0123456789abc').update(r.prevHash + stableStringify(rest)).digest('hex') });
      }),
    );
    expect(await verifyAuditFile(file, { key: KEY })).toEqual({ ok: false, line: 5, reason: 'hash does not match the content of record 5' });
  });
});

describe('verifyAuditFile: intents and outcomes', () => {
  it("names an intent whose outcome field is gone as missing, not as having an outcome (it said the opposite)", async () => {
    const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    await log.intent(intentInput(1));
    await log.close();
    await edit((rs) => rs.map((r) => {
      const { outcome: _gone, ...rest } = r;
      return JSON.stringify(rest);
    }));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 1, reason: 'outcome is missing (an intent holds "outcome": null)' });
  });

  it('lists intents without an outcome, and rejects an outcome that names no open intent', async () => {
    const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    const i1 = await log.intent(intentInput(1));
    const i2 = await log.intent(intentInput(2));
    await log.outcome(i1, { outcome: 'success' });
    await log.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 3, pending: [2] });

    // An outcome forged to point at the other intent, re-chained honestly: the pairing is wrong.
    await edit((rs) => rechain(rs, 2, (r) => ({ ...r, intent: i2.seq })));
    expect(await verifyAuditFile(file)).toEqual({
      ok: false,
      line: 3,
      reason: 'record 3 is the outcome of intent 2, which is for another change (create PromptTemplate/t2)',
    });
    await edit((rs) => rechain(rs, 2, (r) => ({ ...r, intent: 3 })));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 3, reason: expect.stringMatching(/intent 3, which is not an earlier intent without an outcome/) });
  });

  it('keeps the intent of an "unknown" outcome (format 3) open for a recovery, and refuses any other outcome after it', async () => {
    const a = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    const i = await a.intent(intentInput(1));
    const unknown = await a.outcome(i, { outcome: 'unknown', correlationId: 'c-1', error: 'gave up; could not read whether it landed' });
    // Its own format: an older promptctl says to upgrade instead of calling the trail broken.
    expect(unknown.format).toBe(3);
    // Its run said all it can: a second word of it would contradict the first.
    await expect(a.outcome(i, { outcome: 'success' })).rejects.toThrow(/only a recovery may follow it/);
    await a.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 2, pending: [], unknown: [1] });
    // Written on another host, it waits as that host's open intents do (a publish job that did not
    // end in time may still be running); then it is pending like them.
    await edit((rs) => rechain(rs, 0, (r) => ({ ...r, run: { ...r.run!, host: 'another-host' } })));
    const early = await openAuditLog(file, { env: {}, onWarning: () => undefined, abandonAfterMs: Number.POSITIVE_INFINITY });
    expect(early.pendingIntents()).toEqual([]);
    await early.close();
    const b = await openAuditLog(file, { env: {}, onWarning: () => undefined, abandonAfterMs: 0 });
    expect(b.pendingIntents().map((r) => r.seq)).toEqual([1]);
    await b.recover(b.pendingIntents()[0]!, { outcome: 'succeeded (recovered)', by: { actor: 'octocat', commit: null, planId: 'plan-2' } });
    await b.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 3, pending: [], unknown: [] });
    // A success written after the unknown one by hand (re-chained with the key-less hash) is refused.
    await edit((rs) => rechain([...rs.slice(0, 2), { ...rs[1]!, seq: 3, format: 2, outcome: 'success', prevHash: rs[1]!.hash }], 2, (r) => r));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 3, reason: 'record 3 is an outcome of intent 1, whose outcome is already on record as unknown: only a recovery may follow it' });
    // An "unknown" outcome is format 3 and only it is.
    await edit((rs) => rechain(rs.slice(0, 2), 1, (r) => ({ ...r, format: 2 })));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 2, reason: 'an "unknown" outcome is not format 3' });
  });

  it('accepts a recovery settling an intent as unknown (naming its run) after the unknown its own run wrote, closing it; refuses any outcome after it, and a recoveredBy of another shape', async () => {
    const a = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    const i = await a.intent(intentInput(1));
    await a.outcome(i, { outcome: 'unknown', error: 'its answer was lost' });
    await a.close();
    const by = { actor: 'octocat', commit: null, planId: 'plan-2' };
    const b = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    await b.recover(b.pendingIntents()[0]!, { outcome: 'unknown', by: { ...by, ci: { runId: '4242' } }, error: 'the object is gone' });
    await b.close();
    expect(await verifyAuditFile(file)).toMatchObject({
      ok: true,
      records: 3,
      pending: [],
      unknown: [],
      settledUnknown: [{ intent: 1, record: 3, address: 'PromptTemplate/t1', action: 'create', by: { ...by, ci: { runId: '4242' } } }],
    });
    // Closed for good: a recovery after it (re-chained by hand) names no open intent.
    await edit((rs) => rechain([...rs, { ...rs[2]!, seq: 4, format: 2, outcome: 'not applied', prevHash: rs[2]!.hash }], 3, (r) => r));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 4, reason: 'record 4 is the outcome of intent 1, which is not an earlier intent without an outcome' });
    for (const recoveredBy of ['octocat', { actor: 'octocat', planId: 'plan-2' }]) {
      await edit((rs) => rechain(rs.slice(0, 3), 2, (r) => ({ ...r, recoveredBy }) as unknown as AuditRecord));
      expect(await verifyAuditFile(file), JSON.stringify(recoveredBy)).toEqual({ ok: false, line: 3, reason: 'recoveredBy is not {actor, commit, planId, ci?}' });
    }
    // Still format 3 only.
    await edit((rs) => rechain(rs.slice(0, 3), 2, (r) => ({ ...r, format: 2, recoveredBy: by })));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, line: 3, reason: 'an "unknown" outcome is not format 3' });
  });

  it("accepts a recovery that names the recovering run's ci and one that names none (as older trails hold), and names a recoveredBy of another shape", async () => {
    const a = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    await a.intent(intentInput(1));
    await a.intent(intentInput(2));
    await a.close();
    const b = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    const [p1, p2] = b.pendingIntents();
    const by = { actor: 'octocat', commit: null, planId: 'plan-2' };
    await b.recover(p1!, { outcome: 'not applied', by: { ...by, ci: { runId: '4242', repository: 'acme/prompts' } } });
    await b.recover(p2!, { outcome: 'not applied', by });
    await b.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 4, pending: [] });

    for (const recoveredBy of [{ ...by, ci: { runId: 4242 } }, { ...by, ci: null }, { ...by, ci: { repository: 'acme/prompts' } }]) {
      await edit((rs) => rechain(rs, 2, (r) => ({ ...r, recoveredBy }) as unknown as AuditRecord));
      expect(await verifyAuditFile(file), JSON.stringify(recoveredBy)).toEqual({ ok: false, line: 3, reason: 'recoveredBy.ci is not {runId, repository?}' });
    }
    await edit((rs) => rechain(rs, 2, (r) => ({ ...r, recoveredBy: { actor: 'octocat', planId: 'plan-2' } }) as AuditRecord));
    expect(await verifyAuditFile(file)).toEqual({ ok: false, line: 3, reason: 'recoveredBy is not {actor, commit, planId, ci?}' });
  });
});
