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
