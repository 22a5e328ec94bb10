// Fidelity: the official Genesys Cloud JavaScript SDK's AIStudioApi (purecloud-platform-client-v2),
// pointed at the emulator through its gateway setting, creates, lists, versions, publishes, reads,
// runs and deletes guides and summary settings, and meets the refusals of DESIGN §3b.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/aistudio/paths.js';
import { LATEST_NOT_PRODUCTION_READY, LATEST_NOT_PRODUCTION_READY_CODE } from '../../src/targets/aistudio/wire.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';

const require = createRequire(import.meta.url);

interface Sdk {
  ApiClient: {
    instance: {
      setGateway(g: { host: string; protocol: string; port: number }): void;
      loginClientCredentialsGrant(id: string, secret: string): Promise<unknown>;
    };
  };
  AIStudioApi: new () => Record<string, (...args: any[]) => Promise<any>>;
}

let em: RunningEmulator;
let ai: Record<string, (...args: any[]) => Promise<any>>;
/** Jobs run this long on the emulator's clock: only `settle` ends them, never the test's pace. */
const JOB_MS = 600_000;
/** How far the emulator's clock runs ahead of the real one (moved by hand). */
let skew = 0;

beforeAll(async () => {
  em = await startEmulator({ port: 0, publishDelayMs: JOB_MS, now: () => Date.now() + skew });
  const sdk = require('purecloud-platform-client-v2') as Sdk;
  sdk.ApiClient.instance.setGateway({ host: '127.0.0.1', protocol: 'http', port: em.port });
  await sdk.ApiClient.instance.loginClientCredentialsGrant('local-client', 'local-secret');
  ai = new sdk.AIStudioApi();
});
afterAll(async () => {
  await em?.close();
});

/** Lets a job's time pass on the emulator's clock, then reads it through `get` (a real request). */
async function settle(get: () => Promise<any>): Promise<any> {
  skew += JOB_MS;
  return get();
}

const instruction = 'Greet the caller.\n- Ask for the order number and store it in {{Variable.orderId}}.';
const variables = [
  { name: 'orderId', type: 'String', scope: 'Output', description: 'The order number' },
  { name: 'customerName', type: 'String', scope: 'Input' },
];
const dataActions = [{ id: 'lookup-order', label: 'Look up order', description: 'Finds an order' }];

