// apiVersion and kind, checked before a document is dispatched to its kind's schema.
import type { Diagnostic } from '../model/diagnostic.js';
import { API_VERSION } from '../model/types.js';
import { type DocumentKind } from '../model/address.js';
import { findKey, findNode, nodeStart, type DocContext } from '../config/nodes.js';
import { describeValue } from './messages.js';
import { closest } from '../util/suggest.js';
import { lookalikeNote } from '../util/lookalike.js';
import { DOCUMENT_KINDS } from '../model/address.js';

export interface HeaderResult {
  /** The document's kind when it is a known one (validation can go on), else undefined. */
  kind?: DocumentKind;
  diagnostics: Diagnostic[];
  /** Top-level keys said here as a misspelt apiVersion or kind: the schema's "unknown field" would say them again. */
  misspelt: string[];
  /** The key said to be a misspelt kind (`kinds`), whose value is the kind meant. */
  misspeltKind?: string;
  /** The kind a misspelt kind value (`kind: PromptVersoin`) was taken for, as its did-you-mean says. */
  meantKind?: DocumentKind;
}

/** The keys every document has at its top level. */
const TOP_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];

/** A key of `doc` that is `name` misspelt (`kinds`, `Kind`, `apiversion`), if one is. */
function misspeltKey(doc: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(doc).find((k) => !TOP_KEYS.includes(k) && closest(k, [name]) === name);
}

export function checkHeader(ctx: DocContext, data: unknown): HeaderResult {
  const diagnostics: Diagnostic[] = [];
  const err = (node: unknown, rule: string, message: string) => {
    const at = nodeStart(ctx, node);
    diagnostics.push({ file: at.file, line: at.line, column: at.column, severity: 'error', rule, message });
  };
  const root = findNode(ctx, []).at;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    err(
      root,
      'schema/document',
      // A document of nothing is no document (config/parse.ts skips it): a null here was written (`~`).
      `a promptctl document is a mapping with apiVersion, kind, metadata and spec, not ${data === null ? 'a null (~)' : describeValue(data)}`,
    );
    return { diagnostics, misspelt: [] };
  }
  const doc = data as Record<string, unknown>;
  const misspelt: string[] = [];
  // A header key spelt wrong is one mistake: said at that key, not as a missing one at 1:1 as well.
  const missing = (name: 'apiVersion' | 'kind', rule: string, what: string) => {
    const near = misspeltKey(doc, name);
    if (near === undefined) return err(root, rule, `missing ${name}: ${what}`);
    misspelt.push(near);
    err(findKey(ctx, [], near), rule, `unknown field ${describeValue(near)} (did you mean "${name}"?)${lookalikeNote(near)}`);
  };

  if (!('apiVersion' in doc)) {
    missing('apiVersion', 'schema/api-version', `add "apiVersion: ${API_VERSION}"`);
  } else if (doc.apiVersion !== API_VERSION) {
    err(
      findNode(ctx, ['apiVersion']).at,
      'schema/api-version',
      `apiVersion ${describeValue(doc.apiVersion)} is not supported; use "${API_VERSION}"`,
    );
  }

  if (!('kind' in doc)) {
    missing('kind', 'schema/kind', `one of ${DOCUMENT_KINDS.join(', ')}`);
    const misspeltKind = misspeltKey(doc, 'kind');
    return { diagnostics, misspelt, ...(misspeltKind !== undefined ? { misspeltKind } : {}) };
  }
  const kind = doc.kind;
  if (typeof kind === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(kind)) {
    return { kind: kind as DocumentKind, diagnostics, misspelt };
  }
  const suggestion = typeof kind === 'string' ? closest(kind, DOCUMENT_KINDS) : undefined;
  err(
    findNode(ctx, ['kind']).at,
    'schema/unknown-kind',
    // A kind that is no text at all (a list, a mapping, a number) is not an unknown name: say what it must be.
    typeof kind === 'string'
      ? `unknown kind ${describeValue(kind)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected one of ${DOCUMENT_KINDS.join(', ')}`
      : `kind must be one of ${DOCUMENT_KINDS.join(', ')}, as text, not ${describeValue(kind)}`,
  );
  return { diagnostics, misspelt, ...(suggestion !== undefined ? { meantKind: suggestion as DocumentKind } : {}) };
}
