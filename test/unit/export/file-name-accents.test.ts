// export makes a guide's or summary setting's file name from its free-text name. Accented letters
// are letters: "Résumé" is written resume.yaml, not r-sum.yaml (each accented letter cut out, and
// with it the word), and a name of such letters alone does not fall back to a numbered guide.yaml.
import { describe, expect, it } from 'vitest';
import { exportDocuments } from '../../../src/export/documents.js';
import type { WireSummarySetting } from '../../../src/targets/aistudio/wire.js';

const setting = (id: string, name: string) =>
  ({ id, name, language: 'fr-FR', settingType: 'Basic', dateCreated: '2025-06-01T10:00:00.000Z', dateModified: '2025-06-01T10:00:00.000Z' }) as WireSummarySetting;

function paths(...names: string[]): string[] {
  const out = exportDocuments({ templates: [], filters: [], guides: [], summarySettings: names.map((n, i) => setting(`s${i}`, n)) });
  return out.files.map((f) => f.path);
}

describe('export file names of names with accented letters', () => {
  it('keeps the letter without its accent', () => {
    expect(paths('Résumé des appels', 'Über Anrufe', 'Ĳssel ﬁle')).toEqual(['summaries/resume-des-appels.yaml', 'summaries/uber-anrufe.yaml', 'summaries/ijssel-file.yaml']);
  });

  it('still tells apart names that differ only in an accent', () => {
    expect(paths('Resume', 'Résumé')).toEqual(['summaries/resume.yaml', 'summaries/resume-2.yaml']);
  });
});
