// `tokens` prints what it quotes of the files masked where it holds a credential, as validate's
// diagnostics are. Before, the diagnostics said `unknown model "[redacted: an API key (sk-…)]"`
// while the note under them repeated the key (`its model "sk-…" is unknown`), a broken version's
// template was quoted whole in its address, and a guide's free-text name was printed as written
// in the AI Studio table, in text and in JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const projects: TempDir[] = [];
afterEach(async () => {
  await Promise.all(projects.splice(0).map((d) => d.remove()));
});
async function project(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('promptctl-tokens-credentials-');
  projects.push(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir.path, path)), { recursive: true });
    await writeFile(join(dir.path, path), content);
  }
  return dir.path;
}
const run = (cwd: string, ...args: string[]) => runCliInProcess(['tokens', ...args], { cwd });

const API_KEY = 'sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD';
const GITHUB_TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

const FILES = {
  'prompts/model.yaml': `apiVersion: promptctl/v1
kind: PromptTemplate
metadata: {name: billing}
spec: {model: "${API_KEY}"}
---
apiVersion: promptctl/v1
kind: PromptVersion
spec: {template: billing, version: "1.0.0", systemInstruction: "Be brief.", userTemplate: "Hi"}
`,
  'prompts/template.yaml': `apiVersion: promptctl/v1
kind: PromptVersion
spec: {template: "${API_KEY.toUpperCase().replace('SK-', 'sk-')}", version: "1.0.0", systemInstruction: "Be brief.", userTemplate: "Hi"}
`,
  'prompts/guide.yaml': `apiVersion: promptctl/v1
kind: Guide
metadata: {name: "returns ${GITHUB_TOKEN} guide"}
spec: {instruction: "Help with returns."}
`,
};

describe('tokens: credentials quoted from the files', () => {
  for (const format of ['text', 'json']) {
    it(`are masked in the table, the versions not counted and the diagnostics (${format})`, async () => {
      const cwd = await project(FILES);
      const r = await run(cwd, '--format', format);
      expect(r.code).toBe(1);
      const all = r.stdout + r.stderr;
      expect(all).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
      expect(all).not.toContain('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
      // Still said, by kind: which version was not counted and why, and the guide's row.
      const quote = format === 'json' ? '\\"' : '"';
      expect(all).toContain(`its model ${quote}[redacted: an API key (sk-…)]${quote} is unknown`);
      expect(all).toContain('[redacted: an API key (sk-…)]@1.0.0');
      expect(all).toContain('Guide/returns [redacted: a GitHub token] guide');
      if (format === 'json') {
        const doc = JSON.parse(r.stdout) as { notCounted: { address: string; reason: string }[]; guides: { address: string }[] };
        expect(doc.notCounted.map((n) => n.address).sort()).toEqual(['PromptVersion/[redacted: an API key (sk-…)]@1.0.0', 'PromptVersion/billing@1.0.0']);
        expect(doc.guides.map((g) => g.address)).toEqual(['Guide/returns [redacted: a GitHub token] guide']);
      }
    });
  }
});
