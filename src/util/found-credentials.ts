// Masking credentials found by their shape rather than known by value (a key a server's error
// echoes, one in the org's live content a plan shows): the finder is the caller's (rules/secrets.ts
// credentialsIn), the mask is secrets.ts's. Pure.
import { maskFor } from './secrets.js';

/** A credential found in a text: where, and what it looks like ("an API key (sk-…)"). */
export interface CredentialFinding {
  index: number;
  length: number;
  name: string;
}

/**
 * `text` with each credential `find` finds masked as `[redacted: <what>]`, `what` made from what it
 * looks like: the whole of it (a private key's block, not only its BEGIN line). Also for a server's
 * words (cli/target.ts: a key an error echoes) and the org's content in a plan (plan/live-credentials.ts).
 */
export function maskFound(text: string, find: (text: string) => CredentialFinding[], what: (name: string) => string = (name) => name): string {
  const found = find(text);
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.index) + maskFor(what(f.name));
    at = f.index + f.length;
  }
  return out + text.slice(at);
}
