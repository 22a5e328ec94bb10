// YAML parsing with positions (yaml 2, YAML 1.2 core schema). Every document of a file becomes
// either plain data plus its node tree, or diagnostics naming file:line:column. Hostile input
// (deep nesting, alias bombs) is stopped here, before anything recursive touches it.
import { Composer, LineCounter, Parser, isScalar, visit, type Document, type CST } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';

/** Deeper collections are refused before composing (real documents are 5 or 6 levels deep). */
export const MAX_DEPTH = 64;
/** Alias expansions allowed per document when converting to data (stops "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** Parser errors reported per document; the rest are noise after the first few. */
const MAX_YAML_ERRORS = 10;

export interface ParsedDocument {
  file: string; // relative to cwd
  index: number; // 0-based position of the document in its file
  doc: Document.Parsed;
  data: unknown;
  src: string;
  lineCounter: LineCounter;
}

export interface ParseResult {
  documents: ParsedDocument[];
  diagnostics: Diagnostic[];
}

const DOCUMENT_OPTIONS = {
  version: '1.2',
  schema: 'core',
  merge: false, // `<<` stays a literal key (YAML 1.2); the schema then rejects it
  uniqueKeys: true,
  strict: true,
  prettyErrors: false,
  keepSourceTokens: false,
} as const;

export function parseYaml(src: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lineCounter = new LineCounter();
  const at = (offset: number) => lineCounter.linePos(Math.max(0, Math.min(offset, src.length)));
  const diag = (offset: number, rule: string, message: string): Diagnostic => {
    const { line, col } = at(offset);
    return { file, line, column: col, severity: 'error', rule, message };
  };

  let tokens: CST.Token[];
  try {
    tokens = Array.from(new Parser(lineCounter.addNewLine).parse(src));
  } catch (err) {
    return { documents: [], diagnostics: [diag(0, 'yaml/syntax', `cannot parse YAML: ${describe(err)}`)] };
  }

  // Depth first, on the concrete syntax tree (walked without recursion): composing a
  // 5,000-deep document would exhaust the stack.
  const tooDeep = findTooDeep(tokens, MAX_DEPTH);
  if (tooDeep !== undefined) {
    diagnostics.push(
      diag(tooDeep, 'yaml/too-deep', `nesting is deeper than ${MAX_DEPTH} levels; promptctl documents need only a few`),
    );
    return { documents: [], diagnostics };
  }

  let docs: Document.Parsed[];
  const composer = new Composer({ ...DOCUMENT_OPTIONS, lineCounter });
  try {
    docs = Array.from(composer.compose(tokens));
  } catch (err) {
    const rule = err instanceof RangeError ? 'yaml/too-deep' : 'yaml/syntax';
    return { documents: [], diagnostics: [diag(0, rule, `cannot parse YAML: ${describe(err)}`)] };
  }
  if (docs.length === 0) {
    const info = composer.streamInfo();
    for (const e of [...info.errors, ...info.warnings].slice(0, MAX_YAML_ERRORS)) {
      diagnostics.push(diag(e.pos[0], 'yaml/syntax', e.message));
    }
    return { documents: [], diagnostics };
  }

  const documents: ParsedDocument[] = [];
  docs.forEach((doc, index) => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      for (const e of problems.slice(0, MAX_YAML_ERRORS)) diagnostics.push(yamlProblem(e, doc, src, diag));
      if (problems.length > MAX_YAML_ERRORS) {
        const e = problems[MAX_YAML_ERRORS]!;
        diagnostics.push(diag(e.pos[0], 'yaml/syntax', `${problems.length - MAX_YAML_ERRORS} more YAML problems in this document`));
      }
      return;
    }
    // An empty document (a trailing `---`, a comment-only file) holds nothing to check.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const start = doc.contents.range?.[0] ?? 0;
      if (err instanceof ReferenceError && /alias/i.test(err.message)) {
        diagnostics.push(
          diag(firstAliasOffset(doc) ?? start, 'yaml/aliases', `too many alias expansions (limit ${MAX_ALIAS_COUNT} per document): refusing a possible alias bomb`),
        );
      } else if (err instanceof RangeError) {
        diagnostics.push(diag(start, 'yaml/too-deep', 'document is too deeply nested or self-referencing'));
      } else {
        diagnostics.push(diag(start, 'yaml/syntax', `cannot read document: ${describe(err)}`));
      }
      return;
    }
    documents.push({ file, index, doc, data, src, lineCounter });
  });
  return { documents, diagnostics };
}

