// Export of a template with a Draft version (someone's work in progress): git holds published
// versions only, so the Draft is skipped. On a template promptctl manages, the plan of the export
// then shows deleting it (pending while prune is off), and the warning says so; on one made by
// hand, plan leaves it alone, and the warning says no more than that it was skipped.
import { describe, expect, it } from 'vitest';
import { exportDocuments } from '../../../src/export/documents.js';
import type { LiveState } from '../../../src/kinds/kind.js';

type WireTemplate = LiveState['templates'][number];
type WireVersion = NonNullable<WireTemplate['versions']>[number];

const stamp = { dateCreated: '2025-06-01T10:00:00.000Z', dateModified: '2025-06-01T10:00:00.000Z', createdBy: { id: 'u1' }, modifiedBy: { id: 'u1' }, selfUri: '' };

const version = (label: string, state: WireVersion['state']): WireVersion =>
  ({ id: `v-${label}`, name: label, templateId: 't1', version: label, state, systemInstruction: 'Be kind.', userTemplate: 'Hi', variables: [], fewShotExamples: [], contentHash: '', ...stamp }) as unknown as WireVersion;

const template = (labels: Record<string, string>): WireTemplate =>
  ({ id: 't1', name: 'billing', model: 'gpt-4o', labels, version: 1, ...stamp, versions: [version('1.0.0', 'Published'), version('1.1.0', 'Draft')] }) as unknown as WireTemplate;

describe('export of a template with a Draft version', () => {
  it('says a plan of the export deletes the Draft when promptctl manages the template', () => {
    const r = exportDocuments({ templates: [template({ 'managed-by': 'promptctl' })], filters: [] });
    expect(r.warnings).toEqual([
      'skipped PromptVersion/billing@1.1.0: it is a Draft version, not published; its template is labelled managed-by: promptctl, so a plan of the export shows deleting it (with prune, apply deletes it): publish it, or keep a copy, first',
    ]);
    expect(r.counts.versions).toBe(1);
  });

  it('says only that it was skipped when the template was made by hand (plan leaves the Draft alone)', () => {
    const r = exportDocuments({ templates: [template({ team: 'billing' })], filters: [] });
    expect(r.warnings).toEqual(['skipped PromptVersion/billing@1.1.0: it is a Draft version, not published']);
  });
});
