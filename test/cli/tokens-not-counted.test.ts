// `tokens` says which versions it could not count and why. Before, a version with a schema error
// elsewhere (`temperature: 7`) was silently left out of the table and the JSON ("TOTAL (1
// version)", nothing said), and a directory whose only version had one printed "no prompt
// versions under prompts" on stdout, though a version was there. Now a note on stderr after the
// errors names each version not counted, at the error that explains it, JSON has `notCounted`,
// and "nothing to count" goes to stderr as validate's "nothing to validate" does.
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
  const dir = await tempDir('promptctl-tokens-not-counted-');
  projects.push(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir.path, path)), { recursive: true });
    await writeFile(join(dir.path, path), content);
  }
  return dir.path;
}
const run = (cwd: string, ...args: string[]) => runCliInProcess(['tokens', ...args], { cwd });

const TEMPLATE = (name: string, model = 'gpt-4o') => `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: ${name}
spec:
  model: ${model}
`;
const VERSION = (template: string, version: string, extra = '') => `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: ${template}
  version: "${version}"
  systemInstruction: "You are a billing assistant."
  userTemplate: "Q: {{q}}"
  variables:
    - {name: q, type: string, maxLength: 100}
${extra}`;

describe('tokens: versions not counted', () => {
  it('names a version left out for a schema error, at that error, in text and in JSON', async () => {
    const cwd = await project({
      'prompts/billing.yaml': `${TEMPLATE('billing')}---\n${VERSION('billing', '1.0.0', '  temperature: 7\n')}---\n${VERSION('billing', '1.1.0')}`,
    });
    const text = await run(cwd);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('billing@1.1.0');
    expect(text.stdout).toContain('TOTAL (1 version)');
    expect(text.stdout).not.toContain('billing@1.0.0');
    const error = /^(prompts\/billing\.yaml:(\d+):(\d+)): error: .*temperature/m.exec(text.stderr);
    expect(error, text.stderr).not.toBeNull();
    const lines = text.stderr.trimEnd().split('\n');
    expect(lines.slice(-2)).toEqual(['1 version not counted, for the errors above:', `  billing@1.0.0: its document did not load (${error![1]})`]);

    const json = await run(cwd, '--format', 'json');
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { versions: { address: string }[]; notCounted: unknown };
    expect(doc.versions.map((v) => v.address)).toEqual(['PromptVersion/billing@1.1.0']);
    expect(doc.notCounted).toEqual([
      { address: 'PromptVersion/billing@1.0.0', reason: 'its document did not load', file: 'prompts/billing.yaml', line: Number(error![2]), column: Number(error![3]) },
    ]);
  });

  it('says no version was counted when the only one has a schema error, on stderr, not "no prompt versions" on stdout', async () => {
    const cases: Record<string, string>[] = [
      { 'prompts/v.yaml': VERSION('billing', '1.0.0', '  temperature: 7\n') }, // nothing loads at all
      { 'prompts/t.yaml': TEMPLATE('billing'), 'prompts/v.yaml': VERSION('billing', '1.0.0', '  temperature: 7\n') },
    ];
    for (const files of cases) {
      const cwd = await project(files);
      const r = await run(cwd);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toContain('no prompt versions under');
      expect(r.stderr).toMatch(/no prompt version under prompts counted: 1 version not counted, for the errors above:\n {2}billing@1\.0\.0: its document did not load \(prompts\/v\.yaml:\d+:\d+\)\n$/);
      const json = await run(cwd, '--format', 'json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ versions: [], notCounted: [{ address: 'PromptVersion/billing@1.0.0', reason: 'its document did not load', file: 'prompts/v.yaml' }] });
    }
  });

  it('names a version whose template is not defined, or did not load, and one whose model is unknown', async () => {
    const cwd = await project({
      'prompts/orphan.yaml': VERSION('nowhere', '1.0.0'),
      'prompts/broken.yaml': `${TEMPLATE('broken')}  description: 42\n---\n${VERSION('broken', '2.0.0')}`,
      'prompts/odd.yaml': `${TEMPLATE('odd', 'gpt-4oo')}---\n${VERSION('odd', '3.0.0')}`,
      'prompts/fine.yaml': `${TEMPLATE('fine')}---\n${VERSION('fine', '4.0.0')}`,
    });
    const r = await run(cwd, '--format', 'json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { versions: { address: string }[]; notCounted: { address: string; reason: string; file: string }[] };
    expect(doc.versions.map((v) => v.address)).toEqual(['PromptVersion/fine@4.0.0']);
    expect(doc.notCounted.map(({ address, reason, file }) => ({ address, reason, file }))).toEqual([
      { address: 'PromptVersion/broken@2.0.0', reason: 'its template "broken" did not load', file: 'prompts/broken.yaml' },
      { address: 'PromptVersion/nowhere@1.0.0', reason: 'its template "nowhere" is not defined', file: 'prompts/orphan.yaml' },
      { address: 'PromptVersion/odd@3.0.0', reason: 'its model "gpt-4oo" is unknown', file: 'prompts/odd.yaml' },
    ]);
    // Each points at an error printed above.
    const text = await run(cwd);
    for (const n of doc.notCounted as unknown as { file: string; line: number; column: number }[]) {
      expect(text.stderr).toContain(`${n.file}:${n.line}:${n.column}: error:`);
    }
    expect(text.stderr).toContain('3 versions not counted, for the errors above:');
  });

  it('says "nothing to count" on stderr when there is no version at all, exit 0, and JSON stays a document', async () => {
    const cwd = await project({ 'prompts/t.yaml': TEMPLATE('billing') });
    const r = await run(cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('no prompt versions under prompts: nothing to count\n');
    const json = await run(cwd, '--format', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ versions: [] });
  });

  it('counts a version defined twice once, at its first definition, and names the second as not counted', async () => {
    // Before: two rows both "billing@1.0.0" (and two JSON entries of one address), the second
    // counting the later text on the first template's model (gpt-4o, though its own says gpt-4).
    const cwd = await project({
      'prompts/a.yaml': `${TEMPLATE('billing')}---\n${VERSION('billing', '1.0.0')}`,
      'prompts/b.yaml': `${TEMPLATE('billing', 'gpt-4')}---\n${VERSION('billing', '1.0.0', '  maxTokens: 10\n')}`,
    });
    const text = await run(cwd);
    expect(text.code).toBe(1);
    expect(text.stdout.match(/^billing@1\.0\.0 /gm)).toHaveLength(1);
    expect(text.stdout).toContain('TOTAL (1 version)');
    const duplicate = /^(prompts\/b\.yaml:(\d+):(\d+)): error: version 1\.0\.0 of template "billing" is already defined/m.exec(text.stderr);
    expect(duplicate, text.stderr).not.toBeNull();
    const reason = 'it is defined again; only its first definition is counted';
    expect(text.stderr.trimEnd().split('\n').slice(-2)).toEqual(['1 version not counted, for the errors above:', `  billing@1.0.0: ${reason} (${duplicate![1]})`]);

    const json = await run(cwd, '--format', 'json');
    const doc = JSON.parse(json.stdout) as { versions: { address: string; model: string; maxTokens: number | null }[]; notCounted: unknown };
    expect(doc.versions.map(({ address, model, maxTokens }) => ({ address, model, maxTokens }))).toEqual([{ address: 'PromptVersion/billing@1.0.0', model: 'gpt-4o', maxTokens: null }]);
    expect(doc.notCounted).toEqual([
      { address: 'PromptVersion/billing@1.0.0', reason, file: 'prompts/b.yaml', line: Number(duplicate![2]), column: Number(duplicate![3]) },
    ]);
  });

  it('does not count a second definition in place of a first that has an unknown model', async () => {
    const cwd = await project({
      'prompts/a.yaml': `${TEMPLATE('billing')}---\n${VERSION('billing', '1.0.0', '  model: gpt-4oo\n')}`,
      'prompts/b.yaml': VERSION('billing', '1.0.0'),
    });
    const json = await run(cwd, '--format', 'json');
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { versions: unknown[]; notCounted: { address: string; reason: string; file: string }[] };
    expect(doc.versions).toEqual([]);
    expect(doc.notCounted.map(({ reason, file }) => ({ reason, file }))).toEqual([
      { reason: 'its model "gpt-4oo" is unknown', file: 'prompts/a.yaml' },
      { reason: 'it is defined again; only its first definition is counted', file: 'prompts/b.yaml' },
    ]);
  });

  it('says nothing more when every version is counted', async () => {
    const cwd = await project({ 'prompts/b.yaml': `${TEMPLATE('billing')}---\n${VERSION('billing', '1.0.0')}` });
    const r = await run(cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse((await run(cwd, '--format', 'json')).stdout)).not.toHaveProperty('notCounted');
  });
});
