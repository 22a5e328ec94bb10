// The weights of one TrafficSplit, rewritten in its YAML file with the smallest edit that says it
// (which weights: promote.ts). Only the weight scalars that change are touched (the yaml CST:
// parsed with its source tokens kept, each changed scalar set with CST.setScalarValue, the file
// printed back from the tokens), so comments, quoting, key order and layout stay as they are.
// A version not routed yet gets one route, copied from the last one's layout; an environment that
// shares the document's routes with others gets its own `spec.environments.<name>.routes` (a block,
// or one more entry of a flow map where the split is written in flow style).
// Pure: text in, text out.
import { Composer, CST, Parser, isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { UserError } from '../util/errors.js';
import { isObj, routesIn, type Route, type RoutesTarget } from './promote.js';

interface Parsed {
  tokens: CST.Token[];
  docs: Document.Parsed[];
}

function parse(src: string): Parsed {
  const tokens = [...new Parser().parse(src)];
  const docs = [...new Composer({ keepSourceTokens: true }).compose(tokens)] as Document.Parsed[];
  return { tokens, docs };
}

function splitDocument(docs: readonly Document.Parsed[], template: string, file: string): Document.Parsed {
  const doc = docs.find((d) => d.errors.length === 0 && valueAt(d, ['kind']) === 'TrafficSplit' && valueAt(d, ['spec', 'template']) === template);
  if (!doc) throw new UserError(`${file} has no TrafficSplit of template "${template}" that can be edited`);
  return doc;
}

/** A scalar's value as the loader reads it: through an alias (`version: *stable`), the anchored value. */
function scalarValue(doc: Document.Parsed, node: unknown): unknown {
  const value = isAlias(node) ? node.resolve(doc) : node;
  return isScalar(value) ? value.value : value;
}

/** The value at `path` in a document, read through aliases. */
function valueAt(doc: Document.Parsed, path: readonly string[]): unknown {
  return scalarValue(doc, doc.getIn(path, true));
}

/** A route's version, read through an alias. */
function versionOf(doc: Document.Parsed, item: YAMLMap): string {
  return String(scalarValue(doc, item.get('version', true)));
}

function routesPath(target: RoutesTarget): string[] {
  return target.kind === 'document' ? ['spec', 'routes'] : ['spec', 'environments', target.env, 'routes'];
}

/**
 * The file's text with the split of `template` routing `routes` (the same versions as now, in the
 * same order, plus at most new ones at the end) in `target`. `create`: the override does not
 * exist yet and is added, after `spec.environments`' last entry or at the end of `spec`.
 */
export function editSplit(src: string, file: string, template: string, target: RoutesTarget, routes: readonly Route[], create = false): string {
  // A CRLF file stays CRLF, and one of lone CRs (which YAML reads as line breaks, and yaml does
  // not) stays so: lines this edit adds end like the others (a file of mixed endings is left as it is).
  const ending = src.includes('\r\n') && !/(^|[^\r])\n/.test(src) ? '\r\n' : src.includes('\r') && !src.includes('\n') ? '\r' : '\n';
  let text = ending === '\n' ? src : src.split(ending).join('\n');
  // yaml reads a lone CR as no line break at all (the loader turns it into one): beside other line
  // ends it can be neither kept nor read here.
  if (/\r(?!\n)/.test(text)) {
    throw new UserError(`${file} mixes line ends (a CR alone among ${ending === '\r\n' ? 'CRLF' : 'LF'} line ends), which promote cannot keep as they are: save it with one kind of line end and run it again`);
  }
  if (create) {
    if (target.kind !== 'override') throw new Error('only an override can be created');
    text = insertOverride(text, file, template, target.env, routes);
  } else {
    text = addMissingRoutes(text, file, template, target, routes);
  }
  // The weights, scalar by scalar, through the CST.
  const { tokens, docs } = parse(text);
  const doc = splitDocument(docs, template, file);
  const seq = seqAt(doc, routesPath(target), file, text);
  for (const r of routes) {
    const item = seq.items.find((i) => isMap(i) && versionOf(doc, i) === r.version) as YAMLMap | undefined;
    const w = item?.get('weight', true) as Scalar | undefined;
    if (w && isAlias(w)) throw new UserError(`${file}:${lineColumn(text, w.range?.[0] ?? 0)}: the weight of version ${r.version} is an alias (*${w.source}); edit it by hand`);
    if (!item || !w || !isScalar(w)) throw new UserError(`${file}: the route of version ${r.version} has no weight to set`);
    if (Number(w.value) === r.weight) continue;
    if (!w.srcToken || !CST.isScalar(w.srcToken)) throw new UserError(`${file}: the weight of version ${r.version} is not a plain scalar; edit it by hand`);
    CST.setScalarValue(w.srcToken, String(r.weight));
  }
  const out = tokens.map((t) => CST.stringify(t)).join('');
  // Proof, before anyone writes it: the file still parses and routes exactly what was asked.
  const check = routesIn(out, template, target.kind === 'override' ? target.env : undefined);
  if (!check || JSON.stringify(check.routes) !== JSON.stringify(routes.map((r) => ({ version: r.version, weight: r.weight })))) {
    throw new Error(`internal: the edit of ${file} did not give the routes asked for`);
  }
  // ...and nothing else: a weight or route anchored (&name) and repeated by an alias elsewhere
  // (another environment's routes) would change there too, silently.
  if (untouched(text, template, target) !== untouched(out, template, target)) {
    throw new UserError(`${file}: the routes of the split share anchors (&name) with other values, which this edit would change too; edit the weights by hand`);
  }
  return ending === '\n' ? out : out.replace(/\n/g, ending);
}

/** Every document of a text as data, the routes an edit sets left out: what the edit must not change. */
function untouched(text: string, template: string, target: RoutesTarget): string {
  const docs = parseAllDocuments(text) as Document.Parsed[];
  return JSON.stringify(
    docs.map((d) => {
      const data = d.toJS({ maxAliasCount: 100 }) as unknown;
      if (isObj(data) && data.kind === 'TrafficSplit' && isObj(data.spec) && data.spec.template === template) withoutRoutes(data.spec, target);
      return data;
    }),
  );
}

/** Deletes the edited routes from a split's spec (and an override left empty, which the edit may have added). */
function withoutRoutes(spec: Record<string, unknown>, target: RoutesTarget): void {
  if (target.kind === 'document') {
    delete spec.routes;
    return;
  }
  const envs = spec.environments;
  if (!isObj(envs) || !isObj(envs[target.env])) return;
  const own = envs[target.env] as Record<string, unknown>;
  delete own.routes;
  if (Object.keys(own).length === 0) delete envs[target.env];
  if (Object.keys(envs).length === 0) delete spec.environments;
}

/** "line:column" (1-based) of an offset in text. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

function seqAt(doc: Document.Parsed, path: readonly string[], file: string, src: string): YAMLSeq {
  const node = doc.getIn(path, true);
  if (isAlias(node)) {
    throw new UserError(
      `${file}:${lineColumn(src, node.range?.[0] ?? 0)}: ${path.join('.')} of the split is an alias (*${node.source}): this edit would change every place that repeats it; write its routes out by hand`,
    );
  }
  if (!isSeq(node)) throw new UserError(`${file}: ${path.join('.')} of the split is not a list of routes`);
  return node;
}

/** Start of the line holding `offset`. */
const lineStart = (src: string, offset: number): number => src.lastIndexOf('\n', offset - 1) + 1;
/** Just after the end of the line holding `offset` (its newline included), or the end of the text. */
function afterLine(src: string, offset: number): number {
  const nl = src.indexOf('\n', offset);
  return nl === -1 ? src.length : nl + 1;
}
const column = (src: string, offset: number): number => offset - lineStart(src, offset);

/**
 * Where a node's own text ends: a scalar's or a flow collection's range, a block collection's last
 * entry (its range runs on over the newlines, comments and indentation that follow).
 */
function nodeEnd(node: Node | null | undefined): number {
  if (!node?.range) return -1;
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1] as unknown;
    if (isMap(node)) {
      const p = last as { key: Node | null; value: Node | null };
      return Math.max(nodeEnd(p.value), nodeEnd(p.key));
    }
    return nodeEnd(last as Node);
  }
  return node.range[1];
}
const itemEnd = (item: YAMLMap): number => nodeEnd(item);

