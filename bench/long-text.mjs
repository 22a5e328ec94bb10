// One long prompt text whose lines are indented with ideographic spaces (U+3000, as a Japanese
// paragraph is), validated against the same text indented with ASCII spaces: the checks of spaces
// other than ASCII's must stay linear in the text's lines (047fd598 found them quadratic, some 6 s
// against 0.2 s for 100,000 lines). A figure of the bench, not an assertion of a test: a duration
// asserted in a test fails on a busy machine and passes a slow build on an idle one.
// Plain JS (the bench runs without a build).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The text's lines: about 1.3 MB of YAML. */
export const LONG_TEXT_LINES = 100_000;

const HEAD = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ja-bot\nspec:\n  model: gpt-4o\n  description: 日本語の説明\n';

/** Writes DIR/prompts/t.yaml: a template whose description runs on for `lines` lines, each `indent` then Japanese text. */
export async function writeLongText(dir, indent, lines = LONG_TEXT_LINES) {
  await mkdir(join(dir, 'prompts'), { recursive: true });
  await writeFile(join(dir, 'prompts', 't.yaml'), HEAD + `   ${indent}日本\n`.repeat(lines));
}

/**
 * `repeat` validates of each text, alternating (a machine that slows for a while slows both):
 * `run(dir)` runs one and resolves to { code, wallMs }. Both exit 1, for the description's length
 * alone; any other exit code is a failure of the bench. Resolves to the runs of each.
 */
export async function measureLongText(dir, repeat, run) {
  const ascii = join(dir, 'ascii');
  const ideographic = join(dir, 'ideographic');
  await writeLongText(ascii, ' ');
  await writeLongText(ideographic, '\u3000');
  const runs = { ascii: [], ideographic: [] };
  for (let i = 0; i < repeat; i++) {
    for (const [name, at] of [['ascii', ascii], ['ideographic', ideographic]]) {
      const r = await run(at);
      if (r.code !== 1) throw new Error(`validate of the long text indented with ${name} spaces: exit ${r.code} (wanted 1, for the description's length)`);
      runs[name].push(r);
    }
  }
  return runs;
}
