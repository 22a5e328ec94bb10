// The emulator refuses a guide knowledgeId that is not a UUID, as the real Platform does (the Guide
// schema's knowledge.knowledgeId pattern): over real HTTP, in every body that carries
// knowledgeSettings (version create, version patch, session turn), with 400 invalid.value naming
// the field, and nothing stored. Before, any string passed, so a client sending a non-UUID passed
// every test against the emulator (assumptions.ts E12).
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/aistudio/paths.js';
import { emulatorForFile } from './emulator-fixture.js';

const api = emulatorForFile({ aiStudio: { newGuideDraft: false } });

const KB = '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90';
/** Not UUIDs: a readable id, a UUID without its dashes, one hex digit short, one non-hex digit, an empty string. */
const NOT_UUIDS = ['kb-1', '3f2a6a5e8c1d4a839d5c2b7e4f0c1a90', '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a9', '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a9g', ''];

function refusal(status: number, body: any): void {
  expect(status, JSON.stringify(body)).toBe(400);
  expect(body).toMatchObject({ status: 400, code: 'invalid.value', details: [{ errorCode: 'invalid.value', fieldName: 'knowledgeSettings.knowledgeId' }] });
  expect(body.message).toMatch(/knowledgeSettings\.knowledgeId must be a UUID/);
}

async function newGuide(name: string): Promise<string> {
  const g = await api.post(paths.guides(), { name, source: 'Manual' });
  expect(g.status, JSON.stringify(g.body)).toBe(200);
  return g.body.id as string;
}

describe('a knowledgeId that is not a UUID is refused', () => {
  it('by POST .../versions (GuideVersionCreate): 400 invalid.value, and no version is created', async () => {
    const id = await newGuide('Knowledge create');
    for (const bad of NOT_UUIDS) {
      const r = await api.post(paths.guideVersions(id), { instruction: 'Help.', knowledgeSettings: { knowledgeId: bad, knowledgeType: 'Standard' } });
      refusal(r.status, r.body);
    }
    expect((await api.get(paths.guide(id))).body.latestSavedVersion).toBeUndefined();
    const ok = await api.post(paths.guideVersions(id), { instruction: 'Help.', knowledgeSettings: { knowledgeId: KB.toUpperCase(), knowledgeType: 'Standard' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.knowledgeSettings).toMatchObject({ knowledgeId: KB.toUpperCase() });
  });

  it('by PATCH .../versions/{v} (GuideVersionPatch): 400 invalid.value, and the version keeps its knowledge', async () => {
    const id = await newGuide('Knowledge patch');
    const v = await api.post(paths.guideVersions(id), { instruction: 'Help.', knowledgeSettings: { knowledgeId: KB } });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    for (const bad of NOT_UUIDS) {
      const r = await api.patch(paths.guideVersion(id, v.body.version), { knowledgeSettings: { knowledgeId: bad } });
      refusal(r.status, r.body);
    }
    expect((await api.get(paths.guideVersion(id, v.body.version))).body.knowledgeSettings).toEqual({ knowledgeId: KB });
  });

  it('by POST .../sessions/{s}/turns (GuideSessionTurnRequest): 400 invalid.value; a UUID is answered', async () => {
    const id = await newGuide('Knowledge session');
    const v = await api.post(paths.guideVersions(id), { instruction: 'Help.' });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    const turn = (knowledgeId: string) => ({
      inputEvent: { type: 'UserInput', text: 'Hello', mode: 'Text' },
      languageCode: 'en-US',
      version: v.body.version,
      knowledgeSettings: { knowledgeId },
    });
    const session = '0b6e2f0a-4c51-4a3e-9f4e-7d1c2a3b4c5d';
    for (const bad of NOT_UUIDS) {
      const r = await api.post(paths.sessionTurns(id, session), turn(bad));
      refusal(r.status, r.body);
    }
    const ok = await api.post(paths.sessionTurns(id, session), turn(KB));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });
});
