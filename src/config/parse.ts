// YAML parsing with positions (yaml 2, YAML 1.2 core schema). Every document of a file becomes
// either plain data plus its node tree, or diagnostics naming file:line:column. Hostile input
// (deep nesting, alias bombs) is stopped here, before anything recursive touches it. The file's
// comments come with them (lex.ts), for the secrets rule.
import { Composer, LineCounter, isCollection, isMap, isScalar, isSeq, visit, type Alias, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { aliasTargets, expansionOf } from './alias-expansion.js';
import { MAX_FILE_BYTES } from './read.js';
import { plainData } from './plain-data.js';
import { messageOf } from '../util/errors.js';
import { groupThousands } from '../util/numbers.js';
import { withYamlEnv } from './yaml-env.js';
import { findTooDeep, lexAndParse, MAX_DEPTH, TOO_DEEP, type YamlComment } from './lex.js';
import { yamlProblem, type YamlProblem } from './yaml-problems.js';
import { sortedProblems } from './problem-echoes.js';
import { findDuplicateKeys } from './key-problems.js';
import { MAY_HOLD_OTHER_SPACE, otherSpaceIndents, otherSpaceLines } from './other-spaces.js';
import { continuedItems, MAY_HOLD_CONTINUED_ITEM } from './continued-items.js';
import { loneSurrogates, MAY_HOLD_SURROGATE_ESCAPE } from './lone-surrogates.js';
import { MARKER_IN_TEXT, markersInText } from './marker-in-text.js';
import { headerOfDocument, headersOfTokens, identifies } from './refused-header.js';
import { readUntagged } from './untagged.js';

/**
 * Alias expansions a document with YAML problems may make when read for its best-effort data
 * (yaml's own count, which stops "billion laughs" but also a long document reusing one anchor).
 */
export const MAX_ALIAS_COUNT = 100;
/**
 * Values a document may hold once its aliases are expanded (stops "billion laughs"): far above a
 * large PromptTest reusing an anchor in every case, far below what makes its checks slow.
 */
export const MAX_EXPANDED_VALUES = 100_000;
/** Characters its texts may add up to once expanded: no more than a file promptctl reads may hold (one long text named in every case). */
export const MAX_EXPANDED_CHARS = MAX_FILE_BYTES;
/** Parser errors reported per document; the rest are noise after the first few. */
const MAX_YAML_ERRORS = 10;

export interface ParsedDocument {
  file: string; // relative to cwd
  index: number; // 0-based position of the document in its file
  doc: Document.Parsed;
  data: unknown;
  src: string;
  lineCounter: LineCounter;
  /**
   * The document has YAML problems that leave its tree intact (duplicate keys: the first value of
   * a key counts, the later ones are dropped from `doc` and `data`; keys that are no name, dropped;
   * refused tags: the value read as its plain scalar, `untagged.ts`): never to be applied, only
   * checked further in the same run (its schema, its text), so one run says every problem.
   */
  yamlProblems?: true;
}

export interface ParseResult {
  documents: ParsedDocument[];
  diagnostics: Diagnostic[];
  /**
   * Best-effort data of documents with YAML problems: not to be checked or applied, only to
   * know which names they were meant to define (so references to them are not errors too).
   */
  broken?: unknown[];
  /**
   * What the file defines is not all known: it could not be parsed into documents (nor told apart,
   * for one refused for its size), or a document refused whole does not say its kind or name:
   * the rule of the error that says why (named by what refers to a name it may define).
   */
  unread?: string;
  /** The file's comments (none when it could not be lexed), placed by `lineCounter`: committed with it, so checked too. */
  comments: { list: readonly YamlComment[]; lineCounter: LineCounter };
}

const DOCUMENT_OPTIONS = {
  version: '1.2',
  schema: 'core',
  merge: false, // `<<` stays a literal key (YAML 1.2); the schema then rejects it
  // yaml's own check compares every key with every other key of its map: quadratic, so a
  // 2 MB mapping would hang. findDuplicateKeys does the same check with a hash set.
  uniqueKeys: false,
  strict: true,
  prettyErrors: false,
  keepSourceTokens: false,
  logLevel: 'error', // no process warnings on stderr (e.g. "keys with collection values")
} as const;

export function parseYaml(src: string, file: string): ParseResult {
  return withYamlEnv(() => {
    const text = withoutLoneCr(src);
    const lineCounter = new LineCounter();
    const lexed = lexAndParse(text, lineCounter);
    return { ...parseDocuments(text, file, lineCounter, lexed), comments: { list: lexed.ok ? lexed.comments : [], lineCounter } };
  });
}

/**
 * YAML reads a lone CR (old Mac line ends) as a line break; `yaml` does not, so a file saved that
 * way would be one comment or scalar line, its documents silently gone. CRLF stays (yaml reads it).
 */
function withoutLoneCr(src: string): string {
  return src.includes('\r') ? src.replace(/\r(?!\n)/g, '\n') : src;
}

function parseDocuments(src: string, file: string, lineCounter: LineCounter, lexed: ReturnType<typeof lexAndParse>): Omit<ParseResult, 'comments'> {
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number) => lineCounter.linePos(Math.max(0, Math.min(offset, src.length)));
  const diag = (offset: number, rule: string, message: string): Diagnostic => {
    const { line, col } = at(offset);
    return { file, line, column: col, severity: 'error', rule, message };
  };

  if (!lexed.ok) return { documents: [], diagnostics: [diag(0, 'yaml/syntax', `cannot parse YAML: ${lexed.message}`)], unread: 'yaml/syntax' };
  if (lexed.tooMany !== undefined) return { documents: [], diagnostics: [diag(lexed.tooMany.at, 'yaml/too-large', lexed.tooMany.message)], unread: 'yaml/too-large' };
  const tokens = lexed.tokens;

  // Depth first, on the concrete syntax tree (walked without recursion): composing a
  // 5,000-deep document would exhaust the stack.
  const tooDeep = findTooDeep(tokens, MAX_DEPTH) ?? lexed.stoppedAt;
  if (tooDeep !== undefined) {
    diagnostics.push(diag(tooDeep, 'yaml/too-deep', TOO_DEEP));
    // Each document's header, from the tree lexed; past a bracket that stopped the lexing, unknown.
    const headers = lexed.stoppedAt === undefined ? headersOfTokens(tokens) : [];
    const broken = headers.filter(identifies);
    const unread = lexed.stoppedAt !== undefined || broken.length < headers.length;
    return { documents: [], diagnostics, ...(broken.length > 0 ? { broken } : {}), ...(unread ? { unread: 'yaml/too-deep' } : {}) };
  }

  let docs: Document.Parsed[];
  const composer = new Composer({ ...DOCUMENT_OPTIONS, lineCounter });
  try {
    docs = Array.from(composer.compose(tokens));
  } catch (err) {
    const rule = err instanceof RangeError ? 'yaml/too-deep' : 'yaml/syntax';
    return { documents: [], diagnostics: [diag(0, rule, `cannot parse YAML: ${messageOf(err)}`)], unread: rule };
  }
  if (docs.length === 0) {
    const info = composer.streamInfo();
    for (const e of [...info.errors, ...info.warnings].slice(0, MAX_YAML_ERRORS)) {
      diagnostics.push(diag(e.pos[0], 'yaml/syntax', e.message));
    }
    return diagnostics.length > 0 ? { documents: [], diagnostics, unread: diagnostics[0]!.rule } : { documents: [], diagnostics };
  }

  // A `---` that cut an indented text in two: said at the marker, the cause of what follows.
  for (const at of markersInText(src)) diagnostics.push(diag(at, 'yaml/marker-in-text', MARKER_IN_TEXT));
  const documents: ParsedDocument[] = [];
  const broken: unknown[] = [];
  // Once a file: asked of each document, a file of 40,000 took minutes to validate.
  const mayHoldTags = /!!|!<|%TAG/.test(src);
  const mayHoldDirective = src.includes('%YAML');
  const mayHoldContinuedItem = MAY_HOLD_CONTINUED_ITEM.test(src);
  const mayHoldSurrogate = MAY_HOLD_SURROGATE_ESCAPE.test(src);
  // Lines indented with a space other than ASCII's: found once a file, told to their documents.
  const otherSpaced = MAY_HOLD_OTHER_SPACE.test(src) ? otherSpaceLines(src, tokens) : [];
  let unread: string | undefined;
  // A document refused whole (its aliases, its depth): its header, read without expanding it, for
  // the names it meant to define; one that does not say them leaves what the file defines unknown
  // (`rule`: the error that refused it).
  const keepRefused = (doc: Document.Parsed, rule: string): void => {
    const header = headerOfDocument(doc);
    if (identifies(header)) broken.push(header);
    else unread ??= rule;
  };
  // A refused document's best-effort data, kept for the names it meant to define.
  const keepBroken = (doc: Document.Parsed, rule: string): void => {
    try {
      broken.push(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
    } catch {
      keepRefused(doc, rule);
    }
  };
  docs.forEach((doc, index) => {
    const indents = otherSpaced.length > 0 ? otherSpaceIndents(doc, otherSpaced, docs[index + 1]?.range[0] ?? src.length) : [];
    const found = sortedProblems([...doc.errors, ...doc.warnings, ...findDuplicateKeys(doc, MAX_YAML_ERRORS + 1), ...indents], src);
    // Aliases naming no anchor: yaml says so only when the data is read, which a document with
    // problems never is; said with them when those leave the tree intact (a lost anchor is not
    // a second mistake).
    const intact = found.every((e) => INTACT.has(e.code));
    const problems = found.length > 0 && intact ? sortedProblems([...found, ...unresolvedAliases(doc)], src) : found;
    const said: Diagnostic[] = [];
    if (problems.length > 0) {
      // One problem per line: yaml often reports one mistake two or three times at one spot, and
      // one mistake may read as two kinds (`-.5` as a key rewritten and as an item without its
      // space). A duplicate key is a mistake of its own, apart from what its value holds (a quote
      // never closed): said beside it, or fixing the one would only then show the other. The note
      // on more problems is for a line left out, not for those echoes.
      const seen = new Set<string>();
      let lastLine = 0;
      let leftOut: (typeof problems)[number] | undefined;
      for (const e of problems) {
        const d = e.code === 'UNRESOLVED_ALIAS' ? diag(e.pos[0], 'yaml/alias', unresolvedAliasMessage(e.message, docs, index)) : yamlProblem(e, doc, src, diag);
        const key = d.rule === 'yaml/duplicate-key' ? `${d.line} key` : `${d.line}`;
        if (seen.has(key)) continue;
        if (seen.size === MAX_YAML_ERRORS) {
          leftOut = e;
          break;
        }
        seen.add(key);
        lastLine = d.line;
        said.push(d);
      }
      if (leftOut) said.push(diag(leftOut.pos[0], 'yaml/syntax', `more YAML problems in this document after line ${lastLine}`));
    } else if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && !writtenNull(doc.contents, src))) {
      // An empty document (a trailing `---`, a comment-only file) holds nothing to check; a null
      // written as the whole document (`~`, `null`) is one, and the schema says it is no mapping.
      return;
    }
    // The problems of values as written are said with the YAML ones, all in one run: each stage
    // returning alone took three runs to show a custom tag, a !!timestamp and an unknown key. In a
    // document whose tree a YAML problem broke, only those above it (the lines below wait for it).
    const brokenAt = found.reduce((at, e) => (INTACT.has(e.code) ? at : Math.min(at, e.pos[0])), src.length);
    // `%YAML 1.1` would have 010 read as 8 and yes as true; yaml reads the document by the core
    // schema asked for all the same, so its numbers would mean other than their author meant, unsaid.
    const declared = mayHoldDirective ? yamlVersionDirective(doc, src) : undefined;
    if (declared) {
      said.push(
        diag(
          declared.at,
          'yaml/version',
          `%YAML ${declared.version}: promptctl reads YAML 1.2 (core schema), where 010 is 10 and yes, on are text, not ${declared.version}'s 8 and true; remove the directive and write such values as 1.2 reads them`,
        ),
      );
    }
    // A value no field takes, which the schema cannot tell from one (a timestamp passes for a
    // mapping); one yaml could not make (`!!timestamp hello`) is said once, by yaml's own problem.
    const unmade = new Set(found.filter((e) => e.code === 'TAG_RESOLVE_FAILED').map((e) => e.pos[0]));
    const tagged = mayHoldTags ? yamlOnlyValues(doc, src).filter((t) => t.at < brokenAt && !unmade.has(t.at)) : [];
    for (const t of tagged) {
      const name = t.written ? `!!${t.tag}` : `The tag tag:yaml.org,2002:${t.tag}`;
      said.push(diag(t.at, 'yaml/tag', `${name} makes ${YAML_ONLY_TAGS[t.tag]}, which no field of a promptctl document takes: drop the tag (quote the value if it is text)`));
    }
    // Half a character, which no output can write: refused at its escape, as a tag no field takes is.
    const halves = mayHoldSurrogate ? loneSurrogates(doc, src).filter((h) => h.at < brokenAt) : [];
    for (const h of halves) {
      said.push(
        diag(
          h.at,
          'yaml/escape',
          `${h.written} is half of a UTF-16 surrogate pair, not a character: write the character itself, or escape it whole (\\U0001F600, or both halves, \\ud83d\\ude00)`,
        ),
      );
    }
    if (said.length > 0) {
      // Known by its name, so that what refers to it is not an error too.
      keepBroken(doc, said[0]!.rule);
      // Problems of its keys and tags alone leave a tree to check further (its schema, its text)
      // in this run: duplicate keys read with their first value, a tagged value as its plain
      // scalar. Not one whose values a directive or an escape makes mean other than written, nor
      // one not plain data (anchors, aliases, an ordered mapping's pairs).
      const checked = intact && !declared && halves.length === 0 ? readable(doc) : undefined;
      if (checked !== undefined) documents.push({ file, index, doc, data: checked, src, lineCounter, yamlProblems: true });
      // Otherwise its other problems show once these are fixed: said, as a tab's are.
      diagnostics.push(...(checked === undefined && intact ? said.map(untilFixed) : said));
      return;
    }
    if (doc.contents === null) return; // empty, left above
    let data: unknown;
    try {
      const plain = plainData(doc.contents);
      if (!plain) {
        // Only a document with anchors or aliases gets here: one that contains itself is refused.
        const targets = aliasTargets(doc);
        const cycle = selfContainingAlias(targets);
        if (cycle) {
          diagnostics.push(diag(cycle.offset, 'yaml/alias', `alias *${cycle.name} stands inside the value &${cycle.name} names, so that value contains itself: repeat what it needs instead`));
          keepRefused(doc, 'yaml/alias');
          return;
        }
        // Counted without expanding: a bomb is refused before toJS or any check walks it.
        const size = expansionOf(doc, { values: MAX_EXPANDED_VALUES + 1, chars: MAX_EXPANDED_CHARS + 1 }, targets);
        if (size.values > MAX_EXPANDED_VALUES || size.chars > MAX_EXPANDED_CHARS) {
          const what = size.values > MAX_EXPANDED_VALUES ? `more than ${groupThousands(MAX_EXPANDED_VALUES)} values` : `more than ${MAX_EXPANDED_CHARS / 1024 / 1024} MiB of text`;
          diagnostics.push(
            diag(
              firstAliasOffset(doc) ?? doc.contents.range?.[0] ?? 0,
              'yaml/aliases',
              `its aliases expand this document to ${what}: refusing a possible alias bomb (repeat less through aliases, or split the document)`,
            ),
          );
          keepRefused(doc, 'yaml/aliases');
          return;
        }
      }
      // Aliases are bounded by the expanded count above, not by yaml's count of uses.
      data = plain ? plain.data : doc.toJS({ maxAliasCount: -1 });
    } catch (err) {
      const start = doc.contents.range?.[0] ?? 0;
      const unresolved = err instanceof ReferenceError ? /^Unresolved alias.*:\s*(.+)$/.exec(err.message) : null;
      if (unresolved) {
        const name = unresolved[1]!.trim();
        diagnostics.push(diag(firstAliasOffset(doc, name) ?? start, 'yaml/alias', unresolvedAliasMessage(name, docs, index)));
      } else if (err instanceof RangeError) {
        diagnostics.push(diag(start, 'yaml/too-deep', 'document is too deeply nested or self-referencing'));
      } else {
        diagnostics.push(diag(start, 'yaml/syntax', `cannot read document: ${messageOf(err)}`));
      }
      keepRefused(doc, diagnostics.at(-1)!.rule);
      return;
    }
    // Valid YAML, so a warning: the document is read as YAML reads it.
    if (mayHoldContinuedItem) for (const c of continuedItems(doc, src)) diagnostics.push({ ...diag(c.at, 'yaml/continued-item', c.message), severity: 'warning' });
    documents.push({ file, index, doc, data, src, lineCounter });
  });
  return { documents, diagnostics, ...(broken.length ? { broken } : {}), ...(unread !== undefined ? { unread } : {}) };
}

