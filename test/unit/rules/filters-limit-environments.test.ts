// The gateway's limit of 50 enabled safety filters is per org, and each environment is its own org
// (DESIGN §6): 30 filters kept to dev and 30 kept to prod were reported as "60 safety filters are
// enabled" by validate without --env, while validate --env of either passed.
import { describe, expect, it } from 'vitest';
import { checkFilters } from '../../../src/rules/filters.js';
import { at, filter, state } from './build.js';

const some = (n: number, prefix: string, environments?: string[], from = 1) =>
  Array.from({ length: n }, (_, i) => filter(`${prefix}${i}`, from + i, environments ? { environments } : {}));

describe('the enabled-filter limit across environments', () => {
  it('counts each environment on its own', () => {
    expect(checkFilters(state({ filters: [...some(30, 'dev', ['dev']), ...some(30, 'prod', ['prod'])] }))).toEqual([]);
  });

  it('reports the 51st of one environment, naming it (a filter without environments is in each)', () => {
    const dev = some(30, 'dev', ['dev']);
    const all = some(21, 'all', undefined, 31);
    const prod = some(10, 'prod', ['prod'], 60);
    const ds = checkFilters(state({ filters: [...dev, ...all, ...prod] }));
    expect(ds).toEqual([
      expect.objectContaining({ ...at(all[20]!, 'spec.enabled'), rule: 'filters/limit', message: expect.stringMatching(/^51 safety filters are enabled in environment dev; /) }),
    ]);
  });
});
