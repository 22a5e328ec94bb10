// Export of a guide whose latest version is not ProductionReady warns that it is exported with that
// publish state, and says how production compares: it must not claim production differs when the
// production version holds the same content (a Draft saved without changes, say).
import { describe, expect, it } from 'vitest';
import { exportDocuments } from '../../../src/export/documents.js';
import type { LiveGuide } from '../../../src/targets/live.js';
import type { WireGuideVersion } from '../../../src/targets/aistudio/wire.js';

const version = (label: string, state: WireGuideVersion['state'], instruction: string): WireGuideVersion => ({
  selfUri: '',
  guide: { id: 'g1' },
  version: label,
  instruction,
  state,
  dateCreated: '2025-06-01T10:00:00.000Z',
  dateModified: '2025-06-01T10:00:00.000Z',
});

function guide(latest: WireGuideVersion, production: WireGuideVersion): LiveGuide {
  return {
    id: 'g1',
    name: 'Returns',
    status: 'Published',
    source: 'Manual',
    dateCreated: '2025-06-01T10:00:00.000Z',
    dateModified: '2025-06-01T10:00:00.000Z',
    latestSavedVersion: { version: latest.version },
    latestProductionReadyVersion: { version: production.version },
    selfUri: '',
    latest,
    production,
  };
}

describe('export of a guide whose latest version is a Draft', () => {
  it('says production differs only when it does', () => {
    const same = exportDocuments({ templates: [], filters: [], guides: [guide(version('2.0', 'Draft', 'Be nice.\n'), version('1.0', 'ProductionReady', 'Be nice.\n'))] });
    const warning = same.warnings.find((w) => w.startsWith('Guide/Returns'))!;
    expect(warning).toContain('publish: Draft');
    expect(warning).not.toContain('differs');
    expect(warning).toContain('production version 1.0 holds the same content');

    const other = exportDocuments({ templates: [], filters: [], guides: [guide(version('2.0', 'Draft', 'Be kind.\n'), version('1.0', 'ProductionReady', 'Be nice.\n'))] });
    expect(other.warnings.find((w) => w.startsWith('Guide/Returns'))).toContain('(production version 1.0 differs)');
  });
});