/**
 * The YAML version a document's `%YAML` directive declares, when it is one yaml reads but not
 * 1.2 (1.1; a later one is yaml's own warning), with the directive's offset.
 */
function yamlVersionDirective(doc: Document.Parsed, src: string): { version: string; at: number } | undefined {
  const { explicit, version } = doc.directives?.yaml ?? {};
  if (!explicit || version === '1.2') return undefined;
  const start = doc.range[0];
  const at = src.lastIndexOf('%YAML', start);
  return { version: version ?? '', at: at === -1 ? start : at };
}

/** The prefix of YAML's own tags (`!!name`). */
const YAML_TAG = 'tag:yaml.org,2002:';

/** yaml's tags beyond the core schema's, what each makes, and none of it a field of ours holds. */
const YAML_ONLY_TAGS: Readonly<Record<string, string>> = {
  timestamp: 'a timestamp',
  binary: 'binary data',
  set: 'a set',
  omap: 'an ordered mapping',
  pairs: 'a list of pairs',
};

/** The nodes of `doc` tagged with one of YAML_ONLY_TAGS, at the tag when it is written `!!name` before the value. */
function yamlOnlyValues(doc: Document.Parsed, src: string): { tag: string; at: number; written: boolean }[] {
  const found: { tag: string; at: number; written: boolean }[] = [];
  visit(doc, (_key, node) => {
    // A set's members have no value: null.
    const tag = node === null || typeof node !== 'object' ? undefined : (node as { tag?: string }).tag;
    const name = tag?.startsWith(YAML_TAG) ? tag.slice(YAML_TAG.length) : undefined;
    if (name === undefined || !(name in YAML_ONLY_TAGS)) return;
    const value = (node as Node).range?.[0] ?? 0;
    // At the tag, when it stands on the value's line: `!!name`, or written out `!<tag:…>`.
    const before = (text: string): number => {
      const at = src.lastIndexOf(text, value);
      return at !== -1 && !src.slice(at, value).includes('\n') ? at : -1;
    };
    const short = before(`!!${name}`);
    const verbatim = before(`!<${tag}>`);
    found.push({ tag: name, at: short !== -1 ? short : verbatim !== -1 ? verbatim : value, written: short !== -1 });
  });
  return found;
}

