// `tokens` shows a guide's or summary setting's free-text name in its table as every other view
// shows a name on a terminal (util/escapes.ts visibleName). Before, the AI Studio table printed
// it raw: an ESC in the name drove the terminal (`\x1b[31m` turned the rest red) and a bidi
// override reordered the row, though validate's own error says such names are refused because
// "names are printed in plans, logs and terminals".
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('tokens: names in the AI Studio table', () => {
  it('writes control characters and bidi controls of a name as escapes', async () => {
    dir = await tempDir('promptctl-tokens-names-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(
      join(dir.path, 'prompts/guides.yaml'),
      `apiVersion: promptctl/v1
kind: Guide
metadata: {name: "returns \\e[31mred\\e[0m"}
spec: {instruction: "Help with returns."}
---
apiVersion: promptctl/v1
kind: SummarySetting
metadata: {name: "wrap \\u202Eputcod"}
spec: {language: en-US, prompt: "Summarise the call."}
`,
    );
    const r = await runCliInProcess(['tokens'], { cwd: dir.path });
    expect(r.code).toBe(1); // names/control-character
    expect(r.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(r.stdout).toContain('Guide/returns \\u001b[31mred\\u001b[0m');
    expect(r.stdout).toContain('SummarySetting/wrap \\u202eputcod');
  });
});
