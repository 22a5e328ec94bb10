// Export of a guide whose latest version is not ProductionReady: with a production version, that
// version's content is exported (DESIGN §2: git holds production's content) and the newer one is
// named as left out, saying how it compares; with none, the latest with its publish state.
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
  it("exports production's content, naming the newer version it leaves out and how it compares", () => {
    const same = exportDocuments({ templates: [], filters: [], guides: [guide(version('2.0', 'Draft', 'Be nice.\n'), version('1.0', 'ProductionReady', 'Be nice.\n'))] });
    const warning = same.warnings.find((w) => w.startsWith('Guide/Returns'))!;
    expect(warning).toContain('exported production version 1.0; its newer Draft version 2.0 (the same content) is not exported');

    const other = exportDocuments({ templates: [], filters: [], guides: [guide(version('2.0', 'Draft', 'Be kind.\n'), version('1.0', 'ProductionReady', 'Be nice.\n'))] });
    expect(other.warnings.find((w) => w.startsWith('Guide/Returns'))).toContain('its newer Draft version 2.0 (other content) is not exported');
    expect(other.texts).toEqual([expect.objectContaining({ text: 'Be nice.\n' })]);
    expect(JSON.stringify(other.files[0]!.documents[0])).not.toContain('publish');
  });

  it('says a plan of the export edits the newer version when production holds what YAML cannot', () => {
    const prod = { ...version('1.0', 'ProductionReady', 'Be nice.\n'), knowledgeSettings: { inheritFromExternal: true } } as WireGuideVersion;
    const r = exportDocuments({ templates: [], filters: [], guides: [guide(version('2.0', 'Draft', 'Be kind.\n'), prod)] });
    expect(r.warnings.find((w) => w.startsWith('Guide/Returns: exported'))).toContain('but production holds what YAML cannot (below), so a plan of the export edits that version in place');
  });

  it('exports the latest with its state when nothing is in production yet', () => {
    const draft = version('1.0', 'Draft', 'Be kind.\n');
    const only: LiveGuide = { ...guide(draft, draft), latestProductionReadyVersion: undefined, production: undefined } as unknown as LiveGuide;
    delete (only as { production?: unknown }).production;
    delete (only as { latestProductionReadyVersion?: unknown }).latestProductionReadyVersion;
    const r = exportDocuments({ templates: [], filters: [], guides: [only] });
    expect(r.warnings.find((w) => w.startsWith('Guide/Returns'))).toBe('Guide/Returns: its latest version 1.0 is Draft (nothing is in production yet); exported it with publish: Draft; set publish: ProductionReady to ship it');
    expect(r.texts).toEqual([expect.objectContaining({ text: 'Be kind.\n' })]);
  });

  it("leaves publish out, and says nothing, when the guide is in the state the environment's guidePublish gives (export --env staging)", () => {
    const testReady = version('1.0', 'TestReady', 'Be kind.\n');
    const only = { ...guide(testReady, testReady) } as Partial<LiveGuide>;
    delete only.production;
    delete only.latestProductionReadyVersion;
    const r = exportDocuments({ templates: [], filters: [], guides: [only as LiveGuide] }, undefined, 'TestReady');
    // Before, publish: TestReady was written (which, committed, holds the guide at TestReady in prod too), with 'set publish: ProductionReady to ship it'.
    expect(JSON.stringify(r.files[0]!.documents[0])).not.toContain('publish');
    expect(r.warnings).toEqual([]);
    // Another state than the environment's is still written, and said.
    const draft = version('1.0', 'Draft', 'Be kind.\n');
    const drafted = { ...guide(draft, draft) } as Partial<LiveGuide>;
    delete drafted.production;
    delete drafted.latestProductionReadyVersion;
    const d = exportDocuments({ templates: [], filters: [], guides: [drafted as LiveGuide] }, undefined, 'TestReady');
    expect((d.files[0]!.documents[0] as { spec: { publish?: string } }).spec.publish).toBe('Draft');
    expect(d.warnings).toHaveLength(1);
    // And a production guide exported from such an environment leaves publish out too: the plan
    // of it is unchanged without it, and written, `publish: ProductionReady` would send staging's
    // edits of it straight to production (it used to be written).
    const prod = exportDocuments({ templates: [], filters: [], guides: [guide(version('1.0', 'ProductionReady', 'Be nice.\n'), version('1.0', 'ProductionReady', 'Be nice.\n'))] }, undefined, 'TestReady');
    expect((prod.files[0]!.documents[0] as { spec: { publish?: string } }).spec.publish).toBeUndefined();
    // A TestReady guide where guidePublish is Draft plans unchanged without publish as well.
    const drafting = exportDocuments({ templates: [], filters: [], guides: [only as LiveGuide] }, undefined, 'Draft');
    expect((drafting.files[0]!.documents[0] as { spec: { publish?: string } }).spec.publish).toBeUndefined();
    expect(drafting.warnings).toEqual([]);
  });

  it("re-exported over git's document, keeps the version and the publish git's state selects", () => {
    const g = guide(version('2.0', 'TestReady', 'Be kind.\n'), version('1.0', 'ProductionReady', 'Be nice.\n'));
    const over = (publish: 'ProductionReady' | 'TestReady' | 'Draft' | undefined, guidePublish?: 'TestReady') =>
      exportDocuments({ templates: [], filters: [], guides: [g] }, { mask: (n) => n, secrets: [], heldPublish: new Map([['Guide/Returns', publish]]) }, guidePublish);
    const spec = (r: ReturnType<typeof over>) => (r.files[0]!.documents[0] as { spec: { publish?: string } }).spec.publish;
    // publish: TestReady (or Draft, which TestReady reaches): git's TestReady version, publish kept.
    for (const publish of ['TestReady', 'Draft'] as const) {
      const r = over(publish);
      expect(r.texts).toEqual([expect.objectContaining({ text: 'Be kind.\n' })]);
      expect(spec(r)).toBe(publish);
      expect(r.warnings).toEqual([`Guide/Returns: exported its latest version 2.0 (TestReady), the version its YAML's publish: ${publish} selects; production stays version 1.0 (other content), not exported`]);
    }
    // No publish where the environment's guidePublish is TestReady: the same version, still none.
    const staging = over(undefined, 'TestReady');
    expect(staging.texts).toEqual([expect.objectContaining({ text: 'Be kind.\n' })]);
    expect(spec(staging)).toBeUndefined();
    // publish: ProductionReady written out (the default): production's content, publish kept as git has it.
    const prod = over('ProductionReady');
    expect(prod.texts).toEqual([expect.objectContaining({ text: 'Be nice.\n' })]);
    expect(spec(prod)).toBe('ProductionReady');
    expect(prod.warnings[0]).toContain('its newer TestReady version 2.0 (other content) is not exported');
  });
});
