// An alias inside the very value its anchor names (`&s {properties: {a: *s}}`) makes a value that
// contains itself. yaml builds it as a cyclic object, and the loader's walk over the document's
// fields followed the alias round and round: `promptctl validate` hung, without a word. It is
// refused where the alias stands, like the other hostile YAML (DESIGN §2).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import { loadProject } from '../../../src/load/index.js';

const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata: {name: cyclic}
spec:
  target: {template: billing}
  cases:
    - name: a
      expect:
        - jsonSchema: &s {type: object, properties: {a: *s}}
`;

describe('an alias inside the value of its own anchor', () => {
  it('is refused at the alias', () => {
    const r = parseYaml(TEST, 'f.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 9, column: 57, rule: 'yaml/alias' })]);
    expect(r.diagnostics[0]!.message).toMatch(/\*s .*contains itself/);
  });

  it('is refused in a sequence and at the top of a document too', () => {
    const list = parseYaml('a: &l [1, *l]\n', 'f.yaml');
    expect(list.diagnostics).toEqual([expect.objectContaining({ line: 1, column: 11, rule: 'yaml/alias' })]);
    const top = parseYaml('&m {name: foo, labels: {a: *m}}\n', 'f.yaml');
    expect(top.diagnostics).toEqual([expect.objectContaining({ line: 1, column: 28, rule: 'yaml/alias' })]);
  });

  it('leaves an alias to an earlier value alone, also one nested in a later value', () => {
    const r = parseYaml('a: &v {x: 1}\nb: {c: *v, d: [*v]}\n', 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]!.data).toEqual({ a: { x: 1 }, b: { c: { x: 1 }, d: [{ x: 1 }] } });
  });

  it('ends validate with the diagnostic instead of hanging', { timeout: 20_000 }, async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'promptctl-self-alias-'));
    try {
      await mkdir(path.join(base, 'p'));
      await writeFile(path.join(base, 'p/t.yaml'), TEST);
      const r = await loadProject({ dir: 'p', cwd: base });
      expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`)).toEqual(['p/t.yaml:9:57 yaml/alias']);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
