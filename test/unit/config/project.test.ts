import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/project.js';
import { UserError } from '../../../src/util/errors.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const TEMPLATE = (name = 'billing') =>
  `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ${name}\nspec:\n  model: gpt-4o\n`;
const VERSION = (template: string, version: string, extra = '') =>
  `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: ${template}\n  version: "${version}"\n  systemInstruction: Be brief.\n  userTemplate: "{{q}}"\n  variables:\n    - {name: q, type: string, maxLength: 100}\n${extra}`;

let dir: string;
async function write(rel: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), text);
}
const load = () => loadProject({ dir: 'p', cwd: path.dirname(dir) });

beforeEach(async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'promptctl-project-'));
  dir = path.join(base, 'p');
  await mkdir(dir);
});
afterEach(() => rm(path.dirname(dir), { recursive: true, force: true }));

describe('loadProject on the example prompts/', () => {
  it('loads every kind cleanly, with defaults, resolved files and locations', async () => {
    const r = await loadProject({ dir: 'prompts', cwd: ROOT });
    expect(r.diagnostics).toEqual([]);
    const s = r.state!;
    expect(s.templates.map((t) => t.name)).toEqual(['billing-assistant', 'support-triage']);
    expect(s.versions.map((v) => `${v.template}@${v.version}`)).toEqual([
      'billing-assistant@1.0.0',
      'billing-assistant@1.1.0',
      'support-triage@1.0.0',
      'support-triage@2.0.0',
      'support-triage@2.1.0-beta.1',
    ]);
    expect(s.splits.map((x) => [x.template, x.strategy, x.stickyKey])).toEqual([
      ['billing-assistant', 'random', undefined],
      ['support-triage', 'sticky', 'conversationId'],
    ]);
    expect(s.filters.map((f) => [f.name, f.enabled])).toEqual([
      ['billing-pii-guard', true],
      ['political-content-flag', false],
    ]);
    expect(s.config).toMatchObject({ defaultVariableTokens: 1000, prune: false, audit: { file: '.promptctl/audit.jsonl', http: [] } });

    const v11 = s.versions[1]!;
    const md = await readFile(path.join(ROOT, 'prompts/billing-assistant/system-v1.1.0.md'), 'utf8');
    expect(v11.systemInstruction).toBe(md);
    expect(v11.textFiles).toEqual({ 'spec.systemInstruction': 'prompts/billing-assistant/system-v1.1.0.md' });
    expect(v11.textOrigins?.['spec.systemInstruction']).toEqual({
      file: 'prompts/billing-assistant/system-v1.1.0.md',
      line: 1,
      column: 1,
      exact: true,
      indentColumn: 1,
    });
    // A block scalar keeps its final newline.
    expect(v11.userTemplate).toBe('Customer: {{customerName}} (plan: {{plan}})\nQuestion: {{question}}\n');
    expect(v11.variables[1]).toEqual({ name: 'plan', type: 'enum', required: false, default: 'basic', values: ['basic', 'plus', 'business'] });
    expect(v11.variables[0]!.required).toBe(true);
    expect(v11.safetyGuardrails).toEqual({ piiFilter: true, jailbreakDetection: true, outputModeration: true });
    expect(v11.source).toEqual({ file: 'prompts/billing-assistant/v1.1.0.yaml', line: 6, column: 1 });
    expect(v11.locations['spec.variables.1.name']).toEqual({ file: 'prompts/billing-assistant/v1.1.0.yaml', line: 19, column: 13 });
    expect(s.templates[1]!.budget).toEqual({ maxPromptTokens: 3000, warnAt: 0.9 });
    expect(r.files).toContain('prompts/billing-assistant/system-v1.1.0.md');
    expect(r.files).toEqual([...r.files].sort());
    expect(s.files).toEqual(r.files);
  });
});

