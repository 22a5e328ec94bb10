// export makes file names from object names. Windows keeps CON, PRN, AUX, NUL, COM1-9 and LPT1-9
// for devices, whatever the extension and the case: git for Windows refuses to check out con.yaml
// ("invalid path"), so a repository holding one cannot be cloned there. Such a name gets -2.
import { describe, expect, it } from 'vitest';
import { exportDocuments } from '../../../src/export/documents.js';
import type { LiveState } from '../../../src/kinds/kind.js';
import type { WireGuide, WireGuideVersion, WireSummarySetting } from '../../../src/targets/aistudio/wire.js';

type WireTemplate = LiveState['templates'][number];
const stamp = { dateCreated: '2025-06-01T10:00:00.000Z', dateModified: '2025-06-01T10:00:00.000Z', createdBy: { id: 'u1' }, modifiedBy: { id: 'u1' }, selfUri: '' };
const template = (name: string): WireTemplate => ({ id: `t-${name}`, name, model: 'gpt-4o', labels: {}, version: 1, ...stamp, versions: [] }) as unknown as WireTemplate;
const setting = (name: string) => ({ id: `s-${name}`, name, language: 'en-US', settingType: 'Basic', ...stamp }) as unknown as WireSummarySetting;
const version: WireGuideVersion = { selfUri: '', guide: { id: 'g1' }, version: '1.0', instruction: 'Be kind.', state: 'ProductionReady', dateCreated: stamp.dateCreated, dateModified: stamp.dateModified };
const guide = (name: string) => ({ id: 'g1', name, status: 'Published', source: 'Manual', ...stamp, latest: version }) as unknown as WireGuide;

describe('export file names Windows keeps for devices', () => {
  it('are numbered, as a taken name is', () => {
    const r = exportDocuments({ templates: ['aux', 'con', 'com1', 'lpt9', 'nul', 'prn', 'console'].map(template), filters: [], guides: [guide('Con')], summarySettings: [setting('NUL')] });
    expect(r.files.map((f) => f.path)).toEqual([
      'aux-2.yaml',
      'com1-2.yaml',
      'con-2.yaml',
      'console.yaml',
      'lpt9-2.yaml',
      'nul-2.yaml',
      'prn-2.yaml',
      'guides/con-2.yaml',
      'summaries/nul-2.yaml',
    ]);
    expect(r.texts.map((t) => t.path)).toEqual(['guides/con-2.md']);
  });
});
