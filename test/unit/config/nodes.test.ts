import { describe, expect, it } from 'vitest';
import { collectLocations, findKey, findNode, nodeStart, scalarTextOrigin, type DocContext } from '../../../src/config/nodes.js';
import { parseYaml } from '../../../src/config/parse.js';
import { locateInText, textLocator } from '../../../src/model/text-origin.js';

function ctxOf(src: string, file = 'p.yaml'): DocContext {
  const r = parseYaml(src, file);
  expect(r.diagnostics).toEqual([]);
  const d = r.documents[0]!;
  return { file, doc: d.doc, src: d.src, lineCounter: d.lineCounter };
}

const SRC = `# comment
kind: PromptVersion
spec:
  literal: |
    first line
      indented {{a}}

    after blank {{b}}
  folded: >
    folded {{c}}
    text
  plain: plain {{d}}
  double: "double {{e}}"
  escaped: "tab\\there {{f}}"
  single: 'it''s {{g}}'
  variables:
    - name: x
      type: string
    - {name: y, type: enum}
  empty:
  alias: &shared shared {{h}}
  again: *shared
`;

describe('findNode / findKey / collectLocations', () => {
  const ctx = ctxOf(SRC);
  const at = (node: unknown) => {
    const l = nodeStart(ctx, node);
    return `${l.line}:${l.column}`;
  };

  it('walks maps and sequences to value nodes, and reports the owning key', () => {
    const f = findNode(ctx, ['spec', 'variables', '1', 'type']);
    expect(at(f.node)).toBe('19:23');
    expect(at(f.key)).toBe('19:17');
    expect(at(findNode(ctx, ['spec']).key)).toBe('3:1');
  });

  it('gives the nearest existing node for a path that does not resolve', () => {
    const f = findNode(ctx, ['spec', 'variables', '0', 'nope']);
    expect(f.node).toBeUndefined();
    expect(at(f.nearest)).toBe('17:7');
  });

  it('places an empty value on its key line, and resolves aliases to the anchored node', () => {
    expect(at(findNode(ctx, ['spec', 'empty']).node)).toBe('20:9');
    expect(at(findNode(ctx, ['spec', 'again']).node)).toBe('21:18');
  });

  it('finds key nodes by name', () => {
    expect(at(findKey(ctx, ['spec', 'variables', '0'], 'type'))).toBe('18:7');
    expect(findKey(ctx, ['spec'], 'missing')).toBeUndefined();
  });

  it('collects a location for every dotted path', () => {
    const locs = collectLocations(ctx);
    expect(locs['kind']).toEqual({ file: 'p.yaml', line: 2, column: 7 });
    expect(locs['spec.variables.0.name']).toEqual({ file: 'p.yaml', line: 17, column: 13 });
    expect(locs['spec.variables.1']).toEqual({ file: 'p.yaml', line: 19, column: 7 });
    expect(locs['spec.literal']).toEqual({ file: 'p.yaml', line: 4, column: 12 });
  });
});

describe('scalarTextOrigin + textLocator: placeholders at their exact source position', () => {
  const ctx = ctxOf(SRC);
  const locate = (field: string, needle: string) => {
    const node = findNode(ctx, ['spec', field]).node as { value: string };
    const origin = scalarTextOrigin(ctx, node);
    const l = locateInText(origin, node.value, node.value.indexOf(needle));
    return `${l.line}:${l.column}`;
  };

  it('maps literal block scalars line by line, keeping extra indentation', () => {
    expect(locate('literal', '{{a}}')).toBe('6:16');
    expect(locate('literal', '{{b}}')).toBe('8:17');
    expect(locate('literal', 'first')).toBe('5:5');
  });

  it('maps single-line plain and quoted scalars column by column', () => {
    expect(locate('plain', '{{d}}')).toBe('12:16');
    expect(locate('double', '{{e}}')).toBe('13:19');
  });

  it('falls back to where the text starts when folding or escapes shift offsets', () => {
    expect(locate('folded', '{{c}}')).toBe('10:5');
    expect(locate('escaped', '{{f}}')).toBe('14:12');
    expect(locate('single', '{{g}}')).toBe('15:11');
  });

  it('locates in aliased text at the anchor', () => {
    expect(locate('again', '{{h}}')).toBe('21:25');
  });

  it('maps file text 1:1, CRLF included', () => {
    const text = 'line one\r\nline {{two}}\r\n';
    const at = textLocator({ file: 'x.md', line: 1, column: 1, exact: true, indentColumn: 1 }, text);
    expect(at(text.indexOf('{{two}}'))).toEqual({ file: 'x.md', line: 2, column: 6 });
    expect(at(0)).toEqual({ file: 'x.md', line: 1, column: 1 });
  });

  it('handles CRLF YAML sources', () => {
    const crlf = ctxOf('spec:\r\n  t: |\r\n    a\r\n    b {{x}}\r\n');
    const node = findNode(crlf, ['spec', 't']).node as { value: string };
    expect(node.value).toBe('a\nb {{x}}\n');
    const l = locateInText(scalarTextOrigin(crlf, node), node.value, node.value.indexOf('{{x}}'));
    expect([l.line, l.column]).toEqual([4, 7]);
  });
});
