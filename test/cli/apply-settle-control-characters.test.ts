// apply says how it settled each change an earlier run left open, naming it by the address its
// intent holds. The trail may have been written by anyone, and an address may be a live object's
// name (a guide's is free text): a control character in it (an ESC, a CR) printed raw could erase
// the line and print another in its place. Those lines name the address made visible, as the plan
// names it (util/escapes.ts visibleName).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generatePromptSet } from '../../bench/generate.mjs';
import { openAuditLog } from '../../src/audit/log.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

describe('apply: settling an earlier run', () => {
  it('names the address an open intent holds with its control characters as escapes', async () => {
    emu = await startTestEmulator();
    dir = await tempDir('promptctl-settle-ctl-');
    await generatePromptSet(join(dir.path, 'prompts'), { templates: 1, versions: 1 });
    const fake = '\u001b[2K\rok: nothing was left open';
    // Intents of a run that is gone (this process's, once closed): one the org can tell about, one
    // of a kind this promptctl does not know (left open).
    const log = await openAuditLog(join(dir.path, '.promptctl', 'audit.jsonl'), { env: {}, onWarning: () => undefined });
    const change = { actor: 'a', commit: null, planId: 'p', org: null, action: 'create', resourceId: null, before: null, after: null };
    await log.intent({ ...change, address: `PromptTemplate/gone${fake}` });
    await log.intent({ ...change, address: `Widget/w${fake}` });
    await log.close();

    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/[\u001b\r]/);
    expect(r.stderr).toContain('audit: PromptTemplate/gone\\u001b[2K\\u000dok: nothing was left open from an earlier run: not applied\n');
    expect(r.stderr).toContain(
      'audit: Widget/w\\u001b[2K\\u000dok: nothing was left open from an earlier run: left open (a kind this promptctl does not know; a later apply that can read it settles it)\n',
    );
  });
});
