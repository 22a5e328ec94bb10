// The house rules of ARCHITECTURE.md, enforced: every import in src/ is checked against the
// allowed-imports table in that file (read from it, so the document and the check cannot drift).
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const SRC = join(REPO, 'src');

interface Allowance {
  typesOnly: boolean;
  /** Only these modules (basenames without extension), when set. */
  modules?: string[];
}
type Table = Map<string, Map<string, Allowance> | 'anything'>;

/** The "Allowed imports" table of ARCHITECTURE.md. */
export function readTable(markdown: string): Table {
  const section = markdown.split(/^## Allowed imports$/m)[1];
  if (!section) throw new Error('ARCHITECTURE.md has no "## Allowed imports" section');
  const table: Table = new Map();
  for (const line of section.split('\n')) {
    const m = /^\|\s*([a-z][a-z, ]*?)\s*\|\s*(.*?)\s*\|$/.exec(line);
    if (!m || m[1] === 'folder') continue;
    const folder = m[1]!;
    if (m[2] === 'anything') {
      table.set(folder, 'anything');
      continue;
    }
    const allowed = new Map<string, Allowance>();
    for (const entry of m[2]!.match(/[a-z]+(?:\s*\([^)]*\))?/g) ?? []) {
      const e = /^([a-z]+)(?:\s*\(([^)]*)\))?$/.exec(entry)!;
      const note = e[2]?.split(',').map((s) => s.trim());
      if (!note) allowed.set(e[1]!, { typesOnly: false });
      else if (note.length === 1 && note[0] === 'types') allowed.set(e[1]!, { typesOnly: true });
      else allowed.set(e[1]!, { typesOnly: false, modules: note });
    }
    table.set(folder, allowed);
  }
  return table;
}

export interface ImportEdge {
  file: string; // relative to the repository
  line: number;
  from: string;
  to: string;
  module: string; // the imported file's basename without extension
  typeOnly: boolean;
}

/** Every relative import (static, re-export and dynamic) of one source file. */
export function importsOf(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const from = posix.normalize(relative(SRC, file).split('\\').join('/')).split('/')[0]!;
  const re = /(?:^|\n)\s*(import|export)(\s+type)?\s*([^;]*?)\s*from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[4] ?? m[5]!;
    const target = relative(SRC, resolve(file, '..', spec)).split('\\').join('/');
    if (target.startsWith('..')) continue;
    const [to] = target.split('/');
    const names = m[3] ?? '';
    // `import type {..}`, or every named specifier marked `type`.
    const specifiers = /^\{([\s\S]*)\}$/.exec(names.trim())?.[1]?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
    const typeOnly = Boolean(m[2]) || (specifiers.length > 0 && specifiers.every((s) => s.startsWith('type ')));
    const line = text.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0);
    edges.push({ file: relative(REPO, file), line, from, to: to!, module: posix.basename(target).replace(/\.[jt]s$/, ''), typeOnly: typeOnly && !m[5] });
  }
  return edges;
}

/** What is wrong with one edge, or undefined when the table allows it. */
export function violation(table: Table, e: ImportEdge): string | undefined {
  if (e.from === e.to) return undefined;
  const rules = table.get(e.from);
  if (rules === 'anything') return undefined;
  const where = `${e.file}:${e.line}: ${e.from} → ${e.to}`;
  if (!rules) return `${where}: folder src/${e.from} is not in ARCHITECTURE.md's table`;
  const a = rules.get(e.to);
  if (!a) return `${where} is not allowed (${e.from} may import: ${[...rules.keys()].join(', ') || 'nothing'})`;
  if (a.typesOnly && !e.typeOnly) return `${where} must be a type-only import`;
  if (a.modules && !a.modules.includes(e.module)) return `${where}/${e.module} is not allowed (only ${a.modules.join(', ')})`;
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

describe('ARCHITECTURE.md', () => {
  const table = readTable(readFileSync(join(REPO, 'ARCHITECTURE.md'), 'utf8'));

  it('every import in src/ follows the allowed-imports table', () => {
    const problems = sourceFiles(SRC).flatMap((f) =>
      importsOf(f, readFileSync(f, 'utf8'))
        .map((e) => violation(table, e))
        .filter((v): v is string => v !== undefined),
    );
    expect(problems).toEqual([]);
  });

  it('lists every folder of src/', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.filter((f) => !table.has(f))).toEqual([]);
  });

  // It named PromptTemplate and PromptVersion alone, while Guide and SafetyFilter keep theirs there too.
  it('names every kind that keeps its planning in plan.ts', () => {
    const text = readFileSync(join(REPO, 'ARCHITECTURE.md'), 'utf8').replace(/\s+/g, ' ');
    const named = /keeps it in `plan\.ts` beside it \(([^)]*)\)/.exec(text)?.[1]?.split(', ').sort();
    const kinds = join(SRC, 'kinds');
    const withPlan = readdirSync(kinds, { withFileTypes: true })
      .filter((d) => d.isDirectory() && readdirSync(join(kinds, d.name)).includes('plan.ts'))
      .map((d) => d.name)
      .sort();
    expect(named).toEqual(withPlan);
  });

  it('names a forbidden edge, such as plan importing a target, with its file and line', () => {
    const file = join(SRC, 'plan', 'build.ts');
    const text = "// x\nimport { readLiveState } from '../targets/llmgateway/live.js';\n";
    const [edge] = importsOf(file, text);
    expect(violation(table, edge!)).toBe(
      'src/plan/build.ts:2: plan → targets is not allowed (plan may import: kinds, model, tokens, util)',
    );
    const typeEdge = importsOf(join(SRC, 'kinds', 'x.ts'), "import { GatewayApi } from '../targets/llmgateway/api.js';")[0]!;
    expect(violation(table, typeEdge)).toMatch(/kinds → targets must be a type-only import/);
    expect(violation(table, importsOf(join(SRC, 'kinds', 'x.ts'), "import type { GatewayApi } from '../targets/llmgateway/api.js';")[0]!)).toBeUndefined();
    const emu = importsOf(join(SRC, 'emulator', 'x.ts'), "import { createGatewayClient } from '../targets/llmgateway/client.js';")[0]!;
    expect(violation(table, emu)).toMatch(/emulator → targets\/client is not allowed \(only wire, paths, variables\)/);
  });
});
