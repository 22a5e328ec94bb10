// An environment may be named `constructor` (a valid name). Overrides and config were looked up as
// `overrides[env]`, which finds Object.prototype.constructor: environmentDiffers said the state
// differs for every split, and resolveSplit took the function for an override.
import { describe, expect, it } from 'vitest';
import { environmentDiffers, resolveSplit } from '../../../src/model/environments.js';
import { split, state } from '../rules/build.js';

describe('an environment named like an Object.prototype member', () => {
  it('finds no override a split does not have', () => {
    // A split with an override for another environment: its overrides are a plain object.
    const s = { ...split('billing', [['1.0.0', 100]]), overrides: { prod: { routes: [{ version: '1.0.0', weight: 100 }] } } };
    expect(environmentDiffers(state({ splits: [s] }), 'constructor')).toBe(false);
    expect(environmentDiffers(state({ splits: [s] }), 'toString')).toBe(false);
    const { overrides: _, ...base } = s;
    expect(resolveSplit(s, 'constructor')).toEqual(base);
  });
});
