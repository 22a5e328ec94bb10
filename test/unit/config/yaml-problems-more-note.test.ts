// The "more YAML problems in this document after line N" note says some problems were left out.
// yaml reports one mistake two or three times on a line, and those echoes are shown once; the
// note counted them, so a document whose every problem line was shown got the note anyway, in
// the middle of the list (after line 5, then line 6's problem).
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';

const MORE = /^more YAML problems/;

describe('the "more YAML problems" note', () => {
  it('is not added when every line with a problem is shown', () => {
    const src = '"just a string"\nspec:\n  template: billing\n  version: "1.0.0"\n  systemInstruction: s\n  userTemplate: u\n';
    const ds = parseYaml(src, 'f.yaml').diagnostics;
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.filter((d) => MORE.test(d.message))).toEqual([]);
    expect(ds.map((d) => d.line)).toEqual([...new Set(ds.map((d) => d.line))]);
  });

  it('is added after the tenth line shown, pointing at the first line left out', () => {
    const ds = parseYaml('k: v\n'.repeat(14), 'f.yaml').diagnostics;
    expect(ds.map((d) => d.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(ds[10]!.message).toBe('more YAML problems in this document after line 11');
  });
});
