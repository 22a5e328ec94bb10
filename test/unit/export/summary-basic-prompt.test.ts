// Export of a Basic summary setting that holds a prompt (a real org can: the Terraform provider's
// acceptance test makes one and reads it back). Git cannot hold it (DESIGN §2: a prompt in YAML
// makes the setting Prompt-type), so export says so, and the plan of the export shows it going.
import { describe, expect, it } from 'vitest';
import { exportDocuments } from '../../../src/export/documents.js';
import type { WireSummarySetting } from '../../../src/targets/aistudio/wire.js';

const setting = (over: Partial<WireSummarySetting>): WireSummarySetting =>
  ({
    id: 's1',
    name: 'Basic wrap-up',
    language: 'en-US',
    summaryType: 'Concise',
    dateCreated: '2025-06-01T10:00:00.000Z',
    dateModified: '2025-06-01T10:00:00.000Z',
    ...over,
  }) as WireSummarySetting;

describe('export of a Basic summary setting', () => {
  it('warns that the prompt it holds cannot be written, and writes none', () => {
    const out = exportDocuments({ templates: [], filters: [], guides: [], summarySettings: [setting({ settingType: 'Basic', prompt: 'Name the product.\n' })] });
    const spec = out.files.flatMap((f) => f.documents).find((d) => d.kind === 'SummarySetting')!.spec as Record<string, unknown>;
    expect(spec).not.toHaveProperty('prompt');
    expect(out.warnings).toEqual([
      'SummarySetting/Basic wrap-up: a Basic setting that holds a prompt; promptctl YAML cannot hold it (a prompt there makes the setting Prompt-type), so a plan of the export shows removing it',
    ]);
  });

  it('says nothing of a Basic setting without one, or with an empty one', () => {
    for (const prompt of [undefined, '']) {
      const out = exportDocuments({ templates: [], filters: [], guides: [], summarySettings: [setting({ settingType: 'Basic', ...(prompt === undefined ? {} : { prompt }) })] });
      expect(out.warnings).toEqual([]);
    }
  });
});
