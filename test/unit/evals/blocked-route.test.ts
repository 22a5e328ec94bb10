// The version a blocked call through a split was routed to: the embedded emulator's refusal says it
// (promptctl's extension, BlockedRoute), so routedTo judges the call and the report places it; a
// server that does not say it (a real gateway), or says it in another shape, leaves the version
// unknown, as before. A blocked result an earlier build cached through a split, with no version,
// is a miss; one written since without a version is what the target said, and stays a hit.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockedRoute } from '../../../src/evals/calls.js';
import { fileResultCache, type ResultCache } from '../../../src/evals/cache.js';
import { CACHE_FORMAT, type PlannedCall, type PlannedTest } from '../../../src/evals/render.js';
import { runTests } from '../../../src/evals/runner.js';
import type { Observation } from '../../../src/evals/types.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';
import { tempDir, type TempDir } from '../../helpers/tmp.js';

const noCache: ResultCache = { get: async () => undefined, set: async () => undefined };
const KEY = 'e'.repeat(64);

function planned(requested?: string): PlannedTest {
  const c = { name: 'lured', vars: { q: 'x' }, messages: [], expect: [{ type: 'routedTo', value: '1.0.0', not: false }] } as unknown as TestCase;
  const test = { kind: 'PromptTest', name: 'routed', labels: {}, target: { template: 'bot' }, repeat: 1, threshold: 1, cases: [c], responses: [], source: { file: 't.yaml', line: 1, column: 1 }, locations: {} } as unknown as PromptTest;
  const request = { template: 'bot', ...(requested ? { version: requested } : {}), variables: { q: 'x' } };
  const call: PlannedCall = { caseIndex: 0, case: c, ...(requested ? { requested } : {}), repetition: 1, call: { kind: 'template', request }, key: KEY, inputs: ['x'] };
  return { test, kind: 'template', target: 'bot', threshold: 1, repeat: 1, calls: [call], notes: [] };
}

const blocked = (body: Record<string, unknown>) => ({
  invoke: async () => {
    throw Object.assign(new Error('blocked'), { status: 400, code: 'content.blocked', body: { message: 'The response was blocked', code: 'content.blocked', status: 400, messageParams: { filter: 'phish', stage: 'output' }, ...body } });
  },
});

const routedRun = async (body: Record<string, unknown>, requested?: string) =>
  (await runTests([planned(requested)], { gateway: blocked(body), cache: noCache, concurrency: 1, countTokens: () => 1 }, { target: 'test' })).tests[0]!.runs[0]!;

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

describe('the version a blocked call was routed to', () => {
  it('is read from the refusal where it says it, leniently', () => {
    expect(blockedRoute({ version: '1.1.0', template: { id: 't1', name: 'bot' } })).toEqual({ version: '1.1.0', template: { id: 't1', name: 'bot' } });
    expect(blockedRoute({ version: 3, template: { name: 'bot' } })).toEqual({});
    expect(blockedRoute({ version: '' })).toEqual({});
    expect(blockedRoute(undefined)).toEqual({});
  });

  it('judges routedTo through a split; a refusal that does not say it leaves it unknown, a pinned call keeps its own', async () => {
    const on = await routedRun({ version: '1.0.0', template: { id: 't1', name: 'bot' } });
    expect(on).toMatchObject({ version: '1.0.0', passed: true, observation: { outcome: 'blocked', version: '1.0.0' } });
    const other = await routedRun({ version: '1.1.0' });
    expect(other.assertions[0]).toMatchObject({ passed: false, detail: 'answered by 1.1.0' });
    const unsaid = await routedRun({});
    expect(unsaid.version).toBeUndefined();
    expect(unsaid.assertions[0]).toMatchObject({ passed: false, detail: 'the version that would have answered is unknown (blocked by phish)' });
    expect((await routedRun({ version: '9.9.9' }, '1.0.0')).version).toBe('1.0.0');
  });

  it('a blocked entry an earlier build cached with no version is a miss; one cached since is a hit, a version or none', async () => {
    const cache = fileResultCache(dir.path);
    const obs: Observation = { outcome: 'blocked', output: '', wallMs: 1, filters: [], usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 }, costUsd: 0.000001, blocked: { filter: 'phish', message: 'blocked' }, error: { status: 400, code: 'content.blocked', message: 'blocked' } };
    await writeFile(join(dir.path, `${KEY}.json`), JSON.stringify({ format: CACHE_FORMAT, key: KEY, savedAt: '2026-01-01T00:00:00Z', observation: obs, blockedSpend: true }));
    expect(await cache.get(KEY)).toBeUndefined();
    await writeFile(join(dir.path, `${KEY}.json`), JSON.stringify({ format: CACHE_FORMAT, key: KEY, savedAt: '2026-01-01T00:00:00Z', observation: { ...obs, version: '1.1.0' }, blockedSpend: true }));
    expect(await cache.get(KEY)).toEqual({ ...obs, version: '1.1.0' });
    await cache.set(KEY, obs);
    expect(await cache.get(KEY)).toEqual(obs);
  });
});
