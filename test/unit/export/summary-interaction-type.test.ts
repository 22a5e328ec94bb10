// Export of a summary setting keeps an Email interactionType and leaves out Live, the default. It
// is read-only (A11): every setting the API creates is Live. Left out (as before), another org's
// plan of the exported document created an email summary as a live one without a word (a review's
// walk: export, then apply to a second org); named, that plan refuses the create and says to make
// the setting there by hand, and the org it came from plans nothing.
import { describe, expect, it } from 'vitest';
import { exportDocuments } from '../../../src/export/documents.js';
import type { WireSummarySetting } from '../../../src/targets/aistudio/wire.js';

const setting = (interactionType: 'Email' | 'Live') =>
  ({
    id: 's1',
    name: 'Email digest',
    language: 'en-US',
    interactionType,
    settingType: 'Prompt',
    prompt: 'Summarise the thread.\n',
    dateCreated: '2025-06-01T10:00:00.000Z',
    dateModified: '2025-06-01T10:00:00.000Z',
  }) as WireSummarySetting;

const specOf = (s: WireSummarySetting) =>
  exportDocuments({ templates: [], filters: [], guides: [], summarySettings: [s] }).files.flatMap((f) => f.documents).find((d) => d.kind === 'SummarySetting')!.spec as Record<string, unknown>;

describe('export of a summary setting', () => {
  it('made in Genesys Cloud as Email: keeps interactionType Email', () => {
    const spec = specOf(setting('Email'));
    expect(spec.prompt).toBe('Summarise the thread.\n');
    expect(spec.interactionType).toBe('Email');
  });

  it('Live, the default: leaves it out', () => {
    expect(specOf(setting('Live'))).not.toHaveProperty('interactionType');
  });
});
