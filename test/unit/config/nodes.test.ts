import { describe, expect, it } from 'vitest';
import { collectKeyLocations, collectLocations, findKey, findNode, foundAt, nodeStart, type DocContext } from '../../../src/config/nodes.js';
import { scalarTextOrigin } from '../../../src/config/text-origin.js';
import { parseYaml } from '../../../src/config/parse.js';
import { locateInText, textLocator } from '../../../src/model/text-origin.js';

function ctxOf(src: string, file = 'p.yaml'): DocContext {
  const r = parseYaml(src, file);
  expect(r.diagnostics).toEqual([]);
  const d = r.documents[0]!;
  return { file, doc: d.doc, src: d.src, lineCounter: d.lineCounter };
}

function at2(ctx: DocContext, node: unknown): string {
  const l = nodeStart(ctx, node);
  return `${l.line}:${l.column}`;
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

  it('places an empty value at its key, and resolves aliases to the anchored node', () => {
    expect(at(findNode(ctx, ['spec', 'empty']).node)).toBe('20:3');
    expect(collectLocations(ctx)['spec.empty']).toEqual({ file: 'p.yaml', line: 20, column: 3 });
    expect(at(findNode(ctx, ['spec', 'again']).node)).toBe('21:18');
  });

  it('places a value written as an alias where the alias is used, not at its anchor', () => {
    const f = findNode(ctx, ['spec', 'again']);
    expect(at(f.at)).toBe('22:10');
    expect(at(foundAt(f))).toBe('22:10');
    expect(collectLocations(ctx)['spec.again']).toEqual({ file: 'p.yaml', line: 22, column: 10 });
    // Not aliased: written where it is.
    expect(at(findNode(ctx, ['spec', 'alias']).at)).toBe('21:18');
    // A path that does not resolve under an alias: the alias is the nearest place written.
    const aliased = ctxOf('a: &m {x: 1}\nb: *m\n');
    expect(at2(aliased, foundAt(findNode(aliased, ['b', 'missing'])))).toBe('2:4');
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

  it('finds folded and escaped text exactly', () => {
    expect(locate('folded', '{{c}}')).toBe('10:12');
    expect(locate('folded', 'text')).toBe('11:5');
    expect(locate('escaped', '{{f}}')).toBe('14:23');
    expect(locate('single', '{{g}}')).toBe('15:18');
  });

  it('locates what an aliased collection brings in where the alias is used', () => {
    const ctx = ctxOf('spec:\n  variables:\n    - &v {name: q, type: string}\n    - *v\n  again: *v\n');
    const l = collectLocations(ctx);
    const at = (path: string) => `${l[path]!.line}:${l[path]!.column}`;
    expect(at('spec.variables.0.name')).toBe('3:17');
    // The second item is the alias: it and everything in it are on line 4, not at the anchor.
    expect(at('spec.variables.1')).toBe('4:7');
    expect(at('spec.variables.1.name')).toBe('4:7');
    expect(at('spec.again.type')).toBe('5:10');
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

  it('finds placeholders on later lines of folded, plain and quoted multi-line text', () => {
    const multi = ctxOf(
      [
        'spec:',
        '  folded: >',
        '    First line',
        '    second {{a}} here',
        '',
        '      more indented {{b}}',
        '    last {{c}}',
        '  plain: starts here',
        '    and goes on {{d}}',
        '  quoted: "starts here',
        '    and {{e}} too"',
        '  crlf: >-\r',
        '    one\r',
        '    two {{f}}\r',
        '  escaped: "say \\"hi\\" \\u00e9\\',
        '    x {{g}} \\t',
        '    and {{h}}"',
        "  single: 'it''s",
        "    it''s {{i}}'",
        '',
      ].join('\n'),
    );
    const locate = (field: string, needle: string) => {
      const node = findNode(multi, ['spec', field]).node as { value: string };
      const l = locateInText(scalarTextOrigin(multi, node), node.value, node.value.indexOf(needle));
      return `${l.line}:${l.column}`;
    };
    expect(locate('folded', 'First')).toBe('3:5');
    expect(locate('folded', '{{a}}')).toBe('4:12');
    expect(locate('folded', '{{b}}')).toBe('6:21');
    expect(locate('folded', '{{c}}')).toBe('7:10');
    expect(locate('plain', '{{d}}')).toBe('9:17');
    expect(locate('quoted', '{{e}}')).toBe('11:9');
    expect(locate('crlf', '{{f}}')).toBe('14:9');
    expect(locate('escaped', '{{g}}')).toBe('16:7');
    expect(locate('escaped', '{{h}}')).toBe('17:9');
    expect(locate('single', '{{i}}')).toBe('19:11');
  });
});

describe('collectKeyLocations', () => {
  it('locates every mapping key under a prefix (a var is reported at its name), through lists', () => {
    const ctx = ctxOf('spec:\n  cases:\n    - name: a\n      vars:\n        plan: gold\n        "q": {x: 1}\n  other: {k: v}\n');
    expect(collectKeyLocations(ctx, ['spec', 'cases'])).toEqual({
      'spec.cases.0.name': { file: 'p.yaml', line: 3, column: 7 },
      'spec.cases.0.vars': { file: 'p.yaml', line: 4, column: 7 },
      'spec.cases.0.vars.plan': { file: 'p.yaml', line: 5, column: 9 },
      'spec.cases.0.vars.q': { file: 'p.yaml', line: 6, column: 9 },
      'spec.cases.0.vars.q.x': { file: 'p.yaml', line: 6, column: 15 },
    });
    expect(collectKeyLocations(ctx, ['spec', 'missing'])).toEqual({});
  });
});
