// promote and rollback's edits (src/export/promote.ts, split-edit.ts): deterministic weights, and YAML edits
// that change only what must change.
import { describe, expect, it } from 'vitest';
import { answeredWithoutSplit, lastSoleVersion, routesIn, scaleWeights, soleVersion } from '../../../src/export/promote.js';
import { editSplit } from '../../../src/export/split-edit.js';

const r = (...pairs: [string, number][]) => pairs.map(([version, weight]) => ({ version, weight }));

describe('scaleWeights', () => {
  it('gives VERSION its share and scales the others to the rest, summing to 100', () => {
    expect(scaleWeights(r(['1.0.0', 80], ['1.1.0', 20]), '1.1.0', 100)).toEqual(r(['1.0.0', 0], ['1.1.0', 100]));
    expect(scaleWeights(r(['1.0.0', 80], ['1.1.0', 20]), '1.1.0', 50)).toEqual(r(['1.0.0', 50], ['1.1.0', 50]));
    expect(scaleWeights(r(['1.0.0', 100]), '1.1.0', 10)).toEqual(r(['1.0.0', 90], ['1.1.0', 10]));
    // three ways: 70 between 50/30/20 in proportion, remainders to the largest fractions
    const out = scaleWeights(r(['a', 50], ['b', 30], ['c', 20]), 'd', 30);
    expect(out).toEqual(r(['a', 35], ['b', 21], ['c', 14], ['d', 30]));
    expect(out.reduce((n, x) => n + x.weight, 0)).toBe(100);
  });

  it('is deterministic on ties, and refuses to guess when the others had nothing', () => {
    expect(scaleWeights(r(['a', 1], ['b', 1], ['c', 98]), 'c', 1)).toEqual(r(['a', 50], ['b', 49], ['c', 1]));
    // c holds everything; a and b were taken out (0 %): sharing 99 % between them would send
    // production traffic back to retired versions nobody named.
    expect(() => scaleWeights(r(['a', 0], ['b', 0], ['c', 100]), 'c', 1)).toThrow(
      /^version c holds all the traffic and the other routes \(a, b\) have none: say which version takes the other 99% \(promote that one with --weight 99\), or roll back; nothing was changed$/,
    );
    expect(scaleWeights(r(['a', 0], ['b', 0], ['c', 100]), 'c', 100)).toEqual(r(['a', 0], ['b', 0], ['c', 100]));
    expect(scaleWeights(r(['a', 0], ['b', 0], ['c', 100]), 'a', 10)).toEqual(r(['a', 10], ['b', 0], ['c', 90]));
    // One other route: no choice to make, it takes the rest.
    expect(scaleWeights(r(['a', 0], ['c', 100]), 'c', 50)).toEqual(r(['a', 50], ['c', 50]));
    expect(() => scaleWeights(r(['a', 100]), 'a', 50)).toThrow(/only route/);
    expect(() => scaleWeights(r(['a', 100]), 'b', 101)).toThrow(/0 to 100/);
  });

  it('finds the one version holding 100%', () => {
    expect(soleVersion(r(['a', 0], ['b', 100]))).toBe('b');
    expect(soleVersion(r(['a', 10], ['b', 90]))).toBeUndefined();
  });
});

const FILE = `# the billing split
apiVersion: promptctl/v1
kind: TrafficSplit
spec:
  template: billing   # keep me
  routes:
    - version: "1.0.0"
      weight: 80 # the old one
    - version: "1.1.0"
      weight: 20
---
apiVersion: promptctl/v1
kind: TrafficSplit
spec: {template: other, routes: [{version: 1.0.0, weight: 100}]}
`;

