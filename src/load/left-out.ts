// The documents a load left out of the desired state (a schema or header error, a `{file: ...}`
// text that could not be read, a YAML problem, a misplaced or second Config), as plain data:
// what each one was meant to be and the first error inside it. Taken from what the loader
// parsed, when the document failed: a clean run records nothing and locates nothing.
import { isScalar, isSeq } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { DOCUMENT_KINDS, formatAddress, type DocumentKind } from '../model/address.js';
import type { SourceLocation } from '../model/types.js';
import { findNode, type DocContext } from '../config/nodes.js';
import type { ParsedDocument } from '../config/parse.js';
import { isPlainObject } from '../config/plain-data.js';

/** A document outside the desired state (LoadResult `leftOut`). */
export interface LeftOutDocument {
  kind: DocumentKind;
  /** `metadata.name`; a PromptVersion's `spec.template`. When readable as text. */
  name?: string;
  /** Its address (`formatAddress`): a PromptVersion's when `spec.template` and `spec.version` are readable, others' when `name` is. */
  address?: string;
  /** `metadata.environments`, when it is a list. */
  environments?: string[];
  /** The first error inside the document (diagnostics sorted: by line, then column). */
  firstError: SourceLocation;
}

type Identity = Omit<LeftOutDocument, 'firstError'>;

/** Lines of its file a document spans: `from` to before `to`. */
interface Lines {
  from: number;
  to: number;
}

interface Pending {
  identity: Identity;
  file: string;
  /** Its lines, for a document the loader parsed whole. */
  lines?: Lines;
  /**
   * A document whose YAML could not be parsed: the loader holds its best-effort data, not where
   * it is. Its error is the file's first that lies in none of these (the documents parsed whole)
   * and that no earlier such document of the file took: exact when each such document has one
   * error (a custom tag), or when the file has one such document.
   */
  outside?: readonly Lines[];
  /** It was also read whole (only its keys wrong: duplicate, or no name): the same document, said once. */
  whole?: boolean;
}

export class LeftOutDocuments {
  private readonly pending: Pending[] = [];

  /** A document the loader parsed (`d`), of a known `kind`, that stays out of the desired state. */
  parsed(kind: DocumentKind, ctx: DocContext, d: Pick<ParsedDocument, 'index' | 'yamlProblems'>): void {
    this.pending.push({ identity: identityOf(kind, ctx), file: ctx.file, lines: linesOf(ctx, d.index), ...(d.yamlProblems ? { whole: true } : {}) });
  }

  /**
   * The best-effort data of documents of `file` with YAML problems (config/parse.ts `broken`);
   * `documents` are the file's documents parsed whole. Those whose kind is unknown, and one
   * that was also read whole (its only problems its keys), are not recorded here.
   */
  broken(file: string, broken: readonly unknown[], documents: readonly ParsedDocument[]): void {
    let outside: Lines[] | undefined;
    for (const data of broken) {
      const identity = dataIdentity(data);
      if (identity === undefined) continue;
      if (this.pending.some((p) => p.whole && p.file === file && sameIdentity(p.identity, identity))) continue;
      outside ??= documents.map((d) => linesOf({ src: d.src, lineCounter: d.lineCounter, doc: d.doc }, d.index));
      this.pending.push({ identity, file, outside });
    }
  }

  /**
   * Each document recorded, with the first error of `diagnostics` (sorted) inside it; a document
   * without one is not listed. Ordered by that error.
   */
  located(diagnostics: readonly Diagnostic[]): LeftOutDocument[] {
    if (this.pending.length === 0) return [];
    const errors = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) {
      if (d.severity !== 'error') continue;
      const list = errors.get(d.file);
      if (list) list.push(d);
      else errors.set(d.file, [d]);
    }
    const out: LeftOutDocument[] = [];
    const within = (l: Lines, line: number) => line >= l.from && line < l.to;
    const taken = new Set<Diagnostic>();
    for (const p of this.pending) {
      const inFile = errors.get(p.file) ?? [];
      const first = p.lines ? inFile.find((e) => within(p.lines!, e.line)) : inFile.find((e) => !taken.has(e) && !p.outside!.some((l) => within(l, e.line)));
      if (first === undefined) continue;
      if (!p.lines) taken.add(first);
      out.push({ ...p.identity, firstError: { file: first.file, line: first.line, column: first.column } });
    }
    // Stable: documents of one file stay in their order when their errors tie.
    return out.sort((a, b) => (a.firstError.file !== b.firstError.file ? (a.firstError.file < b.firstError.file ? -1 : 1) : a.firstError.line - b.firstError.line || a.firstError.column - b.firstError.column));
  }
}

/** The lines a document spans: from its start (line 1 for a file's first) to the next one's. */
function linesOf(ctx: Pick<DocContext, 'src' | 'lineCounter' | 'doc'>, index: number): Lines {
  const [start, , end] = ctx.doc.range;
  return {
    from: index === 0 ? 1 : ctx.lineCounter.linePos(start).line,
    to: end >= ctx.src.length ? Number.POSITIVE_INFINITY : ctx.lineCounter.linePos(end).line,
  };
}

/** What a parsed document was meant to be, read from its nodes as written (`version: 1.0` is "1.0"). */
function identityOf(kind: DocumentKind, ctx: DocContext): Identity {
  const text = (path: string[]) => scalarText(findNode(ctx, path).node, ctx.src);
  const envNode = findNode(ctx, ['metadata', 'environments']).node;
  const environments = isSeq(envNode) ? envNode.items.map((item) => scalarText(item, ctx.src) ?? '') : undefined;
  const name = kind === 'PromptVersion' ? text(['spec', 'template']) : text(['metadata', 'name']);
  const version = kind === 'PromptVersion' ? text(['spec', 'version']) : undefined;
  return identity(kind, name, version, environments);
}

/** What a document with YAML problems was meant to be, from its best-effort data (a number as JavaScript writes it). */
function dataIdentity(data: unknown): Identity | undefined {
  if (!isPlainObject(data) || typeof data.kind !== 'string' || !(DOCUMENT_KINDS as readonly string[]).includes(data.kind)) return undefined;
  const kind = data.kind as DocumentKind;
  const metadata = isPlainObject(data.metadata) ? data.metadata : {};
  const spec = isPlainObject(data.spec) ? data.spec : {};
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  const environments = Array.isArray(metadata.environments) ? metadata.environments.map((e: unknown) => text(e) ?? '') : undefined;
  return kind === 'PromptVersion' ? identity(kind, text(spec.template), text(spec.version), environments) : identity(kind, text(metadata.name), undefined, environments);
}

function identity(kind: DocumentKind, name: string | undefined, version: string | undefined, environments: string[] | undefined): Identity {
  const out: Identity = { kind };
  if (name !== undefined) out.name = name;
  if (kind === 'PromptVersion') {
    if (name !== undefined && version !== undefined) out.address = formatAddress({ kind, name, version });
  } else if (kind !== 'Config' && name !== undefined) {
    out.address = formatAddress({ kind, name });
  }
  if (environments !== undefined) out.environments = environments;
  return out;
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return a.kind === b.kind && a.name === b.name && a.address === b.address;
}

/** A scalar's string, or a plain number's text as written. */
function scalarText(node: unknown, src: string): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return node.value;
  if (typeof node.value === 'number' && node.range) return src.slice(node.range[0], node.range[1]).trim();
  return undefined;
}
