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

  it('a template no file defines while files could not be read: still said, that it may be in them, without a did-you-mean', () => {
    const v = version('biling', '1.0.0');
    const st = state({ templates: [template('billing')], versions: [v] });
    const one = checkReferences(st, { unreadFiles: [{ file: 'prompts/x.yaml', rule: 'file/binary' }] });
    expect(one).toEqual([
      expect.objectContaining({
        ...at(v, 'spec.template'),
        rule: 'references/unknown-template',
        message: 'template "biling" is not defined by any PromptTemplate, unless it is defined in prompts/x.yaml, which could not be read (see its file/binary error)',
      }),
    ]);
    const dir = checkReferences(st, { unreadFiles: [{ file: 'prompts/locked', rule: 'file/unreadable', directory: true }] });
    expect(dir[0]!.message).toBe('template "biling" is not defined by any PromptTemplate, unless it is defined in a file of prompts/locked, a directory that could not be read (see its file/unreadable error)');
    const two = checkReferences(st, {
      unreadFiles: [
        { file: 'prompts/locked', rule: 'file/unreadable', directory: true },
        { file: 'prompts/x.yaml', rule: 'file/binary' },
      ],
    });
    expect(two[0]!.message).toBe(
      'template "biling" is not defined by any PromptTemplate, unless it is defined in one of the 2 files and directories that could not be read (see their file/unreadable, file/binary errors)',
    );
    // A name a broken document still says it defines is no second error at all.
    expect(checkReferences(st, { unloadedTemplates: new Set(['biling']), unreadFiles: [{ file: 'prompts/x.yaml', rule: 'file/binary' }] })).toEqual([]);
  });

  it('warns about a filter applied to an unknown template', () => {
    const f = filter('guard', 1, { appliesTo: { templates: ['billing', 'biling'] } });
    const ds = checkReferences(state({ templates: [template('billing')], filters: [f] }));
    expect(ds).toEqual([expect.objectContaining({ ...at(f, 'spec.appliesTo.templates.1'), severity: 'warning', rule: 'references/filter-target' })]);
    expect(ds[0]!.message).toContain('did you mean "billing"?');
  });
});
