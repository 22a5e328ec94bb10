// `audit verify` quotes a record's fields in its reasons (an outcome naming another change's
// intent). The trail may have been written by anyone: a control character in it (an ESC, a CR)
// printed raw could erase the reason's line and print an "ok" in its place. Reasons are one line,
// made visible (util/escapes.ts oneLine).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
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
});
