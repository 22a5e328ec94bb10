// Safety filter priorities are unique per org, and each environment is its own org (DESIGN §6):
// two enabled filters limited to environments they do not share never meet, so validate without
// --env must not call their priorities a conflict (validate --env of either passed).
import { describe, expect, it } from 'vitest';
import { checkFilters } from '../../../src/rules/filters.js';
import { at, filter, state } from './build.js';

describe('filter priorities across environments', () => {
  it('does not report one priority held by filters of disjoint environments', () => {
    const dev = filter('guard-dev', 5, { environments: ['dev'] }, 'dev.yaml');
    const prod = filter('guard-prod', 5, { environments: ['staging', 'prod'] }, 'prod.yaml');
    expect(checkFilters(state({ filters: [dev, prod] }))).toEqual([]);
  });

  it('still reports filters that share an environment, or one that is in every environment', () => {
    const dev = filter('guard-dev', 5, { environments: ['dev'] }, 'dev.yaml');
    const prod = filter('guard-prod', 5, { environments: ['prod'] }, 'prod.yaml');
    const both = filter('guard-both', 5, { environments: ['prod', 'dev'] }, 'z-both.yaml');
    const all = filter('guard-all', 7, {}, 'all.yaml');
    const prod7 = filter('guard-prod7', 7, { environments: ['prod'] }, 'prod7.yaml');
    const ds = checkFilters(state({ filters: [dev, prod, both, all, prod7] }));
    expect(ds.map((d) => [d.file, d.line, d.column, d.rule, d.message.replace(/ \(.*$/, "")])).toEqual([
      [both.source.file, at(both, 'spec.priority').line, at(both, 'spec.priority').column, 'filters/priority-conflict', 'priority 5 is already held by enabled filter "guard-dev"'],
      [prod7.source.file, at(prod7, 'spec.priority').line, at(prod7, 'spec.priority').column, 'filters/priority-conflict', 'priority 7 is already held by enabled filter "guard-all"'],
    ]);
  });
});
