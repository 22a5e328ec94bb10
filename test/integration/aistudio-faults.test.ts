// The AI Studio client under the injected faults it retries (502, 503 + Retry-After, connection
// dropped before the work, connection dropped after the work was stored; not a 500, which it
// does not retry): every guide, version and summary
// setting is created exactly once, publishes and deletes converge, and nothing is reported as a
// conflict that was the echo of the client's own earlier attempt.
import { afterEach, describe, expect, it } from 'vitest';
import type { RetryInfo } from '../../src/targets/aistudio/client.js';
import { content, recordingProxy, setup, type Env } from './aistudio-support.js';
import { RETRIED_FAULTS } from '../helpers/emulator.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const N = 10;
const names = Array.from({ length: N }, (_, i) => `Faulty guide ${String(i).padStart(2, '0')}`);

describe('AI Studio client under faultRate 0.3', () => {
  it('creates guides, versions and settings exactly once, and publishes, edits and deletes them', { timeout: 180_000 }, async () => {
    // Guides start without a version here, so that creating "1.0" is itself a POST that can be lost.
    env = await setup({ faultRate: 0.3, faultKinds: RETRIED_FAULTS, seed: 20250301, publishDelayMs: 10, rateLimit: 100_000, aiStudio: { newGuideDraft: false } });
    const retries: RetryInfo[] = [];
    const wire = await recordingProxy(() => env!.emulator.url);
    try {
      const c = env.client({ apiUrl: wire.url, loginUrl: wire.url, onRetry: (i) => retries.push(i) });

      const guides = await Promise.all(names.map((name) => c.createGuide({ name, source: 'Manual' })));
      await Promise.all(
        guides.map(async (g, i) => {
          const v1 = await c.createGuideVersion(g.id, content(i));
          expect(v1.version).toBe('1.0');
          await c.publishGuideVersion(g.id, '1.0', 'ProductionReady');
          const v2 = await c.createGuideVersion(g.id, content(i + 100));
          expect(v2.version).toBe('2.0');
          await c.publishGuideVersion(g.id, '2.0', 'TestReady');
          await c.patchGuideVersion(g.id, '2.0', { instruction: `${content(i + 100).instruction} Then thank them.` });
          await c.publishGuideVersion(g.id, '2.0', 'ProductionReady');
          await c.patchGuide(g.id, { name: `${g.name} (live)` });
          // A turn of unknown outcome is not resent into its session (A10): a new session is taken, as the runner does.
          let turn;
          for (let k = 0; !turn; k++) {
            expect(k, 'sessions taken').toBeLessThan(8);
            turn = await c
              .sessionTurn(g.id, `s-${i}-${k}`, { inputEvent: { type: 'UserInput', text: 'hello', mode: 'Text' }, languageCode: 'en-US', version: '2.0' })
              .catch((err: unknown) => {
                expect((err as { outcomeUnknown?: boolean }).outcomeUnknown, String(err)).toBe(true);
                return undefined;
              });
          }
          expect(turn.status).toBe('COMPLETED');
        }),
      );
      const settings = await Promise.all(
        names.map((name, i) => c.createSummarySetting({ name: `${name} summary`, language: 'en-US', prompt: `Summarise ${i}.` })),
      );
      await Promise.all(
        settings.map((s) => c.putSummarySetting(s.id, { name: s.name, language: 'en-US', summaryType: 'Concise' }, { ifDateModified: s.dateModified })),
      );
      const doomed = guides.slice(0, 4);
      await Promise.all(doomed.map((g) => c.deleteGuide(g.id)));
      await Promise.all(settings.slice(0, 3).map((s) => c.deleteSummarySetting(s.id)));

      // Every kind of fault happened, and writes were retried through lost answers.
      const faults = env.emulator.stats().faults;
      for (const kind of RETRIED_FAULTS) expect(faults[kind], kind).toBeGreaterThan(0);
      expect(retries.some((r) => r.method === 'POST')).toBe(true);
      const dropped = wire.log.filter((e) => e.status === 'dropped' && e.method === 'POST');
      expect(dropped.length).toBeGreaterThan(0);
      // No session was sent its turn twice.
      const turnPosts = wire.log.filter((e) => e.method === 'POST' && e.path.endsWith('/turns') && e.status !== 429 && e.status !== 401);
      const perSession = new Map<string, number>();
      for (const e of turnPosts) perSession.set(e.path, (perSession.get(e.path) ?? 0) + 1);
      expect([...perSession.values()].filter((n) => n > 1)).toEqual([]);

      // Read back without faults: exactly one of everything, with the content sent.
      await env.restart({ rateLimit: 100_000 });
      const clean = env.client();
      const live = await clean.listGuides();
      expect(live.map((g) => g.name).sort()).toEqual(names.slice(4).map((n) => `${n} (live)`).sort());
      for (const g of live) {
        // latestSavedVersion is the newest version: 2.0 means no create was sent twice into a guide.
        expect(g).toMatchObject({ status: 'Published', latestSavedVersion: { version: '2.0' }, latestProductionReadyVersion: { version: '2.0' } });
        const i = names.indexOf(g.name.replace(' (live)', ''));
        expect((await clean.getGuideVersion(g.id, '1.0')).instruction).toBe(content(i).instruction);
        expect((await clean.getGuideVersion(g.id, '2.0')).instruction).toBe(`${content(i + 100).instruction} Then thank them.`);
        expect((await clean.getGuideVersion(g.id, '2.0')).state).toBe('ProductionReady');
      }
      for (const g of doomed) expect(live.find((x) => x.id === g.id)).toBeUndefined();
      const liveSettings = await clean.listSummarySettings();
      expect(liveSettings.map((s) => s.name).sort()).toEqual(names.slice(3).map((n) => `${n} summary`).sort());
      for (const s of liveSettings) expect(s).toMatchObject({ summaryType: 'Concise', settingType: 'Basic' });
    } finally {
      await wire.close();
    }
  });
  it('publishes through job-less 202s and edits the first Draft, exactly once', { timeout: 120_000 }, async () => {
    env = await setup({ faultRate: 0.3, faultKinds: RETRIED_FAULTS, seed: 7, publishDelayMs: 10, rateLimit: 100_000, aiStudio: { emptyPublishBody: true } });
    const c = env.client();
    const some = names.slice(0, 5);
    const guides = await Promise.all(some.map((name) => c.createGuide({ name, source: 'Manual' })));
    await Promise.all(
      guides.map(async (g, i) => {
        await c.patchGuideVersion(g.id, '1.0', content(i));
        expect((await c.publishGuideVersion(g.id, '1.0', 'ProductionReady')).state).toBe('ProductionReady');
        await c.createGuideVersion(g.id, content(i + 100));
        expect((await c.publishGuideVersion(g.id, '2.0', 'TestReady')).state).toBe('TestReady');
      }),
    );
    await env.restart({ rateLimit: 100_000 });
    const live = await env.client().listGuides();
    expect(live.map((g) => g.name)).toEqual(some);
    for (const g of live) {
      expect(g).toMatchObject({ latestSavedVersion: { version: '2.0' }, latestProductionReadyVersion: { version: '1.0' } });
    }
  });
});
