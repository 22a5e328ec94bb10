// Export of a summary setting leaves out its interactionType: it is read-only (A11), each org sets
// its own, and git naming one makes every other environment's plan of the exported document a
// problem (a setting promptctl creates is Live), while left out the org keeps its own.
import { describe, expect, it } from 'vitest';
import { exportDocuments } from '../../../src/export/documents.js';
import type { WireSummarySetting } from '../../../src/targets/aistudio/wire.js';

describe('export of a summary setting made in Genesys Cloud as Email', () => {
  it('does not write its read-only interactionType into git', () => {
    const s = {
      id: 's1',
      name: 'Email digest',
      language: 'en-US',
      interactionType: 'Email',
      settingType: 'Prompt',
      prompt: 'Summarise the thread.\n',
      dateCreated: '2025-06-01T10:00:00.000Z',
      dateModified: '2025-06-01T10:00:00.000Z',
    } as WireSummarySetting;
    const out = exportDocuments({ templates: [], filters: [], guides: [], summarySettings: [s] });
    const spec = out.files.flatMap((f) => f.documents).find((d) => d.kind === 'SummarySetting')!.spec as Record<string, unknown>;
    expect(spec.prompt).toBe('Summarise the thread.\n');
    expect(spec).not.toHaveProperty('interactionType');
  });
});
