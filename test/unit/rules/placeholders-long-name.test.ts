// A placeholder whose name is longer than 200 characters (`{{` name `}}`) was not read as one by
// the placeholder rules, whose pattern stopped at 200 characters, while the token count and the
// gateway read it as a placeholder: an undeclared variable passed validate, counted as no text and
// substituted at run time. It is now an undeclared placeholder like any other, its name cut short
// in the message; long text in braces that is no name stays text, as before.
import { describe, expect, it } from 'vitest';
import { checkPlaceholders } from '../../../src/rules/placeholders.js';
import { state, template, version } from './build.js';

describe('a placeholder with a very long name', () => {
  it('is undeclared, like a short one, and its name is cut in the message', () => {
    const name = `v${'x'.repeat(299)}`;
    const v = version('billing', '1.0.0', { systemInstruction: `Hello {{${name}}} and {{ ${'y'.repeat(100_000)} }}.`, userTemplate: 'hi', variables: [] });
    const ds = checkPlaceholders(state({ templates: [template('billing')], versions: [v] }));
    const undeclared = ds.filter((d) => d.rule === 'placeholders/undeclared');
    expect(undeclared).toHaveLength(2);
    expect(undeclared[0]!.message).toBe(`placeholder {{${name.slice(0, 40)}…}} in systemInstruction is not a declared variable; declare it under spec.variables`);
    for (const d of ds) expect(d.message.length).toBeLessThan(300);
  });

  it('leaves long text in braces that is no name alone', () => {
    const v = version('billing', '1.0.0', { systemInstruction: `Hello {{ ${'a b '.repeat(100)} }}.`, userTemplate: 'hi', variables: [] });
    expect(checkPlaceholders(state({ templates: [template('billing')], versions: [v] }))).toEqual([]);
  });
});