describe('lastSoleVersion', () => {
  const split = (name: string, a: number) =>
    `apiVersion: promptctl.dev/v1\nkind: TrafficSplit\nmetadata: {name: ${name}}\nspec:\n  template: ${name}\n  routes:\n    - {version: 1.0.0, weight: ${a}}\n    - {version: 1.1.0, weight: ${100 - a}}\n`;
  const rev = (commit: string, ...texts: string[]) => ({ commit, date: '2026-12-01T00:00:00Z', subject: commit, texts });
  const declared = new Set(['1.0.0', '1.1.0']);

  it('finds the split in a text that names its template only through an escape (texts that cannot name it are passed over unparsed)', () => {
    // Texts that do not name the template are not parsed (rollback reads every file of a bulk
    // commit); a double-quoted scalar's escape still names it, so such a text is read.
    const escaped = split('billing', 100).replaceAll('billing', '"bil\\x6cing"');
    expect(escaped).not.toContain('billing');
    const history = [rev('c3', split('support', 100)), rev('c2', split('other', 100), escaped), rev('c1', split('billing', 0))];
    expect(lastSoleVersion(history, 'billing', undefined, '1.1.0', declared).found).toMatchObject({ version: '1.0.0', commit: 'c2' });
    expect(lastSoleVersion(history.slice(0, 1), 'billing', undefined, '1.1.0', declared).found).toBeUndefined();
  });

  // A state the loader refuses (a file that may hold the split does not parse) routed nothing
  // anyone can read: neither "this split" nor "no split". Passed over, named, and the walk goes on.
  it('passes over a revision whose file that may hold the split cannot be read, naming it', () => {
    const tab = split('billing', 100).replace('  routes:', '\troutes:');
    const wide = Buffer.from(split('billing', 100), 'utf16le').toString('utf8');
    const pathed = (commit: string, path: string, text: string) => ({ ...rev(commit, text), paths: [path] });
    for (const broken of [tab, wide, split('billing', 100).replace('  routes:', '  strategy: *nope\n  routes:'), '{{{\n']) {
      const history = [rev('c3', split('billing', 80)), pathed('c2', 'p/traffic.yaml', broken), rev('c1', split('billing', 100))];
      const answer = lastSoleVersion(history, 'billing', undefined, undefined, declared, new Map(), 'p/traffic.yaml');
      expect(answer.found).toMatchObject({ version: '1.0.0', commit: 'c1' });
      expect(answer.skipped).toEqual([expect.stringMatching(/^c2 \(p\/traffic\.yaml (does not parse as YAML|is not UTF-8 text).*: what it routed is unknown\)$/)]);
      expect(answer.holding.map((h) => [h.commit, h.unknown !== undefined])).toEqual([['c3', false], ['c2', true], ['c1', false]]);
    }
    // A broken document of another template, which names none but through the escapes of its prompt text: not this split's.
    const other = 'kind: PromptVersion\nspec: {template: other, version: 1.0.0, text: "a\\nb"}\n\tbad: 1\n';
    const answer = lastSoleVersion([rev('c2', other), rev('c1', split('billing', 100))], 'billing', undefined, undefined, declared);
    expect(answer.skipped).toEqual([]);
    expect(answer.found).toMatchObject({ commit: 'c1' });
  });

  it('tells a state with no split from one whose files cannot be read (answeredWithoutSplit)', () => {
    const version = (v: string) => `kind: PromptVersion\nspec: {template: billing, version: "${v}"}\n`;
    expect(answeredWithoutSplit([version('1.0.0'), version('1.1.0')], 'billing', undefined)).toBe('1.1.0');
    expect(answeredWithoutSplit([version('1.0.0'), split('billing', 80)], 'billing', undefined)).toBe('split');
    const dup = split('billing', 80).replace('  routes:', '  template: billing\n  routes:');
    expect(answeredWithoutSplit([version('1.0.0'), version('1.1.0'), dup], 'billing', undefined, ['v0', 'v1', 'p/traffic.yaml'])).toEqual({
      unknown: expect.stringMatching(/^p\/traffic\.yaml does not parse as YAML \(Map keys must be unique/),
    });
    // The split's own file, broken so that it names nothing: still unknown.
    expect(answeredWithoutSplit([version('1.1.0'), 'routes: [\n'], 'billing', undefined, ['v1', 'p/traffic.yaml'], 'p/traffic.yaml')).toMatchObject({ unknown: expect.any(String) });
    expect(answeredWithoutSplit([version('1.1.0'), 'routes: [\n'], 'billing', undefined, ['v1', 'p/other.yaml'], 'p/traffic.yaml')).toBe('1.1.0');
  });
});

describe('editSplit', () => {
  it('changes only the weight scalars that change, keeping comments and quoting', () => {
    const out = editSplit(FILE, 'f.yaml', 'billing', { kind: 'document' }, r(['1.0.0', 60], ['1.1.0', 40]));
    expect(out).toBe(FILE.replace('weight: 80 #', 'weight: 60 #').replace('weight: 20\n', 'weight: 40\n'));
    expect(editSplit(FILE, 'f.yaml', 'billing', { kind: 'document' }, r(['1.0.0', 80], ['1.1.0', 20]))).toBe(FILE);
  });

  it('adds a route for a new version in the layout of the last one, block and flow alike', () => {
    const out = editSplit(FILE, 'f.yaml', 'billing', { kind: 'document' }, r(['1.0.0', 72], ['1.1.0', 18], ['1.2.0', 10]));
    expect(out).toBe(FILE.replace('weight: 80', 'weight: 72').replace('      weight: 20\n', '      weight: 18\n    - version: "1.2.0"\n      weight: 10\n'));
    const flow = editSplit(FILE, 'f.yaml', 'other', { kind: 'document' }, r(['1.0.0', 90], ['1.1.0', 10]));
    expect(flow).toContain('spec: {template: other, routes: [{version: 1.0.0, weight: 90}, {version: 1.1.0, weight: 10}]}');
    expect(routesIn(flow, 'other')?.routes).toEqual(r(['1.0.0', 90], ['1.1.0', 10]));
  });

  it("adds an environment's own routes after the document's last field", () => {
    const out = editSplit(FILE, 'f.yaml', 'billing', { kind: 'override', env: 'prod' }, r(['1.0.0', 90], ['1.1.0', 10]), true);
    expect(out).toBe(
      FILE.replace(
        '      weight: 20\n',
        '      weight: 20\n  environments:\n    prod:\n      routes:\n        - version: "1.0.0"\n          weight: 90\n        - version: "1.1.0"\n          weight: 10\n',
      ),
    );
    expect(routesIn(out, 'billing', 'prod')?.routes).toEqual(r(['1.0.0', 90], ['1.1.0', 10]));
    expect(routesIn(out, 'billing', 'staging')?.routes).toEqual(r(['1.0.0', 80], ['1.1.0', 20]));
    // and a second one after the first
    const two = editSplit(out, 'f.yaml', 'billing', { kind: 'override', env: 'staging' }, r(['1.0.0', 50], ['1.1.0', 50]), true);
    expect(two).toBe(out.replace('          weight: 10\n---', '          weight: 10\n    staging:\n      routes:\n        - version: "1.0.0"\n          weight: 50\n        - version: "1.1.0"\n          weight: 50\n---'));
    expect(routesIn(two, 'billing', 'staging')?.routes).toEqual(r(['1.0.0', 50], ['1.1.0', 50]));
    expect(routesIn(two, 'billing', 'prod')?.routes).toEqual(r(['1.0.0', 90], ['1.1.0', 10]));
  });

  it("adds an environment's own routes after the comments that close the routes above, before one about what follows", () => {
    const commented = FILE.replace('      weight: 20\n', '      weight: 20\n    # 1.0.0 stays declared but unrouted\n      # (the second line of it)\n  # about the next document\n');
    const out = editSplit(commented, 'f.yaml', 'billing', { kind: 'override', env: 'prod' }, r(['1.0.0', 90], ['1.1.0', 10]), true);
    expect(out).toBe(
      commented.replace(
        '      # (the second line of it)\n',
        '      # (the second line of it)\n  environments:\n    prod:\n      routes:\n        - version: "1.0.0"\n          weight: 90\n        - version: "1.1.0"\n          weight: 10\n',
      ),
    );
    expect(routesIn(out, 'billing', 'prod')?.routes).toEqual(r(['1.0.0', 90], ['1.1.0', 10]));
    // At the end of a file without a final newline, too.
    const last = '# s\napiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: billing\n  routes:\n    - version: "1.0.0"\n      weight: 100\n    # closing';
    const atEnd = editSplit(last, 'f.yaml', 'billing', { kind: 'override', env: 'prod' }, r(['1.0.0', 100]), true);
    expect(atEnd).toBe(`${last}\n  environments:\n    prod:\n      routes:\n        - version: "1.0.0"\n          weight: 100`);
  });

  it("adds an environment's routes inside its override when it already overrides other fields", () => {
    const sticky = FILE.replace('      weight: 20\n', '      weight: 20\n  environments:\n    prod:\n      strategy: sticky # pin callers\n      stickyKey: customerId\n');
    const out = editSplit(sticky, 'f.yaml', 'billing', { kind: 'override', env: 'prod' }, r(['1.0.0', 90], ['1.1.0', 10]), true);
    expect(out).toBe(
      sticky.replace(
        '      stickyKey: customerId\n',
        '      stickyKey: customerId\n      routes:\n        - version: "1.0.0"\n          weight: 90\n        - version: "1.1.0"\n          weight: 10\n',
      ),
    );
  });

  it('keeps a CRLF file CRLF, the lines it adds included', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    const out = editSplit(crlf, 'f.yaml', 'billing', { kind: 'override', env: 'prod' }, r(['1.0.0', 90], ['1.1.0', 10]), true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out.replace(/\r\n/g, '\n')).toBe(editSplit(FILE, 'f.yaml', 'billing', { kind: 'override', env: 'prod' }, r(['1.0.0', 90], ['1.1.0', 10]), true));
    // Mixed line ends are left as they are: only the lines the edit touches change.
    const mixed = FILE.replace('# the billing split\n', '# the billing split\r\n');
    const edited = editSplit(mixed, 'f.yaml', 'billing', { kind: 'document' }, r(['1.0.0', 60], ['1.1.0', 40]));
    expect(edited).toBe(mixed.replace('weight: 80 #', 'weight: 60 #').replace('weight: 20\n', 'weight: 40\n'));
  });

  it('keeps a file without a final newline without one, whatever lines the edit adds at its end', () => {
    const billing = FILE.split('---\n')[0]!;
    const bare = billing.replace(/\n$/, '');
    const cases = [
      { target: { kind: 'document' } as const, routes: r(['1.0.0', 60], ['1.1.0', 40]), create: false },
      { target: { kind: 'document' } as const, routes: r(['1.0.0', 72], ['1.1.0', 18], ['1.2.0', 10]), create: false },
      { target: { kind: 'override', env: 'prod' } as const, routes: r(['1.0.0', 90], ['1.1.0', 10]), create: true },
    ];
    for (const c of cases) {
      const withNewline = editSplit(billing, 'f.yaml', 'billing', c.target, c.routes, c.create);
      // The same edit; only the file's last newline, absent before, stays absent.
      expect(editSplit(bare, 'f.yaml', 'billing', c.target, c.routes, c.create)).toBe(withNewline.replace(/\n$/, ''));
      expect(editSplit(bare.replace(/\n/g, '\r\n'), 'f.yaml', 'billing', c.target, c.routes, c.create)).toBe(withNewline.replace(/\n$/, '').replace(/\n/g, '\r\n'));
    }
  });

  // A route's version may repeat the document's through an alias (valid YAML, and validate reads
  // it so): it is that version, found and set like any other, never taken for a missing route.
  it('reads a version written as an alias as the version it repeats', () => {
    const src = [
      'kind: TrafficSplit',
      'spec:',
      '  template: billing',
      '  routes:',
      '    - version: &stable "1.0.0"',
      '      weight: 80',
      '    - version: &canary "1.1.0"',
      '      weight: 20',
      '  environments:',
      '    staging:',
      '      routes:',
      '        - version: *stable',
      '          weight: 50',
      '        - version: *canary',
      '          weight: 50',
      '',
    ].join('\n');
    const staging = { kind: 'override', env: 'staging' } as const;
    expect(editSplit(src, 'f.yaml', 'billing', staging, r(['1.0.0', 40], ['1.1.0', 60]))).toBe(src.replace('weight: 50\n        - version: *canary\n          weight: 50', 'weight: 40\n        - version: *canary\n          weight: 60'));
    expect(editSplit(src, 'f.yaml', 'billing', staging, r(['1.0.0', 45], ['1.1.0', 45], ['1.2.0', 10]))).toBe(
      src.replace('weight: 50\n        - version: *canary\n          weight: 50\n', 'weight: 45\n        - version: *canary\n          weight: 45\n        - version: 1.2.0\n          weight: 10\n'),
    );
  });

  it('finds the split whose template is written as an alias', () => {
    const src = 'kind: TrafficSplit\nmetadata:\n  name: &t billing\nspec:\n  template: *t\n  routes:\n    - {version: "1.0.0", weight: 80}\n    - {version: "1.1.0", weight: 20}\n';
    expect(editSplit(src, 'f.yaml', 'billing', { kind: 'document' }, r(['1.0.0', 40], ['1.1.0', 60]))).toBe(src.replace('weight: 80', 'weight: 40').replace('weight: 20', 'weight: 60'));
  });

  it('names where a weight written as an alias is, instead of saying it has none', () => {
    const aliased = FILE.replace('weight: 80 # the old one', 'weight: &w 80 # the old one').replace('      weight: 20\n', '      weight: *w\n');
    expect(() => editSplit(aliased, 'f.yaml', 'billing', { kind: 'document' }, r(['1.0.0', 60], ['1.1.0', 40]))).toThrow(
      'f.yaml:10:15: the weight of version 1.1.0 is an alias (*w); edit it by hand',
    );
  });
});

