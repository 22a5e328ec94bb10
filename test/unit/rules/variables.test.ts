import { describe, expect, it } from 'vitest';
import { checkVariables } from '../../../src/rules/variables.js';
import { checkedVariables } from '../../../src/targets/llmgateway/variables.js';
import { at, state, variable, version } from './build.js';

const rules = (vars: Parameters<typeof variable>[]) => {
  const v = version('t', '1.0.0', { variables: vars.map((args) => variable(...args)) });
  return { v, ds: checkVariables(state({ versions: [v] })) };
};

describe('variables', () => {
  it('accepts consistent declarations', () => {
    expect(
      rules([
        ['a', { type: 'string', default: 'x', required: false }],
        ['b', { type: 'number', default: 3, required: false }],
        ['c', { type: 'boolean', default: false, required: false }],
        ['d', { type: 'enum', values: ['x', 'y'], default: 'y', required: false }],
      ]).ds,
    ).toEqual([]);
  });

  it('reports a duplicate name at the later one', () => {
    const { v, ds } = rules([['a', {}], ['a', {}]]);
    expect(ds).toEqual([expect.objectContaining({ ...at(v, 'spec.variables.1.name'), rule: 'variables/duplicate' })]);
  });

  it('checks default against type, values and maxLength', () => {
    const { v, ds } = rules([
      ['n', { type: 'number', default: '3', required: false }],
      ['s', { type: 'string', default: 42, required: false }],
      ['e', { type: 'enum', values: ['basic', 'plus'], default: 'bsic', required: false }],
      ['l', { type: 'string', maxLength: 3, default: 'long', required: false }],
    ]);
    expect(ds.map((d) => [d.line, d.rule, d.message])).toEqual([
      [at(v, 'spec.variables.0.default').line, 'variables/default-type', 'default of variable "n" is a string but its type is number; remove the quotes'],
      [at(v, 'spec.variables.1.default').line, 'variables/default-type', 'default of variable "s" is a number but its type is string; quote it'],
      [
        at(v, 'spec.variables.2.default').line,
        'variables/default-not-in-values',
        'default "bsic" of variable "e" is not one of its values (basic, plus) (did you mean "basic"?)',
      ],
      [at(v, 'spec.variables.3.default').line, 'variables/default-too-long', 'default of variable "l" is 4 characters, longer than maxLength 3'],
    ]);
  });

  it('says "remove the quotes" only of a default that unquoted would have its type', () => {
    const { ds } = rules([
      ['n', { type: 'number', default: 'abc', required: false }],
      ['b', { type: 'boolean', default: 'yes', required: false }],
      ['c', { type: 'boolean', default: 'TRUE', required: false }],
      ['m', { type: 'number', default: ' -2.5 ', required: false }],
    ]);
    expect(ds.map((d) => d.message)).toEqual([
      'default of variable "n" is a string but its type is number',
      'default of variable "b" is a string but its type is boolean; YAML 1.2 reads yes/no/on/off as text: write true or false',
      'default of variable "c" is a string but its type is boolean; remove the quotes',
      'default of variable "m" is a string but its type is number; remove the quotes',
    ]);
  });

  it('reports values on a non-enum, and enum values longer than maxLength', () => {
    const { ds } = rules([
      ['a', { type: 'string', values: ['x'] }],
      ['b', { type: 'enum', values: ['short', 'much-too-long'], maxLength: 5 }],
    ]);
    expect(ds.map((d) => d.rule)).toEqual(['variables/values-not-enum', 'variables/max-length']);
  });

  it('warns that a required variable with a default is not required, as the gateway fills the default in', () => {
    const { v, ds } = rules([['a', { default: 'x' }]]);
    expect(ds).toEqual([expect.objectContaining({ ...at(v, 'spec.variables.0.default'), severity: 'warning', rule: 'variables/required-with-default' })]);
    // What the warning says must be what a call does: one without the variable renders the default.
    expect(checkedVariables([{ name: 'a', type: 'string', required: true, default: 'x' }], '1.0.0', {}).values.get('a')).toBe('x');
    expect(ds[0]!.message).toBe(
      'variable "a" is required, yet a call that leaves it out gets its default: required has no effect; set required: false to say so (or remove the default to make callers send it)',
    );
  });
});