interface YamlProblem {
  code: string;
  message: string;
  pos: [number, number];
}

function yamlProblem(
  e: YamlProblem,
  doc: Document.Parsed,
  src: string,
  diag: (offset: number, rule: string, message: string) => Diagnostic,
): Diagnostic {
  switch (e.code) {
    case 'DUPLICATE_KEY': {
      const key = keyTextAt(src, e.pos[0]);
      const first = firstKeyOffset(doc, e.pos[0]);
      const where = first === undefined ? '' : `; first defined on line ${diag(first, '', '').line}`;
      return diag(e.pos[0], 'yaml/duplicate-key', `duplicate key${key ? ` "${key}"` : ''}${where}`);
    }
    case 'RESOURCE_EXHAUSTION':
      return diag(e.pos[0], 'yaml/too-deep', `YAML too large or too deep: ${e.message}`);
    case 'TAG_RESOLVE_FAILED':
      return diag(e.pos[0], 'yaml/tag', `${e.message} (custom tags are not supported)`);
    default:
      return diag(e.pos[0], 'yaml/syntax', e.message);
  }
}

/** The plain key text starting at `offset` (for messages), or "". */
function keyTextAt(src: string, offset: number): string {
  const m = /^["']?([^"'\n:]{1,80})/.exec(src.slice(offset, offset + 120));
  return m ? m[1]!.trim() : '';
}

/** For a duplicate key at `offset`, the offset of the first key with the same value in that map. */
function firstKeyOffset(doc: Document.Parsed, offset: number): number | undefined {
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop() as { items?: unknown[] } | null;
    if (!node || typeof node !== 'object' || !Array.isArray(node.items)) continue;
    const pairs = node.items as { key?: { value?: unknown; range?: number[] }; value?: unknown }[];
    const dup = pairs.find((p) => p && typeof p === 'object' && 'key' in p && p.key?.range?.[0] === offset);
    if (dup) {
      const first = pairs.find((p) => p.key && p.key.value === dup.key?.value && p !== dup);
      return first?.key?.range?.[0];
    }
    for (const p of pairs) {
      if (p && typeof p === 'object' && 'key' in p) stack.push(p.value);
      else stack.push(p);
    }
  }
  return undefined;
}

/** Offset of the first alias (`*name`) in a document, for pointing at an alias bomb. */
function firstAliasOffset(doc: Document.Parsed): number | undefined {
  let first: number | undefined;
  visit(doc, {
    Alias(_, node) {
      const at = node.range?.[0];
      if (at !== undefined && (first === undefined || at < first)) first = at;
    },
  });
  return first;
}

/** Offset of the first collection nested deeper than `max`, or undefined. Iterative. */
export function findTooDeep(tokens: readonly CST.Token[], max: number): number | undefined {
  type Node = { type?: string; offset?: number; key?: unknown; value?: unknown; items?: unknown[] };
  const stack: [Node, number][] = [];
  for (const t of tokens) stack.push([t as Node, 0]);
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    let d = depth;
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      d = depth + 1;
      if (d > max) return t.offset ?? 0;
    }
    const push = (x: unknown) => {
      if (x && typeof x === 'object') stack.push([x as Node, d]);
    };
    push(t.value);
    push(t.key);
    if (Array.isArray(t.items)) {
      for (const it of t.items as Node[]) {
        if (it.type) push(it);
        else {
          push(it.key);
          push(it.value);
        }
      }
    }
  }
  return undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
