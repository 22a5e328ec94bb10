// Many unknown long model ids among many configured models (a hostile or generated promptctl.yaml
// and templates: 250 of each with 128-character ids) took 9 s to validate, 1,000 of each minutes:
// each id was compared with every model by a full edit-distance table. Only a distance within the
// suggestion limit matters, and only that band is now filled. Bounded through execBounded (a V8
// script timeout), so that without the fix the test fails, not hangs.
import { describe, expect, it } from 'vitest';
import { suggestModel } from '../../../src/tokens/registry.js';
import { bounded } from '../../helpers/bounded.js';
import type { Config } from '../../../src/model/types.js';

/** A 128-character model id (the longest the schema takes): `prefix-i` padded. */
const long = (prefix: string, i: number): string => `${prefix}-${i}`.padEnd(127, 'x') + 'z';

describe('suggestModel among many long model ids', () => {
  it('answers every unknown id within seconds, with the suggestion it always made', () => {
    const n = 400;
    const models: Config['models'] = {};
    for (let i = 0; i < n; i++) models[long('m', i)] = { encoding: 'o200k_base', contextWindow: 128_000 };
    const config = { models };
    // About 0.1 s with the fix on a busy 2-core machine; without it, about half a minute.
    const suggestions = bounded(() => Array.from({ length: n }, (_, i) => suggestModel(long('q', i), config)), 10_000);
    expect(suggestions).toEqual(Array.from({ length: n }, (_, i) => long('m', i)));
    expect(suggestModel('gpt-4o-minii', config)).toBe('gpt-4o-mini');
    expect(suggestModel('gtp-4o', config)).toBe('gpt-4o');
  });
});
