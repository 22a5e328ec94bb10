// `promptctl apply` refuses to append after a broken audit chain, naming why. The reason may quote
// the trail's own fields (an outcome naming another change's intent), and anyone may have written
// them: a control character printed raw (an ESC, a CR) could erase the refusal from the terminal.
// The reason is one line, made visible (util/escapes.ts oneLine), as `audit verify` prints it.
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/log.js';
import { chainHashV2, recordLine, type AuditRecord } from '../../src/audit/record.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
});
afterEach(async () => {
  await s.close();
});

describe('apply after a broken audit chain', () => {
  it('names the reason with control characters made visible, on one line', async () => {
    const file = join(s.dir.path, '.promptctl', 'audit.jsonl');
    const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    await log.intent({ actor: 'a', commit: null, planId: 'p', org: null, address: 'Guide/x\u001b[1A\u001b[2K\rall good', action: 'create', resourceId: null, before: null, after: null });
    await log.close();
    const intent = JSON.parse((await readFile(file, 'utf8')).trimEnd()) as AuditRecord;
    const { run: _run, hash: _hash, ...rest } = intent;
    const body = { ...rest, seq: 2, type: 'outcome' as const, address: 'Guide/y', outcome: 'success' as const, intent: 1, prevHash: intent.hash };
    await appendFile(file, recordLine({ ...body, hash: chainHashV2(body, null) } as AuditRecord));

    const r = await s.cli(['apply', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the audit chain is broken');
    expect(r.stderr).toContain('(create Guide/x\\u001b[1A\\u001b[2K\\rall good)');
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\r]/);
  });
});
