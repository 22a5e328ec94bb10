// A summary setting's custom entity made without a description (through the API): the schema
// requires one, so export writes `description: ""`, which the plan reads as none. After an
// unrelated change in git was applied, the PUT (which replaces the whole setting) sent
// `description: ""`, and the live entity gained a description it never had, which no plan showed.
// The PUT now sends such an entity as the live setting holds it: without a description.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aiStudioOrg } from '../helpers/aistudio-org.js';
import { closeAfterEach } from '../helpers/interrupt.js';

const closing = closeAfterEach();

describe('a custom entity without a description, exported and applied again', () => {
  it('keeps no description live after an unrelated change is applied', { timeout: 60_000 }, async () => {
    const { dir, studio, cli } = closing(await aiStudioOrg('promptctl-summary-entity-'));
    const made = await studio.createSummarySetting({
      name: 'Voice wrap-up',
      language: 'en-US',
      summaryType: 'Concise',
      customEntities: [{ label: 'Order number' }, { label: 'Refund', description: 'The amount refunded' }],
    });
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