/** Problems of a mapping's keys, which leave its other pairs to read: a duplicate key, a key that is no name (null, a collection). */
const KEY_PROBLEMS: ReadonlySet<string> = new Set(['DUPLICATE_KEY', 'NULL_KEY', 'COLLECTION_KEY']);

/** Problems that leave a document's tree as written: a tag yaml could not apply (a custom one), a problem of a key. */
const INTACT: ReadonlySet<string> = new Set(['TAG_RESOLVE_FAILED', ...KEY_PROBLEMS]);

/** Why alias *name of document `index` names no anchor. Anchors belong to their document: one defined above a `---` is out of reach. */
function unresolvedAliasMessage(name: string, docs: readonly Document.Parsed[], index: number): string {
  const earlier = docs.slice(0, index).findIndex((d) => anchorOffset(d, name) !== undefined);
  const why =
    earlier >= 0
      ? `&${name} is defined in document ${earlier + 1} of this file, and an anchor does not reach past \`---\`: define it again in this document, or repeat the value`
      : `define &${name} before using it (YAML aliases refer back, never forward)`;
  return `alias *${name} names no anchor: ${why}`;
}

/** Each alias of `doc` that names no anchor before it, as a problem (yamlProblem words it). */
function unresolvedAliases(doc: Document.Parsed): YamlProblem[] {
  const targets = aliasTargets(doc);
  const out: YamlProblem[] = [];
  visit(doc, {
    Alias(_, node) {
      if (!targets.has(node) && node.range) out.push({ code: 'UNRESOLVED_ALIAS', message: node.source, pos: [node.range[0], node.range[1]] });
    },
  });
  return out;
}

