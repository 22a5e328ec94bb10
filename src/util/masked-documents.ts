// Masking a finished machine-readable document (JSON, JUnit XML) in its string values alone: never
// a key, a literal (`true`, `null`), a number or markup, which a short secret that is a common word
// (`test`, `true`, `name`) would otherwise replace, leaving a document no reader parses. Each value
// is decoded, masked as the text it stands for, and encoded again, so a secret is found whatever
// escapes the document gave it (the JSON or XML encoding of the value is the value). Pure.
import { xmlAttr, xmlEscape } from './escapes.js';

/** A JSON string literal, and the `:` after it when it is an object key. */
const JSON_STRING = /"(?:[^"\\]|\\[^])*"(?=(\s*:)?)/g;

/**
 * `json` (a JSON text) with `mask` applied to each string value, keys left as they are. A literal
 * whose value masking leaves alone is kept byte for byte. Outside a string, JSON holds no `"`, so
 * scanning string literals from the start reads the document as a parser would.
 */
export function maskJsonValues(json: string, mask: (text: string) => string): string {
  return json.replace(JSON_STRING, (literal: string, key: string | undefined) => {
    if (key !== undefined) return literal;
    const value = JSON.parse(literal) as string;
    const masked = mask(value);
    return masked === value ? literal : JSON.stringify(masked);
  });
}

/** A tag (its attribute values inside), or the character data between two tags. */
const XML_PART = /<[^>]*>|[^<]+/g;
/** An attribute value in a tag, quoted as escapes.ts xmlAttr writes it (`"`, never raw inside). */
const XML_ATTR = /="([^"]*)"/g;
/** The references escapes.ts writes: the five entities, and decimal or hex character references. */
const XML_REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlDecode(text: string): string {
  return text.replace(XML_REFERENCE, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
    name !== undefined ? ENTITIES[name]! : String.fromCodePoint(Number.parseInt(dec ?? hex!, dec !== undefined ? 10 : 16)),
  );
}

/**
 * `xml` (a document escapes.ts escaped: no comments, CDATA or DTD) with `mask` applied to each
 * attribute value and each run of character data, tag and attribute names and the declaration
 * left as they are. A value masking leaves alone is kept byte for byte.
 */
export function maskXmlValues(xml: string, mask: (text: string) => string): string {
  const masked = (escaped: string, escape: (s: string) => string): string => {
    const value = xmlDecode(escaped);
    const m = mask(value);
    return m === value ? escaped : escape(m);
  };
  return xml.replace(XML_PART, (part) => {
    if (!part.startsWith('<')) return masked(part, xmlEscape);
    // The declaration (`<?xml version="1.0" encoding="UTF-8"?>`) is markup, its values included.
    if (part.startsWith('<?')) return part;
    return part.replace(XML_ATTR, (whole, value: string) => {
      const m = masked(value, xmlAttr);
      return m === value ? whole : `="${m}"`;
    });
  });
}
