// A tag followed by a no-break space (or another space than ASCII's) before its value,
// `description: !!str<NBSP>text` pasted from a web page: YAML ends the tag there and needs an ASCII
// space after it. validate says so at the space, naming the space and the tag and what to do.
// Found in review: it was told as a space that 'starts the value' and that YAML 'reads as its first
// character', with 'or quote the text' as a fix, which still leaves no space after the tag
// ('starts the value ""hello""' for a quoted one), and an ideographic space there before Japanese
// text got yaml's own words, which name neither.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const template = (description: string) => `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing
spec:
  model: gpt-4o
  description: ${description}
`;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

async function validate(description: string): Promise<{ code: number; stdout: string; stderr: string }> {
  await dir?.remove();
  dir = await tempDir('promptctl-tag-space-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 't.yaml'), template(description));
  return runCliInProcess(['validate'], { cwd: dir.path });
}

const SAID = (space: string, tag: string) =>
  `${space} follows the tag "${tag}", and YAML needs an ASCII space between a tag and its value: put an ASCII space there (if the character belongs in the text, put the ASCII space before it and quote the text; the lines below are checked once it is) [yaml/syntax]`;

describe('a tag followed by a space other than ASCII\'s', () => {
  it('is said at the space, naming it and the tag, with the fix', async () => {
    const cases: Array<[string, string]> = [
      ['!!str\u00a0Answers billing questions', SAID('a non-breaking space (U+00A0)', '!!str')],
      ['!!str\u00a0"Answers billing questions"', SAID('a non-breaking space (U+00A0)', '!!str')],
      ['&d !!str\u00a0Answers', SAID('a non-breaking space (U+00A0)', '!!str')],
      // Before Japanese text too: a tag needs the ASCII space whatever follows.
      ['!!str\u3000日本語のお客様対応', SAID('an ideographic space (U+3000)', '!!str')],
    ];
    for (const [description, message] of cases) {
      const r = await validate(description);
      expect(r.code, description).toBe(1);
      const column = 16 + description.indexOf(description.includes('\u3000') ? '\u3000' : '\u00a0');
      expect(r.stdout.split('\n')[0], description).toBe(`prompts/t.yaml:7:${column}: error: ${message}`);
      expect(r.stdout).not.toMatch(/\n\s+at /);
    }
  });

  it('with an ASCII space after the tag, a no-break space starting the text is said as before', async () => {
    const r = await validate('!!str \u00a0Answers');
    expect(r.stdout.split('\n')[0]).toBe(
      'prompts/t.yaml:7:22: error: a non-breaking space (U+00A0) starts the value "Answers", and YAML reads it as its first character, not as a space: put an ASCII space there, or quote the text if the character belongs in it (the lines below are checked once it is) [yaml/syntax]',
    );
  });
});
