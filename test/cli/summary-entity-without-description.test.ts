// A summary setting's custom entity made without a description (through the API): the schema
// requires one, so export writes `description: ""`, which the plan reads as none. After an
// unrelated change in git was applied, the PUT (which replaces the whole setting) sent
// `description: ""`, and the live entity gained a description it never had, which no plan showed.
// The PUT now sends such an entity as the live setting holds it: without a description.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { runCliInProcess } from '../helpers/cli.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
let studio: AiStudioApi | undefined;
afterEach(async () => {
  await studio?.close();
  await emu?.close();
  await dir?.remove();
  emu = dir = studio = undefined;
});

describe('a custom entity without a description, exported and applied again', () => {
  it('keeps no description live after an unrelated change is applied', { timeout: 60_000 }, async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-summary-entity-');
    studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    const made = await studio.createSummarySetting({
      name: 'Voice wrap-up',
      language: 'en-US',
      summaryType: 'Concise',
      customEntities: [{ label: 'Order number' }, { label: 'Refund', description: 'The amount refunded' }],
    });
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    expect((await cli(['export', '--out', 'prompts'])).code).toBe(0);
    const file = join(dir.path, 'prompts/summaries/voice-wrap-up.yaml');
    const yaml = await readFile(file, 'utf8');
    expect(yaml).toContain('description: ""');

    // An unrelated change: the summary's length.
    await writeFile(file, yaml.replace('summaryType: Concise', 'summaryType: Detailed'));
    const plan = await cli(['plan']);
    expect(plan.stdout).toContain('update SummarySetting/Voice wrap-up');
    expect(plan.stdout).not.toContain('customEntities');
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);

    const live = await studio.getSummarySetting(made.id);
    expect(live.summaryType).toBe('Detailed');
    expect(live.customEntities).toEqual([{ label: 'Order number' }, { label: 'Refund', description: 'The amount refunded' }]);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});