/** The source of one route item with its version and weight replaced (same quoting, same layout, no comments or anchors). */
function routeLike(src: string, item: YAMLMap, version: string, weight: number): string {
  const v = item.get('version', true) as Node | undefined;
  const w = item.get('weight', true) as Node | undefined;
  const [start, end] = [item.range![0], itemEnd(item)];
  if (!v?.range || !w?.range) throw new UserError('a route without version or weight cannot be copied');
  const quote = src[v.range[0]] === '"' || src[v.range[0]] === "'" ? src[v.range[0]]! : '';
  const edits = [
    { at: v.range[0], to: v.range[1], text: `${quote}${version}${quote}` },
    { at: w.range[0], to: w.range[1], text: String(weight) },
  ].sort((a, b) => b.at - a.at);
  let out = src.slice(start, end);
  for (const e of edits) out = out.slice(0, e.at - start) + e.text + out.slice(e.to - start);
  // Without the item's comments and anchors: they were said of another version (and an anchor
  // defined twice would change what every later alias means). A route holds only a version (semver)
  // and a weight (a number), so a `#` after a space or at a line's start is a comment, and a `&` an anchor.
  return out
    .replace(/^[ \t]*#.*\n/gm, '')
    .replace(/[ \t]+#.*$/gm, '')
    .replace(/(^|[\s,[{])&[^\s,[\]{}]+[ \t]*/gm, '$1');
}

/**
 * `src` with whole `lines` (each ending in a newline) inserted at `at`, a line's start or the end
 * of the text. At the end of a text whose last line has no newline, the newline goes before the
 * lines rather than after them: a file that did not end in a newline still does not, so the diff
 * shows no change of ending the user did not ask for.
 */
function insertLines(src: string, at: number, lines: string): string {
  if (at === src.length && src !== '' && !src.endsWith('\n')) return `${src}\n${lines.replace(/\n$/, '')}`;
  return src.slice(0, at) + lines + src.slice(at);
}

/**
 * The dash of a block sequence's item and the space after it, as the item has them ("- ", or
 * "-   " where a formatter indents past the dash): a copied item's keys then line up.
 */
function dashGap(src: string, item: YAMLMap): string {
  const start = item.range![0];
  const before = /-[ \t]+$/.exec(src.slice(lineStart(src, start), start));
  return before ? '-'.padEnd(before[0].length) : '- ';
}

/** Adds a route (weight as given) for each version of `routes` the list does not have, after the last one. */
function addMissingRoutes(src: string, file: string, template: string, target: RoutesTarget, routes: readonly Route[]): string {
  const { docs } = parse(src);
  const doc = splitDocument(docs, template, file);
  const seq = seqAt(doc, routesPath(target), file, src);
  const have = new Set(seq.items.filter(isMap).map((i) => versionOf(doc, i)));
  const missing = routes.filter((r) => !have.has(r.version));
  if (missing.length === 0) return src;
  const last = seq.items[seq.items.length - 1];
  if (!isMap(last) || !last.range) throw new UserError(`${file}: the routes of the split cannot be extended automatically; add the route by hand`);
  const at = itemEnd(last);
  if (seq.flow) {
    const text = missing.map((r) => `, ${routeLike(src, last, r.version, r.weight)}`).join('');
    return src.slice(0, at) + text + src.slice(at);
  }
  const dash = ' '.repeat(column(src, seq.range![0]));
  const text = missing.map((r) => `${dash}${dashGap(src, last)}${routeLike(src, last, r.version, r.weight)}\n`).join('');
  return insertLines(src, afterLine(src, at), text);
}

/**
 * Adds `spec.environments.<env>.routes`, in the style of where it goes: in a block map, a block in
 * the layout of the document's own routes (or their flow list, when they are one); in a flow map,
 * one more entry, its routes a flow list.
 */
function insertOverride(src: string, file: string, template: string, env: string, routes: readonly Route[]): string {
  const { docs } = parse(src);
  const doc = splitDocument(docs, template, file);
  const spec = doc.get('spec', true);
  const base = doc.getIn(['spec', 'routes'], true);
  const sample = isSeq(base) ? base.items[0] : undefined;
  if (!isMap(spec) || !isSeq(base) || !isMap(sample) || !sample.range) {
    throw new UserError(`${file}: the routes of the split cannot be copied; add spec.environments.${env}.routes by hand`);
  }
  /** The routes as a flow list, each item in the document's first route's style when it is a flow map. */
  const flowRoutes = (): string => {
    const v = sample.get('version', true) as Node | undefined;
    const quote = v?.range && (src[v.range[0]] === '"' || src[v.range[0]] === "'") ? src[v.range[0]]! : '';
    const item = (r: Route): string =>
      sample.flow ? routeLike(src, sample, r.version, r.weight).replace(/\s*\n\s*/g, ' ') : `{version: ${quote}${r.version}${quote}, weight: ${r.weight}}`;
    return `[${routes.map(item).join(', ')}]`;
  };
  const envs = doc.getIn(['spec', 'environments'], true);
  // The environment may already override other fields (strategy, stickyKey): its routes go in there.
  const own = isMap(envs) ? (envs.get(env, true) as unknown) : undefined;
  const where = own !== undefined && own !== null ? 'own' : envs !== undefined ? 'envs' : 'spec';
  const into = where === 'own' ? own : where === 'envs' ? envs : spec;
  const path = where === 'own' ? `spec.environments.${env}` : where === 'envs' ? 'spec.environments' : 'spec';
  if (!isMap(into)) throw new UserError(`${file}: ${path} of the split is not a map; add ${env}'s routes by hand`);
  if (into.flow) {
    const entry = where === 'own' ? `routes: ${flowRoutes()}` : where === 'envs' ? `${env}: {routes: ${flowRoutes()}}` : `environments: {${env}: {routes: ${flowRoutes()}}}`;
    return insertFlowEntry(src, into, entry);
  }
  const first = spec.items[0]?.key as Node | undefined;
  const unit = first?.range ? column(src, first.range[0]) - column(src, lineStart(src, first.range[0])) : 2;
  const specIndent = first?.range ? column(src, first.range[0]) : 2;
  const routesKey = spec.items.find((p) => isScalar(p.key) && p.key.value === 'routes')?.key as Node | undefined;
  const dashOffset = column(src, base.range![0]) - (routesKey?.range ? column(src, routesKey.range[0]) : specIndent);
  /** `routes:` and its items, the key at `routesIndent`. */
  const routesBlock = (routesIndent: number): string => {
    if (base.flow) return `${' '.repeat(routesIndent)}routes: ${flowRoutes()}\n`;
    const dash = ' '.repeat(routesIndent + dashOffset);
    const lines = routes.map((r) => {
      // Items copied from the document's first route, re-indented for their new depth.
      const item = routeLike(src, sample, r.version, r.weight).replace(/\n( *)/g, (_m, sp: string) => `\n${' '.repeat(Math.max(0, sp.length - column(src, base.range![0]) + routesIndent + dashOffset))}`);
      return `${dash}${dashGap(src, sample)}${item}\n`;
    });
    return `${' '.repeat(routesIndent)}routes:\n${lines.join('')}`;
  };
  const block = (envIndent: number): string => `${' '.repeat(envIndent)}${env}:\n${routesBlock(envIndent + unit)}`;
  if (into.items.length === 0) throw new UserError(`${file}: ${path} of the split is empty; add ${env}'s routes by hand`);
  const at = column(src, (into.items[0]!.key as Node).range![0]);
  const keyIndent = where === 'spec' ? specIndent : at;
  const text = where === 'own' ? routesBlock(at) : where === 'envs' ? block(at) : `${' '.repeat(specIndent)}environments:\n${block(specIndent + unit)}`;
  return insertLines(src, pastNestedComments(src, afterLine(src, nodeEnd(into)), keyIndent), text);
}

/**
 * `at`, moved past the comment lines right after it that are indented deeper than `indent`: they
 * close the entry above (`# 1.0.0 stays declared but unrouted` under the routes), and a key
 * inserted before them would take them as its own.
 */
function pastNestedComments(src: string, at: number, indent: number): number {
  for (;;) {
    const end = afterLine(src, at);
    const line = src.slice(at, end);
    const m = /^( *)#/.exec(line);
    if (at >= src.length || !m || m[1]!.length <= indent) return at;
    at = end;
  }
}

/** `src` with `entry` added to a flow map, after its last entry (before its `}` when it has none). */
function insertFlowEntry(src: string, map: YAMLMap, entry: string): string {
  const last = map.items[map.items.length - 1];
  if (!last) {
    const open = src.indexOf('{', map.range![0]);
    return `${src.slice(0, open + 1)}${entry}${src.slice(open + 1)}`;
  }
  const at = Math.max(nodeEnd(last.value as Node | null), nodeEnd(last.key as Node | null));
  return `${src.slice(0, at)}, ${entry}${src.slice(at)}`;
}

/**
 * The file's text with a new TrafficSplit document of `template` added at its end (after a `---`),
 * routing `routes`; `environments`: its metadata.environments (the template's, so the split is
 * where the template is). The rest of the file is left as it is; the added lines end like the
 * file's (CRLF stays CRLF), and a file that did not end in a newline still does not.
 */
export function appendSplit(src: string, template: string, routes: readonly Route[], environments?: readonly string[]): string {
  const ending = src.includes('\r\n') && !/(^|[^\r])\n/.test(src) ? '\r\n' : src.includes('\r') && !src.includes('\n') ? '\r' : '\n';
  const lines = [
    '---',
    'apiVersion: promptctl/v1',
    'kind: TrafficSplit',
    // Quoted: a name such as 123 or true would read as a number or a boolean.
    ...(environments ? ['metadata:', `  environments: [${environments.map((e) => JSON.stringify(e)).join(', ')}]`] : []),
    'spec:',
    `  template: ${JSON.stringify(template)}`,
    '  routes:',
    ...routes.flatMap((r) => [`    - version: "${r.version}"`, `      weight: ${r.weight}`]),
  ];
  const text = lines.join(ending);
  if (src === '') return `${lines.slice(1).join(ending)}${ending}`;
  // A file without a final newline keeps ending without one.
  const ends = src.endsWith('\n') || src.endsWith('\r');
  return ends ? `${src}${text}${ending}` : `${src}${ending}${text}`;
}
