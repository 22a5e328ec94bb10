import { describe, expect, it } from 'vitest';
import { checkTraffic } from '../../../src/rules/traffic.js';
import { at, split, state, template, version } from './build.js';

const base = () => ({ templates: [template('t')], versions: [version('t', '1.0.0'), version('t', '1.1.0')] });

describe('traffic', () => {
  it('accepts weights summing to 100 over declared versions', () => {
    expect(checkTraffic(state({ ...base(), splits: [split('t', [['1.0.0', 90], ['1.1.0', 10]])] }))).toEqual([]);
    expect(checkTraffic(state({ ...base(), splits: [split('t', [['1.0.0', 100], ['1.1.0', 0]])] }))).toEqual([]);
  });

  it('reports a sum other than 100 at routes', () => {
    const s = split('t', [['1.0.0', 50], ['1.1.0', 49]]);
    expect(checkTraffic(state({ ...base(), splits: [s] }))).toEqual([
      {
        ...at(s, 'spec.routes'),
        severity: 'error',
        rule: 'traffic/weights-sum',
        message: 'route weights of template "t" sum to 99; they must sum to exactly 100',
      },
    ]);
  });

  it('reports an undeclared version with a did-you-mean and the declared list', () => {
    const s = split('t', [['1.0.0', 50], ['1.2.0', 50]]);
    expect(checkTraffic(state({ ...base(), splits: [s] }))).toEqual([
      expect.objectContaining({
        ...at(s, 'spec.routes.1.version'),
        rule: 'traffic/unknown-version',
        message: 'version 1.2.0 of template "t" is not declared by any PromptVersion (did you mean "1.0.0"?); declared: 1.0.0, 1.1.0',
      }),
    ]);
  });

  it('does not report versions that failed to load, nor versions of an unknown template', () => {
    const s = split('t', [['1.0.0', 50], ['1.5.0', 50]]);
    expect(checkTraffic(state({ ...base(), splits: [s] }), { unloadedVersions: new Set(['t@1.5.0']) })).toEqual([]);
    expect(checkTraffic(state({ splits: [split('zzz', [['9.9.9', 100]])] }))).toEqual([]);
  });

  it('reports a version routed twice at the second route', () => {
    const s = split('t', [['1.0.0', 50], ['1.1.0', 25], ['1.0.0', 25]]);
    expect(checkTraffic(state({ ...base(), splits: [s] }))).toEqual([
      expect.objectContaining({ ...at(s, 'spec.routes.2.version'), rule: 'traffic/duplicate-version', message: `version 1.0.0 is routed twice (first on line ${at(s, 'spec.routes.0.version').line}); give it one route with the combined weight` }),
    ]);
  });

  it('warns that stickyKey does nothing without strategy sticky', () => {
    const s = split('t', [['1.0.0', 100]], { stickyKey: 'userId' });
    expect(checkTraffic(state({ ...base(), splits: [s] }))).toEqual([
      expect.objectContaining({ ...at(s, 'spec.stickyKey'), severity: 'warning', rule: 'traffic/sticky-key-ignored' }),
    ]);
    expect(checkTraffic(state({ ...base(), splits: [split('t', [['1.0.0', 100]], { strategy: 'sticky', stickyKey: 'userId' })] }))).toEqual([]);
  });
});
