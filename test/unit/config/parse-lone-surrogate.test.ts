// A `\ud800` escape in double-quoted YAML makes half a UTF-16 surrogate pair, no character: yaml
// kept it, validate passed, and plan, apply and every UTF-8 output (the PR comment, the audit
// trail, the gateway) then saw U+FFFD where the text hashed and counted held the half. It is
// refused at the escape, like the other input no output can carry (DESIGN §2).
import { afterEach, describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import { runCliInProcess } from '../../helpers/cli.js';
import { promptsIn, type TempDir } from '../../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const at = (src: string) => parseYaml(src, 'f.yaml').diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`);

describe('an escape that makes a lone surrogate', () => {
  it('is refused at the escape, in a value or a key, high or low, written \\u or \\U', () => {
    expect(at('a: 1\nb: "x \\ud800 y"\n')).toEqual(['2:7 yaml/escape']);
    expect(at('b: "ok \\ud83d\\ude00, \\udc00"\n')).toEqual(['1:22 yaml/escape']);
    expect(at('"\\ud800": 1\n')).toEqual(['1:2 yaml/escape']);
    expect(at('b: "\\U0000D800"\n')).toEqual(['1:5 yaml/escape']);
    // On the second line of a quoted text, at its own line and column.
    expect(at('b: "first line\n  then \\ud83d"\n')).toEqual(['2:8 yaml/escape']);
    expect(parseYaml('b: "\\ud800"\n', 'f.yaml').diagnostics[0]!.message).toMatch(/^\\ud800 is half of a UTF-16 surrogate pair, not a character/);
  });

  it('leaves a whole character alone: an escaped pair, \\U, and a backslash before text', () => {
    const r = parseYaml('a: "\\ud83d\\ude00 \\U0001F600 \\\\ud800"\nb: \'\\ud800\'\nc: \\ud800\n', 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]!.data).toEqual({ a: '😀 😀 \\ud800', b: '\\ud800', c: '\\ud800' });
  });

  it('fails validate and plan, nothing planned', async () => {
    dir = await promptsIn('promptctl-lone-surrogate-', { 't.yaml': 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: billing\nspec:\n  model: gpt-4o\n  description: "Bills \\ud83d"\n' }, 'prompts');
    for (const command of ['validate', 'plan']) {
      const r = await runCliInProcess([command], { cwd: dir.path });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/^prompts\/t\.yaml:7:23: error: \\ud83d is half of a UTF-16 surrogate pair.*\[yaml\/escape\]$/m);
    }
  });
});
