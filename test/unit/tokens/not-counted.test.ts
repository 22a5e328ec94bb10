// Which versions `tokens` could not count, and why: a pure function of what the load returned
// (its state, union, diagnostics and the documents it left out) and the versions counted.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { notCountedVersions, type LeftOut, type LoadOutcome } from '../../../src/tokens/not-counted.js';
import { at, config, state, template, version } from './fixtures.js';

const error = (file: string, line: number, column = 1): Diagnostic => ({ file, line, column, severity: 'error', rule: 'schema/x', message: 'bad' });
const leftOut = (over: Partial<LeftOut> & Pick<LeftOut, 'kind' | 'firstError'>): LeftOut => over;

function outcome(over: Partial<LoadOutcome> = {}): LoadOutcome {
  const s = over.state === undefined ? state([], []) : over.state;
  return { state: s, union: s, diagnostics: [], leftOut: [], configFile: 'prompts/promptctl.yaml', configDropped: false, ...over };
}

describe('notCountedVersions', () => {
  it('is empty when the load has no error (every version was counted), whatever else it holds', () => {
    const s = state([], [version('billing', '1.0.0')]);
    const warning: Diagnostic = { ...error('prompts/x.yaml', 1), severity: 'warning' };
    expect(notCountedVersions(outcome({ state: s, union: s, diagnostics: [warning] }), [], undefined)).toEqual([]);
  });

  it('names a left-out version at its first error, unless a version of that address loaded', () => {
    const s = state([template('billing')], [version('billing', '1.1.0')]);
    const loaded = outcome({
      state: s,
      union: s,
      diagnostics: [error('prompts/b.yaml', 9, 3)],
      leftOut: [
        leftOut({ kind: 'PromptVersion', name: 'billing', address: 'PromptVersion/billing@1.0.0', firstError: at('prompts/b.yaml', 9, 3) }),
        leftOut({ kind: 'PromptVersion', name: 'billing', address: 'PromptVersion/billing@1.1.0', firstError: at('prompts/b.yaml', 20, 3) }),
        leftOut({ kind: 'PromptVersion', firstError: at('prompts/c.yaml', 2, 1) }), // no address: cannot be named
        leftOut({ kind: 'PromptTemplate', name: 'other', address: 'PromptTemplate/other', firstError: at('prompts/o.yaml', 4, 9) }),
      ],
    });
    expect(notCountedVersions(loaded, [{ address: 'PromptVersion/billing@1.1.0' }], undefined)).toEqual([
      { address: 'PromptVersion/billing@1.0.0', reason: 'its document did not load', file: 'prompts/b.yaml', line: 9, column: 3 },
    ]);
  });

  it('names left-out versions when nothing loaded at all', () => {
    const loaded = outcome({
      state: null,
      union: null,
      diagnostics: [error('prompts/v.yaml', 7, 16)],
      leftOut: [leftOut({ kind: 'PromptVersion', name: 'billing', address: 'PromptVersion/billing@1.0.0', firstError: at('prompts/v.yaml', 7, 16) })],
    });
    expect(notCountedVersions(loaded, [], undefined)).toEqual([
      { address: 'PromptVersion/billing@1.0.0', reason: 'its document did not load', file: 'prompts/v.yaml', line: 7, column: 16 },
    ]);
  });

  it('says why a loaded version was not counted: its template did not load, is not defined, is in another environment; its model is unknown', () => {
    const orphan = version('nowhere', '1.0.0', { locations: { 'spec.template': at('prompts/orphan.yaml', 4, 13) } });
    const broken = version('broken', '2.0.0');
    const elsewhere = version('prod-only', '3.0.0', { locations: { 'spec.template': at('prompts/p.yaml', 4, 13) } });
    const odd = version('odd', '4.0.0');
    const oddTemplate = template('odd', { model: 'gpt-4oo', locations: { 'spec.model': at('prompts/odd.yaml', 6, 10) } });
    const s = state([oddTemplate], [orphan, broken, elsewhere, odd]);
    const union = state([oddTemplate, template('prod-only', { environments: ['prod'] })], s.versions);
    const loaded = outcome({
      state: s,
      union,
      diagnostics: [error('prompts/broken.yaml', 7, 16), error('prompts/odd.yaml', 6, 10)],
      leftOut: [
        // In another environment: not the one this version misses.
        leftOut({ kind: 'PromptTemplate', name: 'broken', environments: ['prod'], firstError: at('prompts/broken.yaml', 2, 1) }),
        leftOut({ kind: 'PromptTemplate', name: 'broken', environments: ['dev'], firstError: at('prompts/broken.yaml', 7, 16) }),
      ],
    });
    expect(notCountedVersions(loaded, [], 'dev')).toEqual([
      { address: 'PromptVersion/broken@2.0.0', reason: 'its template "broken" did not load', file: 'prompts/broken.yaml', line: 7, column: 16 },
      { address: 'PromptVersion/nowhere@1.0.0', reason: 'its template "nowhere" is not defined', file: 'prompts/orphan.yaml', line: 4, column: 13 },
      { address: 'PromptVersion/odd@4.0.0', reason: 'its model "gpt-4oo" is unknown', file: 'prompts/odd.yaml', line: 6, column: 10 },
      { address: 'PromptVersion/prod-only@3.0.0', reason: 'its template "prod-only" is not in environment dev', file: 'prompts/p.yaml', line: 4, column: 13 },
    ]);
  });

  it('keeps a left-out version of another environment out, and says a model is not known while promptctl.yaml has errors', () => {
    const v = version('billing', '1.0.0', { model: 'custom-model' });
    const s = state([template('billing')], [v], config());
    const loaded = outcome({
      state: s,
      union: s,
      diagnostics: [error('prompts/promptctl.yaml', 3, 1), error('prompts/b.yaml', 12, 3)],
      leftOut: [leftOut({ kind: 'PromptVersion', name: 'billing', address: 'PromptVersion/billing@2.0.0', environments: ['prod'], firstError: at('prompts/b.yaml', 12, 3) })],
      configDropped: true,
    });
    expect(notCountedVersions(loaded, [], 'dev')).toEqual([
      { address: 'PromptVersion/billing@1.0.0', reason: 'its model "custom-model" is not known while promptctl.yaml has errors', file: 'prompts/promptctl.yaml', line: 3, column: 1 },
    ]);
    expect(notCountedVersions(loaded, [], undefined).map((n) => n.address)).toEqual(['PromptVersion/billing@1.0.0', 'PromptVersion/billing@2.0.0']);
  });

  it('says a model is unknown, at its own error, when promptctl.yaml has an error but loaded (its models were known)', () => {
    // Before: "not known while promptctl.yaml has errors" at a promotion naming an unknown
    // environment, though the Config loaded and the model's own error (with its did-you-mean) was at spec.model.
    const v = version('billing', '1.0.0', { model: 'gpt-4oo' });
    const s = state([template('billing')], [v], config());
    const loaded = outcome({ state: s, union: s, diagnostics: [error('prompts/promptctl.yaml', 6, 20), error(v.source.file, 12, 10)] });
    expect(notCountedVersions(loaded, [], undefined)).toEqual([
      { address: 'PromptVersion/billing@1.0.0', reason: 'its model "gpt-4oo" is unknown', file: v.source.file, line: 12, column: 10 },
    ]);
  });
});
