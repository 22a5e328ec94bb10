// Environments (DESIGN §6): one environment's state from the union of the documents.
import { describe, expect, it } from 'vitest';
import { environmentDiffers, environmentState, previousEnvironment, resolveSplit } from '../../../src/model/environments.js';
import type { Config } from '../../../src/model/types.js';
import * as d from '../../helpers/desired.js';

const envs: Config['environments'] = {
  dev: { credentials: 'GC_DEV', protected: false },
  staging: { credentials: 'GC_STAGING', protected: false, guidePublish: 'TestReady' },
  prod: { credentials: 'GC_PROD', protected: true },
};
const config = d.config({ environments: envs, promotion: ['dev', 'staging', 'prod'] });

describe('environmentState', () => {
  it('keeps the documents of the environment (no metadata.environments: all of them)', () => {
    const state = d.desiredState({
      config,
      templates: [d.template('a'), d.template('b', { environments: ['dev'] })],
      versions: [d.version('a', '1.0.0'), d.version('a', '1.1.0', { environments: ['dev', 'staging'] })],
      filters: [d.filter('f', 3, { environments: ['prod'] })],
    });
    const prod = environmentState(state, 'prod');
    expect(prod.templates.map((t) => t.name)).toEqual(['a']);
    expect(prod.versions.map((v) => v.version)).toEqual(['1.0.0']);
    expect(prod.filters.map((f) => f.name)).toEqual(['f']);
    expect(environmentState(state, 'dev').filters).toEqual([]);
    expect(environmentDiffers(state, 'prod')).toBe(true);
    expect(environmentDiffers(d.desiredState({ config, templates: [d.template('a')] }), 'prod')).toBe(false);
  });

  it("applies a split's override in its environment, with locations pointing into the override", () => {
    const s = d.split('a', [['1.0.0', 50], ['1.1.0', 50]], {
      overrides: { prod: { routes: [{ version: '1.0.0', weight: 90 }, { version: '1.1.0', weight: 10 }] } },
      locations: {
        'spec.routes': { file: 'f.yaml', line: 5, column: 3 },
        'spec.routes.0.version': { file: 'f.yaml', line: 5, column: 16 },
        'spec.routes.1.version': { file: 'f.yaml', line: 7, column: 16 },
        'spec.environments.prod.routes': { file: 'f.yaml', line: 11, column: 7 },
        'spec.environments.prod.routes.0.version': { file: 'f.yaml', line: 11, column: 20 },
      },
    });
    const prod = resolveSplit(s, 'prod');
    expect(prod.routes).toEqual([{ version: '1.0.0', weight: 90 }, { version: '1.1.0', weight: 10 }]);
    expect(prod.overrides).toBeUndefined();
    expect(prod.locations['spec.routes.0.version']).toEqual({ file: 'f.yaml', line: 11, column: 20 });
    // the document's second route does not linger at its old place
    expect(prod.locations['spec.routes.1.version']).toBeUndefined();
    expect(resolveSplit(s, 'staging').routes).toEqual(s.routes);
    expect(s.routes[0]!.weight).toBe(50); // the input is untouched
  });

  it("gives guides without their own publish the environment's guidePublish", () => {
    const base = { kind: 'Guide' as const, name: 'g', labels: {}, instruction: 'x', variables: [], dataActions: [], publish: 'ProductionReady' as const, source: { file: 'g.yaml', line: 1, column: 1 } };
    const state = d.desiredState({ config, guides: [{ ...base, locations: {} }, { ...base, name: 'h', locations: { 'spec.publish': { file: 'g.yaml', line: 9, column: 12 } } }] });
    expect(environmentState(state, 'staging').guides.map((g) => g.publish)).toEqual(['TestReady', 'ProductionReady']);
    expect(environmentState(state, 'prod').guides.map((g) => g.publish)).toEqual(['ProductionReady', 'ProductionReady']);
  });

  it('knows the environment before another in promotion', () => {
    expect(previousEnvironment(config, 'prod')).toBe('staging');
    expect(previousEnvironment(config, 'dev')).toBeUndefined();
    expect(previousEnvironment(d.config(), 'prod')).toBeUndefined();
  });
});