describe('loadProject', () => {
  it('refuses a missing directory or a file as a UserError', async () => {
    await expect(loadProject({ dir: 'nope', cwd: dir })).rejects.toThrow(UserError);
    await write('f.yaml', TEMPLATE());
    await expect(loadProject({ dir: 'f.yaml', cwd: dir })).rejects.toThrow(/not a directory/);
  });

  it('skips node_modules, dot-directories and non-YAML files; reads .yml', async () => {
    await write('node_modules/x/a.yaml', 'broken: [');
    await write('.git/a.yaml', 'broken: [');
    await write('notes.txt', 'broken: [');
    await write('t.yml', TEMPLATE());
    const r = await load();
    expect(r.diagnostics).toEqual([]);
    expect(r.files).toEqual(['p/t.yml']);
    expect(r.state!.templates).toHaveLength(1);
  });

  it('applies defaults to an empty prompts directory', async () => {
    const r = await load();
    expect(r.diagnostics).toEqual([]);
    expect(r.state).toMatchObject({ templates: [], versions: [], config: { defaultVariableTokens: 1000, models: {}, prune: false } });
  });

  it('keeps loading after a broken document, and does not cascade into references to it', async () => {
    await write('a.yaml', TEMPLATE().replace('model: gpt-4o', 'model: gpt-4o\n  colour: blue'));
    await write('b.yaml', VERSION('billing', '1.0.0'));
    await write('c.yaml', `${TEMPLATE('other')}---\n${VERSION('other', '1.0.0')}`);
    const r = await load();
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`)).toEqual(['p/a.yaml:7:3 schema/unknown-field']);
    expect(r.state!.templates.map((t) => t.name)).toEqual(['other']);
    expect(r.state!.versions).toHaveLength(2);
  });

  it('reports a cross-file duplicate at the later file, naming the earlier', async () => {
    await write('a/v.yaml', `${TEMPLATE()}---\n${VERSION('billing', '1.0.0')}`);
    await write('b/v.yaml', `# again\n${VERSION('billing', '1.0.0')}`);
    const r = await load();
    expect(r.diagnostics).toEqual([
      {
        file: 'p/b/v.yaml',
        line: 6,
        column: 12,
        severity: 'error',
        rule: 'names/duplicate',
        message: 'version 1.0.0 of template "billing" is already defined at p/a/v.yaml:12:12; add a new version instead',
      },
    ]);
  });

  it('resolves {file:} relative to the prompts directory and hints when written relative to the YAML', async () => {
    await write('billing/text.md', 'Hello {{q}}\n');
    await write('billing/v.yaml', `${TEMPLATE()}---\n${VERSION('billing', '1.0.0').replace('"{{q}}"', '{file: text.md}')}`);
    const r = await load();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        file: 'p/billing/v.yaml',
        line: 14,
        column: 24,
        rule: 'file-ref/missing',
        message: 'file "text.md" not found in the prompts directory (paths are relative to the prompts directory: did you mean "billing/text.md"?)',
      }),
    ]);
  });

  it('refuses a binary referenced file', async () => {
    await write('t.md', 'ok\u0000');
    await write('v.yaml', `${TEMPLATE()}---\n${VERSION('billing', '1.0.0').replace('"{{q}}"', '{file: t.md}')}`);
    const r = await load();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ file: 'p/v.yaml', line: 14, column: 24, rule: 'file-ref/not-text', message: 'file "t.md": binary file (NUL byte); expected UTF-8 text (at 1:3)' }),
    ]);
  });

  it('reads Config only from promptctl.yaml at the top, once', async () => {
    const config = 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  defaultVariableTokens: 50\n  models:\n    my-model: {encoding: cl100k_base, contextWindow: 8000}\n';
    await write('promptctl.yaml', `${config}---\n${config}`);
    await write('sub/promptctl.yaml', config);
    await write('t.yaml', config);
    const r = await load();
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`)).toEqual([
      'p/promptctl.yaml:9 config/duplicate',
      'p/sub/promptctl.yaml:2 config/misplaced',
      'p/t.yaml:2 config/misplaced',
    ]);
    expect(r.state!.config).toMatchObject({ defaultVariableTokens: 50, models: { 'my-model': { encoding: 'cl100k_base', contextWindow: 8000 } } });
    expect(r.state!.config.source).toEqual({ file: 'p/promptctl.yaml', line: 2, column: 1 });
  });

  it('refuses other kinds inside promptctl.yaml', async () => {
    await write('promptctl.yaml', TEMPLATE());
    const r = await load();
    expect(r.diagnostics).toEqual([expect.objectContaining({ file: 'p/promptctl.yaml', line: 2, rule: 'config/misplaced' })]);
  });

  it('sorts diagnostics by file, line and column across the pipeline stages', async () => {
    await write('b.yaml', 'x: [\n');
    await write('a.yaml', `${TEMPLATE()}---\n${VERSION('billing', '1.0.0').replace('Be brief.', 'Be brief {{z}}.')}---\n${VERSION('nope', '2.0.0')}`);
    const r = await load();
    const keys = r.diagnostics.map((d) => [d.file, d.line, d.column]);
    expect(keys).toEqual([...keys].sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : (x[1] as number) - (y[1] as number) || (x[2] as number) - (y[2] as number))));
    expect(r.diagnostics.map((d) => d.rule)).toEqual(['placeholders/undeclared', 'references/unknown-template', 'yaml/syntax']);
  });
});
