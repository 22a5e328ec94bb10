// apply's warnings about its audit trail (a torn last line cut off, a sink's failed delivery)
// name the trail's file. The name is audit.file of promptctl.yaml, which anyone may have changed:
// an ESC or a CR in it printed raw would drive the terminal and could erase the warning. The
// warnings print it made visible (util/escapes.ts visibleName), as `audit verify` names it.
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/log.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
});
afterEach(async () => {
  await s.close();
});

describe('apply: warnings about the audit trail', () => {
  it('name a trail whose file name holds control characters with them as escapes', async () => {
    const name = 'trail\u001b[2K\rok.jsonl';
    await writeFile(join(s.dir.path, 'prompts', 'promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit: {file: "trail\\e[2K\\rok.jsonl"}\n');
    const file = join(s.dir.path, name);
    const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    await log.intent({ actor: 'a', commit: null, planId: 'p', org: null, address: 'Widget/w', action: 'create', resourceId: null, before: null, after: null });
    await log.close();
    // A write a crash cut short: the next apply cuts it off and says so.
    await appendFile(file, '{"format":2,"seq":2,"ti');

    const r = await s.cli(['apply', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/[\u001b\r]/);
    const shown = join(s.dir.path, 'trail\\u001b[2K\\u000dok.jsonl');
    expect(r.stderr).toContain(`warning: ${shown}: removed an incomplete last line (23 bytes) left by an interrupted write; its bytes are kept in ${shown}.torn\n`);
  });
});