describe('routesIn', () => {
  // What rollback reads from a past state: a document limited to other environments held nothing
  // in this one (the next document of the text may be the one that did).
  const SCOPED = `kind: TrafficSplit
metadata:
  environments: [dev]
spec:
  template: billing
  routes: [{version: "1.0.0", weight: 100}]
  environments:
    dev:
      routes: [{version: "1.1.0", weight: 100}]
---
kind: TrafficSplit
metadata: {environments: [prod, staging]}
spec:
  template: billing
  routes: [{version: "1.2.0", weight: 100}]
  environments:
    staging:
      strategy: random
`;
  it("gives an environment only a document that applies there, with that environment's routes", () => {
    expect(routesIn(SCOPED, 'billing', 'dev')).toEqual({ routes: r(['1.1.0', 100]), from: { kind: 'override', env: 'dev' } });
    expect(routesIn(SCOPED, 'billing', 'prod')).toEqual({ routes: r(['1.2.0', 100]), from: { kind: 'document' } });
    // an override without routes keeps the document's
    expect(routesIn(SCOPED, 'billing', 'staging')).toEqual({ routes: r(['1.2.0', 100]), from: { kind: 'document' } });
    expect(routesIn(SCOPED.split('---\n')[0]!, 'billing', 'prod')).toBeUndefined();
    // without an environment: the first document's own routes
    expect(routesIn(SCOPED, 'billing')).toEqual({ routes: r(['1.0.0', 100]), from: { kind: 'document' } });
  });
});