describe('official SDK AIStudioApi against the emulator: guides', () => {
  let guideId = '';

  it('creates guides (postGuides), refuses duplicates and bad bodies, lists and pages them (getGuides)', async () => {
    const g = await ai.postGuides!({ name: 'SDK Returns', source: 'Manual' });
    guideId = g.id;
    expect(g).toMatchObject({
      name: 'SDK Returns',
      source: 'Manual',
      status: 'Draft',
      latestSavedVersion: { version: '1.0', selfUri: paths.guideVersion(g.id, '1.0') },
      selfUri: paths.guide(g.id),
    });
    expect(g.latestProductionReadyVersion).toBeUndefined();

    await expect(ai.postGuides!({ name: 'sdk returns', source: 'Manual' })).rejects.toMatchObject({ status: 409, code: 'conflict' });
    await expect(ai.postGuides!({ name: 'Other', source: 'Handwritten' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid.value',
      details: [{ fieldName: 'source' }],
    });
    await expect(ai.postGuides!({ name: 'Other', source: 'Manual', colour: 'red' })).rejects.toMatchObject({ status: 400, code: 'invalid.value' });

    await ai.postGuides!({ name: 'SDK Billing', source: 'Prompt' });
    await ai.postGuides!({ name: 'SDK Appointments', source: 'Document' });

    const byName = await ai.getGuides!({ name: 'sdk returns' });
    expect(byName).toMatchObject({ total: 1, entities: [{ id: guideId }] });
    const page = await ai.getGuides!({ nameContains: 'sdk', sortBy: 'name', sortOrder: 'asc', pageSize: 2, pageNumber: 1 });
    expect(page).toMatchObject({ total: 3, pageCount: 2, pageSize: 2, pageNumber: 1 });
    expect(page.entities.map((e: any) => e.name)).toEqual(['SDK Appointments', 'SDK Billing']);
    expect(page.nextUri).toContain('pageNumber=2');
    const drafts = await ai.getGuides!({ status: 'Published' });
    expect(drafts.total).toBe(0);
    await expect(ai.getGuides!({ sortBy: 'colour' })).rejects.toMatchObject({ status: 400, code: 'invalid.value' });
  });

  it('reads and renames a guide (getGuide, patchGuide)', async () => {
    expect(await ai.getGuide!(guideId)).toMatchObject({ id: guideId, name: 'SDK Returns' });
    const renamed = await ai.patchGuide!(guideId, { name: 'SDK Returns Assistant' });
    expect(renamed.name).toBe('SDK Returns Assistant');
    await expect(ai.patchGuide!(guideId, { name: 'SDK BILLING' })).rejects.toMatchObject({ status: 409, code: 'conflict' });
    await expect(ai.getGuide!('no-such-guide')).rejects.toMatchObject({ status: 404, code: 'not.found' });
  });

  it('edits the first Draft, publishes it (TestReady, then ProductionReady), and only then takes a new version', async () => {
    // A new guide comes with an empty Draft 1.0: a second version is refused until 1.0 is ProductionReady.
    await expect(ai.postGuideVersions!(guideId, { body: { instruction, variables } })).rejects.toMatchObject({
      status: 409,
      code: LATEST_NOT_PRODUCTION_READY_CODE,
      message: LATEST_NOT_PRODUCTION_READY,
    });
    expect(await ai.getGuideVersion!(guideId, '1.0')).toMatchObject({ version: '1.0', state: 'Draft', instruction: '', guide: { id: guideId } });

    const edited = await ai.patchGuideVersion!(guideId, '1.0', { instruction, variables, resources: { dataActions } });
    expect(edited).toMatchObject({ version: '1.0', state: 'Draft', instruction, variables, resources: { dataActions } });
    await expect(
      ai.patchGuideVersion!(guideId, '1.0', { variables: [{ name: 'x', type: 'Text', scope: 'Input' }] }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid.value', details: [{ fieldName: 'variables[0].type' }] });

    const testJob = await ai.postGuideVersionJobs!(guideId, '1.0', { guideVersion: { state: 'TestReady' } });
    expect(testJob).toMatchObject({ status: 'InProgress', guide: { id: guideId }, guideVersion: { version: '1.0' } });
    expect(await settle(() => ai.getGuideVersionJob!(guideId, '1.0', testJob.id))).toMatchObject({ status: 'Succeeded' });
    expect((await ai.getGuideVersion!(guideId, '1.0')).state).toBe('TestReady');

    // Editing a TestReady version sends it back to Draft.
    const again = await ai.patchGuideVersion!(guideId, '1.0', { knowledgeSettings: { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', knowledgeType: 'Standard' } });
    expect(again).toMatchObject({ state: 'Draft', instruction, knowledgeSettings: { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90' } });

    const prodJob = await ai.postGuideVersionJobs!(guideId, '1.0', { guideVersion: { state: 'ProductionReady' } });
    expect(await settle(() => ai.getGuideVersionJob!(guideId, '1.0', prodJob.id))).toMatchObject({
      status: 'Succeeded',
      guideVersion: { state: 'ProductionReady' },
    });
    expect(await ai.getGuide!(guideId)).toMatchObject({
      status: 'Published',
      latestSavedVersion: { version: '1.0' },
      latestProductionReadyVersion: { version: '1.0' },
    });
    expect((await ai.getGuides!({ status: 'Published' })).entities.map((e: any) => e.id)).toEqual([guideId]);

    // ProductionReady is immutable and cannot go back to TestReady.
    await expect(ai.patchGuideVersion!(guideId, '1.0', { instruction: 'changed' })).rejects.toMatchObject({ status: 409, code: 'version.immutable' });
    await expect(ai.postGuideVersionJobs!(guideId, '1.0', { guideVersion: { state: 'TestReady' } })).rejects.toMatchObject({
      status: 409,
      code: 'invalid.state',
    });
    await expect(ai.postGuideVersionJobs!(guideId, '1.0', { guideVersion: { state: 'Published' } })).rejects.toMatchObject({ status: 400 });

    const v2 = await ai.postGuideVersions!(guideId, { body: { instruction: `${instruction}\n- Thank them.`, variables } });
    expect(v2).toMatchObject({ version: '2.0', state: 'Draft', guide: { id: guideId }, selfUri: paths.guideVersion(guideId, '2.0') });
    expect(await ai.getGuide!(guideId)).toMatchObject({
      status: 'Published',
      latestSavedVersion: { version: '2.0' },
      latestProductionReadyVersion: { version: '1.0' },
    });
    await expect(ai.postGuideVersions!(guideId, { body: { instruction: 'a third' } })).rejects.toMatchObject({ status: 409, message: LATEST_NOT_PRODUCTION_READY });
    await expect(ai.getGuideVersion!(guideId, '3.0')).rejects.toMatchObject({ status: 404 });
  });

  it('runs a test turn (postGuideSessionTurns) deterministically', async () => {
    const turn = {
      inputEvent: { type: 'UserInput', text: 'Where is my order?', mode: 'Text' },
      languageCode: 'en-US',
      version: '1.0',
      inputVariables: [{ name: 'customerName', value: 'Ada' }],
    };
    const first = await ai.postGuideSessionTurns!(guideId, 'session-1', turn);
    expect(first).toMatchObject({ status: 'COMPLETED', outputVariables: [{ name: 'orderId', value: 'sample' }] });
    expect(first.response.text).toEqual(expect.any(String));
    expect(first.response.text.length).toBeGreaterThan(0);
    const second = await ai.postGuideSessionTurns!(guideId, 'session-1', turn);
    expect(second.response.text).toBe(first.response.text);
    await expect(ai.postGuideSessionTurns!(guideId, 'session-1', { ...turn, version: '9.0' })).rejects.toMatchObject({
      status: 400,
      details: [{ fieldName: 'version' }],
    });
    await expect(ai.postGuideSessionTurns!(guideId, 'session-1', { ...turn, languageCode: undefined })).rejects.toMatchObject({ status: 400 });
  });

  it('deletes a guide asynchronously (deleteGuideJobs, getGuideJob)', async () => {
    const job = await ai.deleteGuideJobs!(guideId);
    expect(job).toMatchObject({ status: 'InProgress', guide: { id: guideId } });
    // While it runs, asking again answers the same job.
    expect((await ai.deleteGuideJobs!(guideId)).id).toBe(job.id);
    expect(await settle(() => ai.getGuideJob!(guideId, job.id))).toMatchObject({ status: 'Succeeded' });
    await expect(ai.getGuide!(guideId)).rejects.toMatchObject({ status: 404 });
    await expect(ai.getGuideVersion!(guideId, '1.0')).rejects.toMatchObject({ status: 404 });
    // The job stays readable after the guide is gone.
    expect((await ai.getGuideJob!(guideId, job.id)).status).toBe('Succeeded');
    await expect(ai.deleteGuideJobs!(guideId)).rejects.toMatchObject({ status: 404 });
  });

  it('treats any id as data: __proto__ and constructor are unknown', async () => {
    const g = await ai.postGuides!({ name: 'constructor', source: 'Manual' });
    for (const id of ['__proto__', 'constructor', 'toString']) {
      await expect(ai.getGuide!(id)).rejects.toMatchObject({ status: 404 });
      await expect(ai.getGuideVersion!(g.id, id)).rejects.toMatchObject({ status: 404 });
      await expect(ai.getGuideJob!(g.id, id)).rejects.toMatchObject({ status: 404 });
      await expect(ai.getConversationsSummariesSetting!(id)).rejects.toMatchObject({ status: 404 });
    }
    expect((await ai.getGuides!({ name: 'constructor' })).total).toBe(1);
  });
});

describe('official SDK AIStudioApi against the emulator: summary settings', () => {
  it('creates, lists, reads, replaces and deletes summary settings', async () => {
    const created = await ai.postConversationsSummariesSettings!({
      name: 'Voice wrap-up',
      language: 'en-US',
      summaryType: 'Concise',
      format: 'BulletPoints',
      maskPII: { all: true },
      participantLabels: { internal: 'Agent', external: 'Customer' },
      predefinedInsights: ['ReasonForCall', 'Resolution'],
      customEntities: [{ label: 'Order', description: 'The order number' }],
      prompt: 'Summarise the call in three bullets.',
    });
    expect(created).toMatchObject({
      name: 'Voice wrap-up',
      settingType: 'Prompt',
      interactionType: 'Live',
      maskPII: { all: true },
      selfUri: paths.summarySetting(created.id),
    });
    expect(created.dateModified).toBe(created.dateCreated);
    expect(created.version).toBeUndefined();

    await expect(ai.postConversationsSummariesSettings!({ name: 'VOICE WRAP-UP', language: 'en-US' })).rejects.toMatchObject({
      status: 400,
      code: 'summary.setting.name.not.unique',
    });
    await expect(ai.postConversationsSummariesSettings!({ name: 'x', language: 'en-US', serviceType: 'External' })).rejects.toMatchObject({
      status: 400,
      details: [{ fieldName: 'integrationId' }],
    });
    await expect(ai.postConversationsSummariesSettings!({ name: 'x', language: 'en-US', format: 'Poem' })).rejects.toMatchObject({
      status: 400,
      details: [{ fieldName: 'format' }],
    });
    await expect(ai.postConversationsSummariesSettings!({ name: 'x' })).rejects.toMatchObject({ status: 400, details: [{ fieldName: 'language' }] });
    const email = await ai.postConversationsSummariesSettings!({ name: 'Email digest', language: 'de-DE', interactionType: 'Email' });
    // interactionType is readOnly in the swagger: ignored on write, a new setting is Live.
    expect(email).toMatchObject({ settingType: 'Basic', interactionType: 'Live' });

    const listed = await ai.getConversationsSummariesSettings!({ name: 'wrap', pageSize: 25, pageNumber: 1 });
    expect(listed).toMatchObject({ total: 1, entities: [{ id: created.id }] });
    const german = await ai.getConversationsSummariesSettings!({ language: 'DE-de' });
    expect(german.entities.map((s: any) => s.id)).toEqual([email.id]);
    expect((await ai.getConversationsSummariesSettings!({ sortBy: 'name', sortOrder: 'asc' })).entities.map((s: any) => s.name)).toEqual([
      'Email digest',
      'Voice wrap-up',
    ]);
    expect(await ai.getConversationsSummariesSetting!(created.id)).toEqual(created);

    // PUT replaces the whole setting: what it leaves out is gone; dateModified moves.
    const replaced = await ai.putConversationsSummariesSetting!(created.id, { ...created, language: 'fr-FR', prompt: undefined, settingType: undefined, maskPII: undefined });
    expect(replaced).toMatchObject({ id: created.id, name: 'Voice wrap-up', language: 'fr-FR', settingType: 'Basic', dateCreated: created.dateCreated });
    expect(replaced.prompt).toBeUndefined();
    expect(replaced.maskPII).toBeUndefined();
    expect(Date.parse(replaced.dateModified)).toBeGreaterThan(Date.parse(created.dateModified));
    await expect(ai.putConversationsSummariesSetting!(created.id, { name: 'Email digest', language: 'en-US' })).rejects.toMatchObject({
      status: 400,
      code: 'summary.setting.name.not.unique',
    });

    await ai.deleteConversationsSummariesSetting!(created.id);
    await expect(ai.getConversationsSummariesSetting!(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(ai.deleteConversationsSummariesSetting!(created.id)).rejects.toMatchObject({ status: 404 });
  });
});
