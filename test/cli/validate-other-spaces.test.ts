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
import { writeLongText } from '../../bench/long-text.mjs';

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
  // each line up from the document down). What is said of it is checked here; how fast, against
  // the same text indented with ASCII spaces, is the bench's figure (bench/long-text.mjs): a
  // duration asserted in a test fails on a busy machine.
  it('says only the description\'s length, as of the same text indented with ASCII spaces', { timeout: 60_000 }, async () => {
    dir = await tempDir('promptctl-validate-other-spaces-');
    const said = async (indent: string): Promise<string> => {
      const at = join(dir.path, indent === I ? 'ideographic' : 'ascii');
      await writeLongText(at, indent);
      const r = await runCliInProcess(['validate'], { cwd: at });
      expect(r.code).toBe(1);
      return r.stdout;
    };
    const ascii = await said(' ');
    const ideographic = await said(I);
    // The paragraph's indent is text: only the description's length is said, as for ASCII spaces.
    expect(ideographic).toMatch(/^prompts\/t\.yaml:7:16: error: spec\.description must be at most 1024 characters long/);
    expect(ideographic.split('\n').filter((l) => l.includes(': error:'))).toHaveLength(1);
    expect(ascii).toMatch(/^prompts\/t\.yaml:7:16: error: spec\.description must be at most 1024 characters long/);
  });
});
