// Many references to unknown templates among many templates (a generated or hostile pull request:
// 500 TrafficSplits naming 500 long template names that are not defined) each asked for a
// did-you-mean over every template name, by a full edit-distance table per pair: validate took
// minutes, deaf to interrupts. Only a distance within the suggestion limit matters, so each pair is
// now compared within that band. Bounded through execBounded (a V8 script timeout), so that
// without the fix the test fails, not hangs.
import { describe, expect, it } from 'vitest';
import { checkReferences } from '../../../src/rules/references.js';
import { bounded } from '../../helpers/bounded.js';
import { split, state, template } from './build.js';

/** A 128-character name (the longest a template may have): `prefix-i` padded. */
const long = (prefix: string, i: number): string => `${prefix}-${i}`.padEnd(127, 'x') + 'z';

describe('references to unknown templates among many long names', () => {
  it('are all reported within seconds, a near miss still with its did-you-mean', () => {
    const n = 300;
    const templates = Array.from({ length: n }, (_, i) => template(long('a', i)));
    const splits = Array.from({ length: n }, (_, i) => split(long('b', i), [['1.0.0', 100]]));
    // One letter off the last template's name: the suggestion it always had.
    const nearMiss = long('a', n - 1).replace(/z$/, 'y');
    splits.push(split(nearMiss, [['1.0.0', 100]]));
    // About 0.2 s with the fix on a busy 2-core machine; without it, about a minute.
    const ds = bounded(() => checkReferences(state({ templates, splits })), 10_000);
    expect(ds).toHaveLength(n + 1);
    expect(ds.every((d) => d.rule === 'references/unknown-template')).toBe(true);
    expect(ds[n]!.message).toBe(`template "${nearMiss}" is not defined by any PromptTemplate (did you mean "${long('a', n - 1)}"?)`);
  });
});
