// A guide version's list variables nest (a List holds variables of its own), and a hostile body
// thousands deep overflowed the validator's stack: a 500 that failed other clients' writes in the
// same batch (a review found it). Past a depth no guide needs, the body is a 400 like any other.
import { describe, expect, it } from 'vitest';
import { validateAiStudio } from '../../../src/emulator/aistudio-validate.js';

function nested(levels: number): unknown {
  let v: Record<string, unknown> = { name: 'x', type: 'String', scope: 'Input' };
  for (let i = 0; i < levels; i++) v = { name: `v${i}`, type: 'List', scope: 'Input', listVariables: [v] };
  return { instruction: 'hi {{Variable.v0}}', variables: [v] };
}

describe('guide version bodies nested deep', () => {
  it('takes list variables a few levels deep and refuses thousands with a 400 naming the field', () => {
    expect(() => validateAiStudio('GuideVersionPatch', nested(3))).not.toThrow();
    let thrown: unknown;
    try {
      validateAiStudio('GuideVersionPatch', nested(3000));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ status: 400 });
    expect(String((thrown as Error).message)).toMatch(/is nested too deeply/);
  });

  it("bounds a free-form map the same way (a variable's validation)", () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 50_000; i++) deep = { a: deep };
    const body = { instruction: 'hi', variables: [{ name: 'x', type: 'String', scope: 'Input', validation: deep }] };
    expect(() => validateAiStudio('GuideVersionPatch', body)).toThrow(/variables\[0\]\.validation is nested too deeply/);
    expect(() => validateAiStudio('GuideVersionPatch', { ...body, variables: [{ ...body.variables[0], validation: { pattern: { a: 1 } } }] })).not.toThrow();
  });
});