/**
 * The data of a document whose only problems are its keys' and its tags': each refused tag's
 * value read as its plain scalar, then each key's first value; undefined when that is no plain data.
 */
function readable(doc: Document.Parsed): unknown {
  readUntagged(doc, (tag) => tag.startsWith(YAML_TAG) && tag.slice(YAML_TAG.length) in YAML_ONLY_TAGS);
  return firstValuesOnly(doc);
}

/** Whose fix lets the rest of a document that could not be read be checked. */
const HOLDING_BACK: ReadonlySet<string> = new Set(['yaml/tag', 'yaml/version', 'yaml/escape']);

/** `d` saying that the rest of its document is checked once it is fixed (worded as a tab's problem says it). */
function untilFixed(d: Diagnostic): Diagnostic {
  if (!HOLDING_BACK.has(d.rule)) return d;
  const note = 'the rest of this document is checked once this is fixed';
  return { ...d, message: d.message.endsWith(')') ? `${d.message.slice(0, -1)}; ${note})` : `${d.message} (${note})` };
}

/**
 * The data of a document whose only YAML problems are its keys', with the first value of each key
 * (the later ones are the mistakes the problems point at) and without the pairs whose key is no
 * name (null, a collection): dropped from `doc` too, so the data and the places in it agree;
 * undefined when it is not plain data (anchors, aliases: not read further, as any document with
 * problems).
 */
