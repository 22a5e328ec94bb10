// A test's own `responses:` come first for its own calls: the results cache key holds the canned
// answers in the order the embedded emulator tries them for the test (its own, then the others'
// in file order), and the runner names the test on each gateway call (the analytics count it as a
// test's), and on a guide's turns only when told the target is the embedded emulator (`namesTests`).
import { describe, expect, it } from 'vitest';
import type { ResultCache } from '../../../src/evals/cache.js';
import { emulatorResponses, planTests } from '../../../src/evals/render.js';
import { runTests } from '../../../src/evals/runner.js';
import type { Observation } from '../../../src/evals/types.js';
import { createGatewayRuntime } from '../../../src/emulator/invocations.js';
import { promptTest, state, template, testCase, variable, version } from '../rules/build.js';

const q = variable('question');
const billing = {
  templates: [template('billing')],
  versions: [version('billing', '1.0.0', { userTemplate: '{{question}}', variables: [q] }), version('billing', '1.1.0', { userTemplate: '{{question}}', variables: [q] })],
};
const broad = promptTest('broad', { template: 'billing', version: '1.0.0' }, [testCase('c', { question: 'refund?' })], { responses: [{ match: {}, output: 'broad' }] });
const own = promptTest('own', { template: 'billing', version: '1.1.0' }, [testCase('c', { question: 'refund?' })], { responses: [{ match: { version: '1.1.0' }, output: 'own' }] });

function memoryCache(): ResultCache {
  const m = new Map<string, Observation>();
  return { get: async (k) => m.get(k), set: async (k, o) => void m.set(k, o) };
}

describe("a test's own responses first", () => {
  it('are first in its calls\' cache key: the same answers in another precedence key another result', () => {
    const key = (tests: typeof broad[]) => {
      const s = state({ ...billing, tests });
      return planTests(s, [own], { targetLabel: 'embedded', responses: emulatorResponses(tests) })[0]!.calls[0]!.key;
    };
    // own's answer first either way: the order of the files changes nothing for own's calls.
    expect(key([broad, own])).toBe(key([own, broad]));
    // The same answers, but own's now another test's, after broad's: another precedence, another key.
    const moved = promptTest('moved', own.target, own.cases, { responses: own.responses });
    const ownBare = { ...own, responses: [] };
    const s = state({ ...billing, tests: [broad, moved, ownBare] });
    const other = planTests(s, [ownBare], { targetLabel: 'embedded', responses: emulatorResponses([broad, moved, ownBare]) })[0]!.calls[0]!.key;
    expect(other).not.toBe(key([broad, own]));
  });

  it('tags every fixture with its test for the emulator, which keeps the tag through its check of the fixtures', () => {
    expect(emulatorResponses([broad, own]).map((r) => [r.test, r.target, r.response.output])).toEqual([
      ['broad', 'billing', 'broad'],
      ['own', 'billing', 'own'],
    ]);
    const rt = createGatewayRuntime({ responses: [{ match: { template: 'billing' }, output: 'own', test: 'own' }, { match: {}, output: 'untagged' }] });
    expect(rt.fixtures.map((f) => f.fixture)).toEqual([
      { match: { template: 'billing' }, output: 'own', test: 'own' },
      { match: {}, output: 'untagged' },
    ]);
  });

  it('the runner names the test on its template calls always, on its guide turns only with namesTests', async () => {
    const guideTest = promptTest('guide-own', { guide: 'Returns helper' }, [testCase('c', {}, [{ type: 'contains', value: 'x', not: false }], { messages: [{ role: 'user', content: 'hi' }] })]);
    const run = async (namesTests: boolean) => {
      const seen: unknown[] = [];
      const s = state({ ...billing, tests: [own, guideTest] });
      const planned = planTests(s, [own, guideTest], { targetLabel: 'embedded' });
      await runTests(
        planned,
        {
          gateway: {
            invoke: async (_body, opts) => {
              seen.push(['invoke', opts?.test]);
              return { id: 'i', template: { id: 't', name: 'billing' }, version: '1.1.0', model: 'gpt-4o-mini', output: { text: 'x' }, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, costUsd: 0, latencyMs: 1, filters: [] };
            },
          },
          guides: {
            listGuides: async () => [{ id: 'g1', name: 'Returns helper', latestSavedVersion: { version: '1.0' } }] as never,
            sessionTurn: async (_g, _s, _b, opts) => {
              seen.push(['turn', opts?.test]);
              return { response: { text: 'x' }, status: 'COMPLETED' } as never;
            },
          },
          cache: memoryCache(),
          countTokens: () => 1,
          ...(namesTests ? { namesTests } : {}),
        },
        { target: 'embedded' },
      );
      return seen;
    };
    expect((await run(true)).sort()).toEqual([['invoke', 'own'], ['turn', 'guide-own']]);
    expect((await run(false)).sort()).toEqual([['invoke', 'own'], ['turn', undefined]]);
  });
});
