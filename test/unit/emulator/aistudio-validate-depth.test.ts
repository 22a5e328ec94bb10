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
});
