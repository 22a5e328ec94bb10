// The note export gives when the prompts directory's promptctl.yaml, which it checked with and
// plan --dir OUT does not read, changes what the check finds: said for any difference (an error
// only the bare check finds, or one only the Config makes), never when there is none.
import { describe, expect, it } from 'vitest';
import { configFindings, configModels, configNote } from '../../../src/cli/export-config.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';

const at = (file: string, line: number, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({ file, line, column: 3, severity, rule: 'tokens/context-window', message });
const base = { config: 'prompts/promptctl.yaml', source: 'prompts', out: 'adopted' };

describe('configFindings', () => {
  it('tells apart the errors of the two checks, leaving out warnings and the Config file own', () => {
    const same = at('adopted/a.yaml', 1, 'same');
    const f = configFindings(
      [same, at('adopted/b.yaml', 2, 'only with'), at('adopted/promptctl.yaml', 4, 'the Config own')],
      [same, at('adopted/c.yaml', 3, 'only without'), at('adopted/d.yaml', 5, 'a warning', 'warning')],
      'adopted/promptctl.yaml',
    );
    expect(f.added.map((d) => d.message)).toEqual(['only without']);
    expect(f.dropped.map((d) => d.message)).toEqual(['only with']);
  });
});

describe('configModels', () => {
  it('splits the used models the Config declares into new ones and overridden built-ins', () => {
    expect(configModels(['zeta', 'gpt-4o', 'acme', 'unused'], new Set(['gpt-4o', 'acme', 'zeta']), new Set(['gpt-4o']))).toEqual({ declares: ['acme', 'zeta'], overrides: ['gpt-4o'] });
  });
});

describe('configNote', () => {
  it('is none when the Config changes nothing the check finds', () => {
    expect(configNote({ ...base, models: { declares: [], overrides: ['gpt-4o'] }, findings: { added: [], dropped: [] } })).toBeUndefined();
  });

  it('names errors the check found that plan --dir OUT will not, with a setting other than a model', () => {
    const note = configNote({ ...base, models: { declares: [], overrides: [] }, findings: { added: [], dropped: [at('adopted/a.yaml', 7, 'too long'), at('adopted/b.yaml', 8, 'too long')] } });
    expect(note).toBe(
      'note: the export was checked with prompts/promptctl.yaml, which plan --dir adopted does not read (export writes no promptctl.yaml); without it plan does not find 2 of the errors above ' +
        '(adopted/a.yaml:7:3: too long [tokens/context-window], and 1 more): copy it into adopted before `promptctl plan --dir adopted`, or move the files into prompts',
    );
  });

  it('says both ways a Config changes the check, and the models it sets', () => {
    const note = configNote({ ...base, out: 'my out', models: { declares: ['acme', 'zeta'], overrides: ['gpt-4o'] }, findings: { added: [at('my out/a.yaml', 1, 'unknown')], dropped: [at('my out/b.yaml', 2, 'over')] } });
    expect(note).toBe(
      "warning: the export was checked with prompts/promptctl.yaml, which plan --dir 'my out' does not read (export writes no promptctl.yaml); it declares models acme, zeta and overrides model gpt-4o, and without it plan finds 1 error this check did not " +
        "(my out/a.yaml:1:3: unknown [tokens/context-window]) and does not find the error above (my out/b.yaml:2:3: over [tokens/context-window]): copy it into my out before `promptctl plan --dir 'my out'`, or move the files into prompts",
    );
  });
});
