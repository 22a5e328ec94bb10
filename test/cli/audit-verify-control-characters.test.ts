// `audit verify` quotes a record's fields in its reasons (an outcome naming another change's
// intent). The trail may have been written by anyone: a control character in it (an ESC, a CR)
// printed raw could erase the reason's line and print an "ok" in its place. Reasons are one line,
// made visible (util/escapes.ts oneLine). So is the trail's file name (the user's, or audit.file of
// a promptctl.yaml anyone may have changed) in every line that names it, a failure's as an ok's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog } from '../../src/audit/log.js';
import { chainHashV2, recordLine, type AuditRecord } from '../../src/audit/record.js';
import { runCliInProcess } from '../helpers/cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-cli-audit-ctl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('audit verify: reasons quoting a record', () => {
  it('shows control characters a record holds as escapes, on one line', async () => {
    const file = join(dir, 'trail.jsonl');
    const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    const fake = '\u001b[1A\u001b[2K\rok: 2 records, chain intact';
    await log.intent({ actor: 'a', commit: null, planId: 'p', org: null, address: `Guide/x${fake}`, action: 'create', resourceId: null, before: null, after: null });
    await log.close();
    // An outcome (hashes right, no key) naming that intent but another change.
    const intent = JSON.parse((await readFile(file, 'utf8')).trimEnd()) as AuditRecord;
    const { run: _run, hash: _hash, ...rest } = intent;
    const body = { ...rest, seq: 2, type: 'outcome' as const, address: 'Guide/y', outcome: 'success' as const, intent: 1, prevHash: intent.hash };
    await appendFile(file, recordLine({ ...body, hash: chainHashV2(body, null) } as AuditRecord));
    const r = await runCliInProcess(['audit', 'verify', 'trail.jsonl'], { cwd: dir, env: {} });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/[\u001b\r]/);
    expect(r.stderr).toBe(
      'trail.jsonl:2: error: broken audit chain: record 2 is the outcome of intent 1, which is for another change (create Guide/x\\u001b[1A\\u001b[2K\\rok: 2 records, chain intact)\n',
    );
  });

  it('names a file whose name holds control characters with them as escapes, on its failure line too', async () => {
    const name = 'trail\u001b[2K\rok: trail.jsonl: 1 record, chain intact.jsonl';
    const file = join(dir, name);
    const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    await log.intent({ actor: 'a', commit: null, planId: 'p', org: null, address: 'Guide/x', action: 'create', resourceId: null, before: null, after: null });
    await log.close();
    const shown = 'trail\\u001b[2K\\u000dok: trail.jsonl: 1 record, chain intact.jsonl';
    const ok = await runCliInProcess(['audit', 'verify', name], { cwd: dir, env: {} });
    expect(ok.stdout).toBe(`ok: ${shown}: 1 record, chain intact\n`);
    // With a key set, a trail none of whose records is keyed is refused, naming it.
    const unkeyed = await runCliInProcess(['audit', 'verify', name], { cwd: dir, env: { PROMPTCTL_AUDIT_KEY: 'k'.repeat(16) } });
    expect(unkeyed.code).toBe(1);
    expect(unkeyed.stderr.slice(0, `${shown}: not keyed: `.length)).toBe(`${shown}: not keyed: `);
    expect(unkeyed.stderr).not.toMatch(/[\u001b\r]/);
    // Defaced: its hash no longer matches.
    await writeFile(file, (await readFile(file, 'utf8')).replace('Guide/x', 'Guide/z'));
    const r = await runCliInProcess(['audit', 'verify', name], { cwd: dir, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/[\u001b\r]/);
    expect(r.stderr).toBe(`${shown}:1: error: broken audit chain: hash does not match the content of record 1\n`);
    // Keyed and verified without its key; and against a head anchor it does not hold.
    const keyed = join(dir, `k${name}`);
    const klog = await openAuditLog(keyed, { env: { PROMPTCTL_AUDIT_KEY: 'k'.repeat(16) }, onWarning: () => undefined });
    await klog.intent({ actor: 'a', commit: null, planId: 'p', org: null, address: 'Guide/x', action: 'create', resourceId: null, before: null, after: null });
    await klog.close();
    const nokey = await runCliInProcess(['audit', 'verify', `k${name}`], { cwd: dir, env: {} });
    const start = (text: string, prefix: string) => text.slice(0, prefix.length);
    expect(start(nokey.stderr, `k${shown}:1: error: cannot verify: `)).toBe(`k${shown}:1: error: cannot verify: `);
    const anchor = await runCliInProcess(['audit', 'verify', `k${name}`, '--head', `2:${'0'.repeat(64)}`], { cwd: dir, env: { PROMPTCTL_AUDIT_KEY: 'k'.repeat(16) } });
    expect(start(anchor.stderr, `k${shown}: error: audit trail does not match its head anchor: `)).toBe(`k${shown}: error: audit trail does not match its head anchor: `);
    expect(nokey.stderr + anchor.stderr).not.toMatch(/[\u001b\r]/);
  });
});
