// apiVersion and kind, checked before a document is dispatched to its kind's schema.
import type { Diagnostic } from '../model/diagnostic.js';
import { API_VERSION } from '../model/types.js';
import { type DocumentKind } from '../model/address.js';
import { findNode, nodeStart, type DocContext } from '../config/nodes.js';
import { describeValue } from './messages.js';
import { closest } from '../util/suggest.js';
import { DOCUMENT_KINDS } from '../model/address.js';

export interface HeaderResult {
  /** The document's kind when it is a known one (validation can go on), else undefined. */
  kind?: DocumentKind;
  diagnostics: Diagnostic[];
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
      `a promptctl document is a mapping with apiVersion, kind, metadata and spec, not ${describeValue(data)}`,
    );
    return { diagnostics };
  }
  const doc = data as Record<string, unknown>;

  if (!('apiVersion' in doc)) {
    err(root, 'schema/api-version', `missing apiVersion: add "apiVersion: ${API_VERSION}"`);
  } else if (doc.apiVersion !== API_VERSION) {
    err(
      findNode(ctx, ['apiVersion']).at,
      'schema/api-version',
      `apiVersion ${describeValue(doc.apiVersion)} is not supported; use "${API_VERSION}"`,
    );
  }

  if (!('kind' in doc)) {
    err(root, 'schema/kind', `missing kind: one of ${DOCUMENT_KINDS.join(', ')}`);
    return { diagnostics };
  }
  const kind = doc.kind;
  if (typeof kind === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(kind)) {
    return { kind: kind as DocumentKind, diagnostics };
  }
  const suggestion = typeof kind === 'string' ? closest(kind, DOCUMENT_KINDS) : undefined;
  err(
    findNode(ctx, ['kind']).at,
    'schema/unknown-kind',
    `unknown kind ${describeValue(kind)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected one of ${DOCUMENT_KINDS.join(', ')}`,
  );
  return { diagnostics };
}
