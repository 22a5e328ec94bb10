import { describe, expect, it } from 'vitest';
import { checkPlaceholders, findPlaceholders } from '../../../src/rules/placeholders.js';
import { at, state, variable, version } from './build.js';

describe('placeholders', () => {
  it('finds placeholders with their exact line and column inside the text', () => {
    const v = version('t', '1.0.0', { systemInstruction: 'Hi {{ name }}.\n\n  Plan: {{plan}}', userTemplate: '{{q}}' });
    const { valid } = findPlaceholders(v);
    expect(valid.map((p) => [p.name, p.field, p.at.line, p.at.column])).toEqual([
      ['name', 'systemInstruction', 1000, 8],
      ['plan', 'systemInstruction', 1002, 13],
      ['q', 'userTemplate', 2000, 5],
    ]);
  });

  it('reports an undeclared placeholder where it is, once per field, with a did-you-mean', () => {
    const v = version('t', '1.0.0', {
      systemInstruction: 'Account {{acount}} and again {{acount}}',
      userTemplate: 'x\n{{acount}}',
      variables: [],
    });
    v.variables.push({ name: 'account', type: 'string', required: true, maxLength: 10 });
    v.userTemplate += ' {{account}}';
    const ds = checkPlaceholders(state({ versions: [v] }));
    expect(ds).toEqual([
      {
        file: 't-1.0.0.yaml',
        line: 1000,
        column: 13,
        severity: 'error',
        rule: 'placeholders/undeclared',
        message: 'placeholder {{acount}} in systemInstruction is not a declared variable (did you mean "account"?); declare it under spec.variables',
      },
      expect.objectContaining({ line: 2001, column: 5, rule: 'placeholders/undeclared' }),
    ]);
  });

  it('reports a misspelt placeholder once, where it is written, suggesting the declared variable it misspells', () => {
    const v = version('t', '1.0.0', { systemInstruction: 'Be kind.', userTemplate: 'Hello {{custmer}}', variables: [] });
    v.variables.push({ name: 'customer', type: 'string', required: true, maxLength: 20 });
    expect(checkPlaceholders(state({ versions: [v] }))).toEqual([
      {
        file: 't-1.0.0.yaml',
        line: 2000,
        column: 11,
        severity: 'error',
        rule: 'placeholders/undeclared',
        message: 'placeholder {{custmer}} in userTemplate is not a declared variable: did you mean {{customer}}? ("customer" is declared and not used)',
      },
    ]);
  });

  it('warns of a placeholder a brace short, where it starts, and says how to write it; whole placeholders and prose braces say nothing', () => {
    const v = version('t', '1.0.0', {
      systemInstruction: 'Hello {{customerName}, about {question}}.',
      userTemplate: 'Order {{order_id',
      variables: [variable('customerName'), variable('question'), variable('order_id')],
    });
    const ds = checkPlaceholders(state({ versions: [v] })).filter((d) => d.rule === 'placeholders/unclosed');
    expect(ds.map((d) => [d.line, d.column, d.severity, d.message])).toEqual([
      [1000, 11, 'warning', '"{{customerName}" in systemInstruction is a brace short of a placeholder; the gateway will send it as written: write {{customerName}}'],
      [1000, 34, 'warning', '"{question}}" in systemInstruction is a brace short of a placeholder; the gateway will send it as written: write {{question}}'],
      [2000, 11, 'warning', '"{{order_id" in userTemplate is a brace short of a placeholder; the gateway will send it as written: write {{order_id}}'],
    ]);
    const fine = version('t', '1.0.0', {
      systemInstruction: 'Use {{ a }} and {{b}}; JSON {"k": {"v": 1}}, a set {x}, {{{c}}} and {{. LaTeX \\textbf{\\emph{important}}, {k: {v}} for k in keys, {{x}, {y}} (names no variable holds)',
      userTemplate: '{{a}}',
      variables: [variable('a'), variable('b'), variable('c')],
    });
    expect(checkPlaceholders(state({ versions: [fine] })).filter((d) => d.rule === 'placeholders/unclosed')).toEqual([]);
  });

  it('reports a declared variable that is never used at its name', () => {
    const v = version('t', '1.0.0', { userTemplate: '{{a}}', variables: [variable('a'), variable('b')] });
    expect(checkPlaceholders(state({ versions: [v] }))).toEqual([
      expect.objectContaining({ ...at(v, 'spec.variables.1.name'), rule: 'placeholders/unused', severity: 'error' }),
    ]);
  });

  it('warns about malformed placeholders; a few-shot example is no prompt text (its placeholders are not declared or used)', () => {
    const v = version('t', '1.0.0', {
      userTemplate: '{{a}} {{ bad-name }} {{}}',
      variables: [variable('a')],
      fewShotExamples: [{ input: '{{ghost}}', output: 'x' }],
    });
    const ds = checkPlaceholders(state({ versions: [v] }));
    expect(ds.map((d) => [d.rule, d.severity, d.column])).toEqual([
      ['placeholders/malformed', 'warning', 11],
      ['placeholders/malformed', 'warning', 26],
      ['placeholders/in-example', 'warning', expect.any(Number)],
    ]);
  });

  // The warning quoted the name trimmed, "{{bad-name}}", which the text does not hold.
  it('quotes a malformed placeholder as written, its inner spaces kept', () => {
    const v = version('t', '1.0.0', { userTemplate: '{{a}} {{ bad-name }} {{  not a var\t}}', variables: [variable('a')] });
    expect(checkPlaceholders(state({ versions: [v] })).map((d) => d.message)).toEqual([
      '"{{ bad-name }}" in userTemplate is not a placeholder (names are letters, digits and _); the gateway will send it as written',
      '"{{  not a var\t}}" in userTemplate is not a placeholder (names are letters, digits and _); the gateway will send it as written',
    ]);
  });

  it('warns that a placeholder in a few-shot example is sent as written (the gateway fills only the prompt), once per field and name, where it is', () => {
    const v = version('t', '1.0.0', {
      userTemplate: '{{q}}',
      variables: [variable('q'), variable('name')],
      fewShotExamples: [{ input: 'I am {{name}}, {{ name }} again', output: 'Hello {{name}}' }],
    });
    const ds = checkPlaceholders(state({ versions: [v] }));
    const input = at(v, 'spec.fewShotExamples.0.input');
    expect(ds.filter((d) => d.rule === 'placeholders/in-example')).toEqual([
      {
        file: input.file,
        line: input.line,
        column: expect.any(Number),
        severity: 'warning',
        rule: 'placeholders/in-example',
        message:
          '{{name}} in fewShotExamples[0].input is sent as written: the gateway fills placeholders in systemInstruction and userTemplate only, not in few-shot examples; write an example value there',
      },
      expect.objectContaining({ rule: 'placeholders/in-example', message: expect.stringContaining('{{name}} in fewShotExamples[0].output') }),
    ]);
    // Not used by an example: the declared variable is still unused.
    expect(ds.filter((d) => d.rule === 'placeholders/unused')).toEqual([expect.objectContaining({ ...at(v, 'spec.variables.1.name') })]);
  });

  it('stays linear on a hostile text', () => {
    const v = version('t', '1.0.0', { userTemplate: `{{${' '.repeat(1_000_000)}${'{{'.repeat(200_000)}` });
    expect(checkPlaceholders(state({ versions: [v] }))).toEqual([]);
  });
});
