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

// A review routed 30 % of a template's calls to a version that typed its variable q as a number
// and required n, where the others took q as a string: 2 of 20 calls refused, validate silent.
describe('traffic/variables-differ', () => {
  const v = (label: string, variables: Array<Partial<import('../../../src/model/types.js').Variable> & { name: string }>) =>
    version('t', label, { variables: variables.map((x) => ({ type: 'string' as const, required: true, ...x })) });
  it('warns when routed versions type a variable apart', () => {
    const s = split('t', [['1.0.0', 70], ['2.0.0', 30]]);
    const d = checkTraffic(state({ templates: [template('t')], versions: [v('1.0.0', [{ name: 'q' }]), v('2.0.0', [{ name: 'q', type: 'number' }])], splits: [s] }));
    expect(d).toEqual([
      expect.objectContaining({
        ...at(s, 'spec.routes'),
        severity: 'warning',
        rule: 'traffic/variables-differ',
        message:
          'routes of template "t" send calls to versions that type variable q apart (a string in 1.0.0 but a number in 2.0.0): no value suits every route, so calls routed to some of them are refused (400 invalid.variables); give the versions one type, or route to one',
      }),
    ]);
  });
  it('warns when one routed version requires a variable another does not declare', () => {
    const s = split('t', [['1.0.0', 50], ['2.0.0', 50]]);
    const d = checkTraffic(state({ templates: [template('t')], versions: [v('1.0.0', [{ name: 'q' }]), v('2.0.0', [{ name: 'q' }, { name: 'n', type: 'boolean' }])], splits: [s] }));
    expect(d.map((x) => x.message)).toEqual([
      'routes of template "t" send calls to versions that disagree on variable n: 2.0.0 requires it and 1.0.0 does not declare it, so a call with it is refused by 1.0.0 and one without it by 2.0.0 (400 invalid.variables); declare it alike, or route to one',
    ]);
  });
  it('warns when routed versions take an enum variable with no value in common (a review: validate silent)', () => {
    const s = split('t', [['1.0.0', 50], ['2.0.0', 50]]);
    const d = checkTraffic(state({ templates: [template('t')], versions: [v('1.0.0', [{ name: 'tier', type: 'enum', values: ['gold', 'silver'] }]), v('2.0.0', [{ name: 'tier', type: 'enum', values: ['premium', 'basic'] }])], splits: [s] }));
    expect(d.map((x) => x.message)).toEqual([
      'routes of template "t" send calls to versions whose enum variable tier shares no value (1.0.0 takes gold, silver; 2.0.0 takes premium, basic): every value is refused by some route (400 invalid.variables); give them a value in common, or route to one',
    ]);
    // One value in common: calls that send it land well anywhere.
    const shared = checkTraffic(state({ templates: [template('t')], versions: [v('1.0.0', [{ name: 'tier', type: 'enum', values: ['gold', 'silver'] }]), v('2.0.0', [{ name: 'tier', type: 'enum', values: ['gold', 'basic'] }])], splits: [s] }));
    expect(shared.filter((x) => x.rule === 'traffic/variables-differ')).toEqual([]);
  });

  // A review: faq-bot's tone was optional (with a default) on both routed versions, so
  // `run faq-bot@1.0.0 --var question=hi` and @2.0.0 both answered, yet the warning said every
  // value, or every call, was refused. Only callers that set tone are.
  it('says only calls that leave the variable out suit every route when every route has it optional', () => {
    const messages = (a: Parameters<typeof v>[1], b: Parameters<typeof v>[1]) =>
      checkTraffic(state({ templates: [template('t')], versions: [v('1.0.0', a), v('2.0.0', b)], splits: [split('t', [['1.0.0', 90], ['2.0.0', 10]])] }))
        .filter((x) => x.rule === 'traffic/variables-differ')
        .map((x) => `${x.severity}: ${x.message}`);
    const formal = { name: 'tone', type: 'enum' as const, values: ['formal', 'casual'], required: false, default: 'formal' };
    expect(messages([formal], [{ name: 'tone', type: 'enum', values: ['short', 'detailed'], required: false, default: 'short' }])).toEqual([
      'warning: routes of template "t" send calls to versions whose enum variable tone shares no value (1.0.0 takes formal, casual; 2.0.0 takes short, detailed): any value a caller sets is refused by some route (400 invalid.variables), and only calls that leave tone out (optional on every route) suit every route; give them a value in common, or route to one',
    ]);
    // Optional without a default is left out as well (rendered empty).
    expect(messages([{ name: 'tone', type: 'enum', values: ['formal', 'casual'], required: false }], [{ name: 'tone', type: 'enum', values: ['short', 'detailed'], required: false }])).toEqual([
      expect.stringContaining('any value a caller sets is refused by some route (400 invalid.variables), and only calls that leave tone out (optional on every route) suit every route;'),
    ]);
    expect(messages([formal], [{ name: 'tone', type: 'number', required: false, default: 1 }])).toEqual([
      'warning: routes of template "t" send calls to versions that type variable tone apart (a string in 1.0.0 but a number in 2.0.0): any value a caller sets is refused by some route (400 invalid.variables), and only calls that leave tone out (optional on every route) suit every route; give the versions one type, or route to one',
    ]);
    // Required (no default) on one route: a call without it is refused there, so every call is refused somewhere.
    expect(messages([formal], [{ name: 'tone', type: 'enum', values: ['short', 'detailed'] }])).toEqual([
      'warning: routes of template "t" send calls to versions whose enum variable tone shares no value (1.0.0 takes formal, casual; 2.0.0 takes short, detailed): every value is refused by some route (400 invalid.variables); give them a value in common, or route to one',
    ]);
    expect(messages([formal], [{ name: 'tone', type: 'number' }])).toEqual([
      'warning: routes of template "t" send calls to versions that type variable tone apart (a string in 1.0.0 but a number in 2.0.0): no value suits every route, so calls routed to some of them are refused (400 invalid.variables); give the versions one type, or route to one',
    ]);
  });

  it('is quiet for an enum beside a string, an optional or defaulted variable, and a route of weight 0', () => {
    const quiet = (versions: import('../../../src/model/types.js').PromptVersion[], routes: Array<[string, number]>) =>
      checkTraffic(state({ templates: [template('t')], versions, splits: [split('t', routes)] })).filter((x) => x.rule === 'traffic/variables-differ');
    expect(quiet([v('1.0.0', [{ name: 'q' }]), v('2.0.0', [{ name: 'q', type: 'enum', values: ['a'] }])], [['1.0.0', 50], ['2.0.0', 50]])).toEqual([]);
    expect(quiet([v('1.0.0', [{ name: 'q' }]), v('2.0.0', [{ name: 'q' }, { name: 'n', required: false }])], [['1.0.0', 50], ['2.0.0', 50]])).toEqual([]);
    expect(quiet([v('1.0.0', [{ name: 'q' }]), v('2.0.0', [{ name: 'q' }, { name: 'n', default: 'x' }])], [['1.0.0', 50], ['2.0.0', 50]])).toEqual([]);
    expect(quiet([v('1.0.0', [{ name: 'q' }]), v('2.0.0', [{ name: 'q', type: 'number' }])], [['1.0.0', 100], ['2.0.0', 0]])).toEqual([]);
  });
});
