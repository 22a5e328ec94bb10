// What `promptctl test` reads of the target to key its results cache: only what the keys use, and
// a part it cannot read turns caching off for that part's tests alone.
import { describe, expect, it } from 'vitest';
import { readLiveFacts } from '../../src/cli/test-live-facts.js';
import { CliContext } from '../../src/cli/context.js';
import { planTests } from '../../src/evals/render.js';
import { ApiError } from '../../src/genesys/errors.js';
import type { PlannedTest } from '../../src/evals/render.js';

function ctx(): { ctx: CliContext; err: () => string } {
  let err = '';
  const c = new CliContext({ stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) }, stdin: process.stdin, env: {}, cwd: '/' });
  return { ctx: c, err: () => err };
}

const templateTest = { kind: 'template', test: { target: { template: 'faq-bot' } } } as unknown as PlannedTest;
const guideTest = { kind: 'guide', test: { target: { guide: 'Returns' } } } as unknown as PlannedTest;
const forbidden = () => Promise.reject(new ApiError('GET /api/v2/guides answered 403: missing permission', 403, 'missing.permission', undefined));

describe('readLiveFacts', () => {
  it('reads the gateway alone for template tests: an AI Studio the client may not read costs them nothing', async () => {
    const asked: string[] = [];
    const target = {
      api: {
        listTemplates: async () => (asked.push('templates'), [{ id: 't1', name: 'faq-bot', versions: [], version: 1 }]),
        listFilters: async () => (asked.push('filters'), []),
      },
      aistudio: { listGuides: () => (asked.push('guides'), forbidden()), listSummarySettings: () => (asked.push('summaries'), forbidden()) },
    };
    const { ctx: c, err } = ctx();
    const facts = await readLiveFacts(c, target as never, [templateTest]);
    expect(asked.sort()).toEqual(['filters', 'templates']);
    expect([...facts.templates!.keys()]).toEqual(['faq-bot']);
    expect(facts.filters?.get('faq-bot')).toMatch(/^[0-9a-f]{64}$/);
    expect(facts.guides).toBeUndefined();
    expect(err()).toBe('');
  });

  it('a guide read refused (403) leaves the template tests cached and makes the guide tests’ calls uncached', async () => {
    const target = {
      api: { listTemplates: async () => [], listFilters: async () => [] },
      aistudio: { listGuides: forbidden },
    };
    const { ctx: c, err } = ctx();
    const facts = await readLiveFacts(c, target as never, [templateTest, guideTest]);
    expect(facts.templates).toBeDefined();
    expect(facts.guides).toBeUndefined();
    expect(err()).toMatch(/^warning: cannot read the target's guides \(GET \/api\/v2\/guides answered 403: missing permission\): their cases cannot run with this client, and each says why in the report$/m);
    // The keys: a template call is keyed (cached), a guide call is made uncached.
    const state = { templates: [], versions: [], splits: [], filters: [], guides: [], tests: [], config: { models: {} } } as never;
    const guide = { kind: 'PromptTest', name: 'g', target: { guide: 'Returns' }, cases: [{ vars: {}, messages: [], expect: [] }], repeat: 1, threshold: 1, responses: [] };
    const template = { ...guide, name: 't', target: { template: 'faq-bot', version: '1.0.0' } };
    const planned = planTests(state, [guide, template] as never, { targetLabel: 'x', live: facts });
    expect(planned.map((p) => p.calls.map((call) => call.uncached === true))).toEqual([[true], [false]]);
  });

  it('reads the named guides for guide tests where summary settings are refused: they have rights of their own', async () => {
    const asked: string[] = [];
    const target = {
      api: { listTemplates: async () => [], listFilters: async () => [] },
      aistudio: { listGuides: async () => (asked.push('guides'), []), listSummarySettings: () => (asked.push('summaries'), forbidden()) },
    };
    const { ctx: c, err } = ctx();
    const facts = await readLiveFacts(c, target as never, [guideTest]);
    expect(asked).toEqual(['guides']);
    expect(facts.guides).toBeDefined();
    expect(err()).toBe('');
  });

  it('stops the run when the target answers no listing in time: a call that times out is only its own error, so a target that answers nothing is caught here', async () => {
    const timedOut = () => Promise.reject(new ApiError('GET /api/v2/llmgateway/prompttemplates failed: timed out (socket); gave up after 4 attempts', 0, 'ETIMEDOUT', undefined, 'GET', '/api/v2/llmgateway/prompttemplates'));
    const target = { api: { listTemplates: timedOut, listFilters: timedOut }, aistudio: {} };
    const { ctx: c } = ctx();
    await expect(readLiveFacts(c, target as never, [templateTest])).rejects.toThrow('timed out');
  });

  it('takes a 404 on the guides listing (guides switched off) as no guides there, without a warning', async () => {
    const notFound = () => Promise.reject(new ApiError('GET /api/v2/guides answered 404', 404, 'not.found', undefined, 'GET', '/api/v2/guides'));
    const target = { api: { listTemplates: async () => [], listFilters: async () => [] }, aistudio: { listGuides: notFound } };
    const { ctx: c, err } = ctx();
    const facts = await readLiveFacts(c, target as never, [guideTest]);
    expect(facts.guides).toBeUndefined();
    expect(err()).toBe('');
  });
});
