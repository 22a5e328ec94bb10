import { describe, expect, it } from 'vitest';
import { checkReferences } from '../../../src/rules/references.js';
import { at, filter, split, state, template, version } from './build.js';

describe('references', () => {
  it('reports a version or split whose template is not defined, with a did-you-mean', () => {
    const v = version('biling', '1.0.0');
    const s = split('nope', [['1.0.0', 100]]);
    const ds = checkReferences(state({ templates: [template('billing')], versions: [v], splits: [s] }));
    expect(ds).toEqual([
      expect.objectContaining({
        ...at(v, 'spec.template'),
        severity: 'error',
        rule: 'references/unknown-template',
        message: 'template "biling" is not defined by any PromptTemplate (did you mean "billing"?)',
      }),
      expect.objectContaining({ ...at(s, 'spec.template'), rule: 'references/unknown-template', message: 'template "nope" is not defined by any PromptTemplate' }),
    ]);
  });

  it('stays quiet about templates whose documents failed to load', () => {
    expect(checkReferences(state({ versions: [version('broken', '1.0.0')] }), { unloadedTemplates: new Set(['broken']) })).toEqual([]);
  });

  it('warns about a filter applied to an unknown template', () => {
    const f = filter('guard', 1, { appliesTo: { templates: ['billing', 'biling'] } });
    const ds = checkReferences(state({ templates: [template('billing')], filters: [f] }));
    expect(ds).toEqual([expect.objectContaining({ ...at(f, 'spec.appliesTo.templates.1'), severity: 'warning', rule: 'references/filter-target' })]);
    expect(ds[0]!.message).toContain('did you mean "billing"?');
  });
});