function firstValuesOnly(doc: Document.Parsed): unknown {
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isSeq(node)) for (const item of node.items) stack.push(item);
    if (!isMap(node)) continue;
    const seen = new Set<string>();
    node.items = node.items.filter((p) => {
      if (isCollection(p.key) || (isScalar(p.key) && p.key.value === null)) return false;
      stack.push(p.value);
      if (!isScalar(p.key)) return true;
      const id = String(p.key.value);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }
  return plainData(doc.contents)?.data;
}

/**
 * The first alias that stands inside the very node its anchor names (`&s {a: *s}`): yaml makes a
 * cyclic object of it, and every walk over the document would go round it forever. Aliases refer
 * back, so a cycle through several anchors always has one alias inside its own anchor's node.
 */
function selfContainingAlias(targets: ReadonlyMap<Alias, Node>): { name: string; offset: number } | undefined {
  // In document order (the map's), so the first such alias is named.
  for (const [alias, node] of targets) {
    const at = alias.range?.[0];
    const target = node.range;
    if (at !== undefined && target && at >= target[0] && at < target[1]) return { name: alias.source, offset: at };
  }
  return undefined;
}

/** Where `doc` defines anchor &name, if it does. */
function anchorOffset(doc: Document.Parsed, name: string): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Node(_, node) {
      if (node.anchor !== name) return undefined;
      found = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return found;
}

/** Offset of the first alias (`*name`, or any alias) in a document, for pointing at it. */
function firstAliasOffset(doc: Document.Parsed, name?: string): number | undefined {
  let first: number | undefined;
  visit(doc, {
    Alias(_, node) {
      const at = node.range?.[0];
      if (name !== undefined && node.source !== name) return;
      if (at !== undefined && (first === undefined || at < first)) first = at;
    },
  });
  return first;
}

/** Whether a null scalar was written (`~`, `null`, `Null`), not made of nothing (an empty document). */
function writtenNull(node: { range?: [number, number, number] | null }, src: string): boolean {
  const [start, end] = node.range ?? [0, 0];
  return src.slice(start, end).trim() !== '';
}
