// Aligned tables measure a cell as a terminal shows it: a guide or a test case named in Japanese
// takes two columns a character, an accent written as a combining mark none. Counted in code
// points, the tokens command's AI Studio table shifted every column after a Japanese guide's name
// by 8 and after an NFD "Café" by 1 (a review).
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { alignColumns } from '../../../src/views/table.js';
import { renderTextTable } from '../../../src/views/tokens.js';
import type { TextTokenReport } from '../../../src/tokens/index.js';

/** Where each column starts on the screen, by the header's words. */
function starts(line: string, words: readonly string[]): number[] {
  return words.map((w) => stringWidth(line.slice(0, line.indexOf(w))));
}

describe('aligned columns', () => {
  it('line up after wide and combining characters', () => {
    const lines = alignColumns(['NAME', 'MODEL', 'TOKENS'], [['返品アシスタント', 'gpt-4o', '12'], ['Cafe\u0301 guide', 'gpt-4', '7'], ['plain', 'x', '1']], new Set([2]));
    const modelAt = stringWidth(lines[0]!.slice(0, lines[0]!.indexOf('MODEL')));
    for (const [i, model] of [[1, 'gpt-4o'], [2, 'gpt-4'], [3, 'x']] as const) {
      expect(stringWidth(lines[i]!.slice(0, lines[i]!.indexOf(model))), lines[i]).toBe(modelAt);
    }
    // Right-aligned numbers end in the same screen column.
    expect(new Set(lines.map((l) => stringWidth(l))).size).toBe(1);
  });

  it("keep the tokens command's AI Studio table in line", () => {
    const guide = (name: string): TextTokenReport => ({ address: `Guide/${name}`, model: null, encoding: 'o200k_base', approximate: true, textTokens: 120, maxPromptTokens: null, contextWindow: null });
    const table = renderTextTable({ guides: [guide('返品アシスタント'), guide('Cafe\u0301 guide'), guide('Returns')], summarySettings: [], notCounted: [] } as never);
    const rows = table.split('\n').slice(0, 4);
    const header = ['MODEL', 'TEXT'].filter((w) => rows[0]!.includes(w));
    expect(header.length).toBeGreaterThan(0);
    const at = starts(rows[0]!, header);
    const widths = new Set(rows.slice(1).map((r) => stringWidth(r.slice(0, r.lastIndexOf('≈')))));
    expect(widths.size, rows.join('\n')).toBe(1);
    expect(at.every((n) => n > 0)).toBe(true);
  });
});
