import { describe, expect, it } from 'vitest';
import { checkFilters } from '../../../src/rules/filters.js';
import { at, filter, state } from './build.js';

describe('filters', () => {
  it('reports a threshold for a category the filter does not list, at that threshold', () => {
    const f = filter('f', 1, { categories: ['pii'], thresholds: { pii: 0.5, violence: 0.2 } });
    expect(checkFilters(state({ filters: [f] }))).toEqual([
      expect.objectContaining({ ...at(f, 'spec.thresholds.violence'), rule: 'filters/threshold-category', message: expect.stringContaining('"violence"') }),
    ]);
  });

  it('reports a priority already held by an enabled filter, naming it', () => {
    const a = filter('a', 7, {}, 'a.yaml');
    const b = filter('b', 7, { enabled: false }, 'b.yaml');
    const c = filter('c', 7, {}, 'c.yaml');
    const ds = checkFilters(state({ filters: [a, b, c] }));
    const held = at(a, 'spec.priority');
    expect(ds).toEqual([
      {
        ...at(c, 'spec.priority'),
        severity: 'error',
        rule: 'filters/priority-conflict',
        message: `priority 7 is already held by enabled filter "a" (a.yaml:${held.line}:${held.column}); enabled filters need distinct priorities`,
      },
    ]);
  });

  it('allows 50 enabled filters and reports the 51st once', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => filter(`f${i}`, i + 1));
    const disabled = filter('off', 99, { enabled: false });
    expect(checkFilters(state({ filters: [...fifty, disabled] }))).toEqual([]);
    const extra = [filter('x51', 60), filter('x52', 61)];
    const ds = checkFilters(state({ filters: [...fifty, disabled, ...extra] }));
    expect(ds).toEqual([
      expect.objectContaining({ ...at(extra[0]!, 'spec.enabled'), rule: 'filters/limit', message: expect.stringContaining('52 safety filters are enabled') }),
    ]);
  });
});
