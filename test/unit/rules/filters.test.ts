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

  it('warns that an enabled filter whose appliesTo.templates is empty, without labels, covers nothing', () => {
    const f = filter('f', 1, { appliesTo: { templates: [] } });
    expect(checkFilters(state({ filters: [f] }))).toEqual([
      {
        ...at(f, 'spec.appliesTo.templates'),
        severity: 'warning',
        rule: 'filters/covers-nothing',
        message: 'appliesTo.templates is empty and no labels are given, so filter "f" covers no template and screens nothing; remove appliesTo to cover every template, or name the templates',
      },
    ]);
    // Labels select templates; a disabled filter screens nothing anyway; no appliesTo covers every template.
    const labelled = filter('g', 2, { appliesTo: { templates: [], labels: { team: 'billing' } } });
    const off = filter('h', 3, { enabled: false, appliesTo: { templates: [] } });
    expect(checkFilters(state({ filters: [labelled, off, filter('i', 4), filter('j', 5, { appliesTo: {} })] }))).toEqual([]);
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
