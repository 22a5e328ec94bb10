// What a YAML document refused whole (nested too deep, an alias bomb, an alias naming no anchor)
// still says of itself: its kind, metadata.name, spec.template and spec.version, so that what
// refers to it is not reported as undefined too (load/unloaded.ts). Read from the top two levels
// of its tree only, no alias followed and nothing expanded: the concrete syntax tree of a file
// never composed (too deep), or the nodes of a composed document (aliases). What was refused
// stays unread.
import { CST, isCollection, isScalar, parse, type Document } from 'yaml';
import { DOCUMENT_KINDS } from '../model/address.js';

/** A refused document's header, as best-effort data (config/parse.ts `broken`): only the fields found as text or a number. */
export interface RefusedHeader {
  kind?: string | number;
  metadata?: { name?: string | number };
  spec?: { template?: string | number; version?: string | number };
}

/** The paths read, in the shape of the header they make. */
const PATHS = [['kind'], ['metadata', 'name'], ['spec', 'template'], ['spec', 'version']] as const;

/** Kinds that other documents refer to by `metadata.name`: without it, what they define is unknown. */
const NAMED_KINDS: ReadonlySet<string> = new Set(['PromptTemplate', 'Guide', 'SafetyFilter']);

/**
 * Whether `header` says what its document defines: a known kind, with the name of a kind that is
 * referred to by name. (A PromptVersion without a readable template is unloaded.ts's own case:
 * any template's labels are then unsure.)
 */
export function identifies(header: RefusedHeader): boolean {
  if (typeof header.kind !== 'string' || !(DOCUMENT_KINDS as readonly string[]).includes(header.kind)) return false;
  return !NAMED_KINDS.has(header.kind) || typeof header.metadata?.name === 'string';
}

/** The header of a composed document, read through its nodes (an alias is not followed: `getIn` stops at it). */
export function headerOfDocument(doc: Document.Parsed): RefusedHeader {
  return headerFrom((path) => {
    if (!isCollection(doc.contents)) return undefined;
    const node = doc.getIn(path, true);
    return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? node.value : undefined;
  });
}

/** The header of each document of a file's concrete syntax tree (`tokens`, as lexed whole), in order. */
export function headersOfTokens(tokens: readonly CST.Token[]): RefusedHeader[] {
  return tokens.filter((t): t is CST.Document => t.type === 'document').map((d) => headerFrom((path) => cstValue(d.value, path)));
}

function headerFrom(read: (path: readonly string[]) => string | number | undefined): RefusedHeader {
  const header: Record<string, unknown> = {};
  for (const path of PATHS) {
    const value = read(path);
    if (value === undefined) continue;
    if (path.length === 1) header[path[0]] = value;
    else ((header[path[0]] ??= {}) as Record<string, unknown>)[path[1]] = value;
  }
  return header as RefusedHeader;
}

/** The scalar at `path` below a CST mapping (block or flow; its first key of a name counts, as the loader reads duplicates). */
function cstValue(token: CST.Token | undefined, path: readonly string[]): string | number | undefined {
  let at = token;
  for (const key of path) {
    const items = at && (at.type === 'block-map' || (at.type === 'flow-collection' && at.start.source === '{')) ? at.items : undefined;
    const item = items?.find((it) => it.key !== undefined && it.key !== null && cstScalar(it.key) === key);
    if (!item) return undefined;
    at = item.value;
  }
  return cstScalar(at);
}

/** A CST scalar's value as the core schema reads it (a plain `1.10` is a number), or undefined for anything else. */
function cstScalar(token: CST.Token | null | undefined): string | number | undefined {
  const resolved = CST.resolveAsScalar(token);
  if (!resolved) return undefined;
  if (resolved.type !== 'PLAIN') return resolved.value;
  try {
    // One plain scalar's text: its meaning as YAML 1.2 core gives it (null, a boolean, a number, text).
    const value: unknown = parse(resolved.value, { version: '1.2', schema: 'core', logLevel: 'silent' });
    return typeof value === 'string' || typeof value === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}
