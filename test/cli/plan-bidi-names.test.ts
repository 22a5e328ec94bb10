// A live object's name may hold characters that reorder or hide the text printed around it (a
// bidi override, "Trojan Source"; a zero-width space): another team's guide named so drew the
// plan's line backwards. Names on the terminal show them as escapes; a joiner (emoji) stays.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const closing: Array<{ close(): Promise<unknown> } | TempDir> = [];
afterEach(async () => {
  for (const x of closing.splice(0).reverse()) await ('remove' in x ? x.remove() : x.close());
});

describe('a live name with bidi controls or invisible characters', () => {
  it('is printed with them as escapes in the plan, so the line reads as it is', { timeout: 60_000 }, async () => {
    const dir = await tempDir('promptctl-bidi-names-');
    closing.push(dir);
    await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    const emu = await startTestEmulator({});
    closing.push(emu);
    const studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    closing.push(studio);
    await studio.createGuide({ name: 'Refunds \u202Edeifiton ton\u202C by hand', source: 'Manual' });
    await studio.createGuide({ name: 'Hidden\u200Bspace and \u{E0041}tag', source: 'Manual' });
    await studio.createGuide({ name: 'Family 👨\u200D👩\u200D👧 guide', source: 'Manual' });

    const plan = await runCliInProcess(['plan'], { cwd: dir.path, env: emu.env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Guide/Refunds \\u202edeifiton ton\\u202c by hand');
    expect(plan.stdout).toContain('Guide/Hidden\\u200bspace and \\u{e0041}tag');
    expect(plan.stdout).toContain('Guide/Family 👨\u200D👩\u200D👧 guide');
    expect(plan.stdout).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]|\u{E0041}/u);
  });
});
