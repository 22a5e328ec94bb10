// A guide whose instruction is blank validated and was published, but serves nothing, and export
// takes a guide without an instruction for a new one not written yet and leaves it out, so git and
// the export of the org disagreed. validate now refuses it at the instruction.
import { describe, expect, it } from 'vitest';
import { checkGuides } from '../../../src/rules/guides.js';
import { guide, state } from './build.js';

describe('a guide with a blank instruction', () => {
  it('is an error at the instruction, whatever its publish state', () => {
    for (const instruction of ['', '  \n\t']) {
      for (const publish of ['ProductionReady', 'TestReady', 'Draft'] as const) {
        const ds = checkGuides(state({ guides: [guide('Returns', { instruction, publish })] }));
        expect(ds.map((d) => [d.rule, d.severity]), `${JSON.stringify(instruction)} ${publish}`).toEqual([['guides/empty-instruction', 'error']]);
        expect(ds[0]!.message).toBe('the instruction is blank: a guide without one serves nothing (and export leaves such a guide out, taking it for one not written yet); write the instruction');
      }
    }
    expect(checkGuides(state({ guides: [guide('Returns', { instruction: 'Help.' })] }))).toEqual([]);
  });
});
