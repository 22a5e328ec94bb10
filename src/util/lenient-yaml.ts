// Old YAML texts read leniently (a file as git held it at some commit): each document as plain
// data, a document that cannot be read left out, and lone CRs as line breaks, as the loader reads
// them (config/parse.ts). For what such a text defined: git/ownership.ts and --changed-since.
import { parseAllDocuments } from 'yaml';

/** Every document of `text` that reads as data (duplicate keys allowed, aliases bounded). */
export function lenientDocuments(text: string): unknown[] {
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
