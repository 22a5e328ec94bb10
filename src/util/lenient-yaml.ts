// Old YAML texts read leniently (a file as git held it at some commit): each document as plain
// data, a document that cannot be read left out, and lone CRs as line breaks, as the loader reads
// them (config/parse.ts). For what such a text defined: git/ownership.ts and --changed-since.
import { Lexer, parseAllDocuments } from 'yaml';

/**
 * Flow collections nested deeper than this make a text unread (the loader's own limit, config/lex.ts
 * MAX_DEPTH): yaml's parser spends seconds and gigabytes on a run of "[" (1 MB: 14 s, 0.9 GB), and
 * such a text, which validate refused, may still be in git history.
 */
const MAX_FLOW_DEPTH = 64;

/** Every document of `text` that reads as data (duplicate keys allowed, aliases bounded). */
export function lenientDocuments(text: string): unknown[] {
  if (flowTooDeep(text)) return [];
  let docs;
  try {
    docs = parseAllDocuments(text.replace(/\r(?!\n)/g, '\n'), { uniqueKeys: false });
  } catch {
    return [];
  }
  const out: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    try {
      out.push(doc.toJS({ maxAliasCount: 100 }));
    } catch {
      // An unreadable document: it defined nothing.
    }
  }
  return out;
}

/** Whether flow collections nest past MAX_FLOW_DEPTH; lexed only when the text holds that many brackets at all. */
export function flowTooDeep(text: string): boolean {
  let brackets = 0;
  for (let i = 0; i < text.length && brackets <= MAX_FLOW_DEPTH; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 /* [ */ || c === 123 /* { */) brackets++;
  }
  if (brackets <= MAX_FLOW_DEPTH) return false;
  let depth = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (lexeme === '[' || lexeme === '{') {
      if (++depth > MAX_FLOW_DEPTH) return true;
    } else if ((lexeme === ']' || lexeme === '}') && depth > 0) depth--;
    else if (lexeme === '\x02') depth = 0; // a new document
  }
  return false;
}
