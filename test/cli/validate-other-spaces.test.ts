// Prompt text in languages that use spaces other than ASCII's routinely (Japanese and Chinese
// paragraphs indented with U+3000, French no-break spaces before ":" ";" "!" "?" "»" and after
// "«", NBSP thousands separators) is valid as it shows, in every YAML style and in {file:} texts,
// which are not YAML; validate must say nothing of it. Found in review: a Japanese paragraph's
// ideographic indent in a plain value was a yaml/syntax error.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const I = '\u3000';
const N = '\u00a0';
const NN = '\u202f';

const TEMPLATE = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: ja-bot
  labels: {team: support}
spec:
  description: ${I}日本語と中文のお客様対応。料金は1${N}000${N}円から、«${N}Prix${N}» 1${N}000${N}€${NN}!
  model: gpt-4o
`;

const VERSION = `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: ja-bot
  version: "1.0.0"
  systemInstruction: あなたはサポート担当です。
    ${I}丁寧に答えてください。

    ${I}${I}第二段：请礼貌地回答。
  userTemplate: {file: ja-bot/user.md}
  variables:
    - name: question
      type: string
      maxLength: 200
      description: "Question du client${N}: texte libre${NN}; «${N}exemple${N}»${N}"
    - name: tone
      type: string
      maxLength: 200
      description: 'Ton${NN}? poli${N}! '
  fewShotExamples:
    - input: ${I}料金はいくらですか？
      output: |
        ${I}料金は1${N}000円です。
        ${I}ご不明点があればお知らせください。
    - input: Combien ça coûte${NN}?
      output: >-
        ${I}Cela coûte 1${N}000${N}€${N}; merci${N}!
        Cena je 1${N}000${N}000 Kč.
    - {input: ${I}你好, output: "Bonjour${N}!"}
`;

// A {file:} text is the prompt as it is: lines a YAML reading would find fault with are its own.
const USER = `${I}質問：{{question}}（{{tone}}）\n${N}: ; ! ?\n  ${N}- [a,${N}b]\nkey:${N}value # ${N}\n&x${N}y\n`;

let dir: TempDir;
afterEach(async () => {
  await dir.remove();
});

describe('validate: spaces other than ASCII\'s in real prompt text', () => {
  it('Japanese, Chinese, French and NBSP-grouped numbers in every YAML style and a {file:} text: no diagnostic', async () => {
    dir = await tempDir('promptctl-validate-other-spaces-');
    await mkdir(join(dir.path, 'prompts/ja-bot'), { recursive: true });
    await writeFile(join(dir.path, 'prompts/ja-bot/template.yaml'), TEMPLATE);
    await writeFile(join(dir.path, 'prompts/ja-bot/v1.0.0.yaml'), VERSION.replace(/\n/g, '\r\n'));
    await writeFile(join(dir.path, 'prompts/ja-bot/user.md'), USER);
    const r = await runCliInProcess(['validate', '--format', 'json'], { cwd: dir.path });
    expect(JSON.parse(r.stdout).diagnostics).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('validate: a long text indented with ideographic spaces', () => {
  // From review: a 1.3 MB plain value of 100,000 lines each indented with U+3000 took 6.3 s to
  // validate (the checks of such spaces quoted the value's start for each of its lines and looked
  // each line up from the document down), where the same text indented with ASCII spaces takes a
  // fraction of a second. Compared with that text on the same machine, so a busy one fails neither.
  it('is checked in time linear in its lines: about as fast as the same text indented with ASCII spaces', { timeout: 180_000 }, async () => {
    dir = await tempDir('promptctl-validate-other-spaces-');
    const head = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ja-bot\nspec:\n  model: gpt-4o\n  description: 日本語の説明\n';
    const fastest = async (indent: string): Promise<{ ms: number; out: string }> => {
      const at = join(dir.path, indent === I ? 'ideographic' : 'ascii');
      await mkdir(join(at, 'prompts'), { recursive: true });
      await writeFile(join(at, 'prompts', 't.yaml'), head + `   ${indent}日本\n`.repeat(100_000));
      let ms = Infinity;
      let out = '';
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const r = await runCliInProcess(['validate'], { cwd: at });
        ms = Math.min(ms, performance.now() - started);
        out = r.stdout;
      }
      return { ms, out };
    };
    const ascii = await fastest(' ');
    const ideographic = await fastest(I);
    // The paragraph's indent is text: only the description's length is said, as for ASCII spaces.
    expect(ideographic.out).toMatch(/^prompts\/t\.yaml:7:16: error: spec\.description must be at most 1024 characters long/);
    expect(ideographic.out.split('\n').filter((l) => l.includes(': error:'))).toHaveLength(1);
    expect(ascii.out).toMatch(/^prompts\/t\.yaml:7:16: error: spec\.description must be at most 1024 characters long/);
    expect(ideographic.ms, `${Math.round(ideographic.ms)} ms with U+3000, ${Math.round(ascii.ms)} ms with ASCII spaces`).toBeLessThan(ascii.ms * 4 + 200);
  });
});
