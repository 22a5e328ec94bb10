// Keeps credentials out of every message the client produces. The primary defence is that
// errors are built from our own words (never from got's error objects, which carry request
// headers); this scrubber is the last line of defence for any text that came from elsewhere.
import { regexLiteral } from '../util/regex-literal.js';

const REDACTED = '[redacted]';

/**
 * A value the client keeps out of its messages, and the name its mask gives (`[redacted: NAME]`,
 * as every other output masks it: util/secrets.ts maskFor); unnamed, `[redacted]`.
 */
export interface RedactedValue {
  value: string;
  name?: string;
}

const maskOf = (name: string | undefined): string => (name !== undefined ? `[redacted: ${name}]` : REDACTED);

// `Bearer <token>` / `Basic <b64>` in headers or messages, and `access_token=...`/"access_token":"..."
// style fields in bodies or query strings.
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  [
    /((?:access|refresh|id)_token|client_secret|password|authorization)(["']?\s*[:=]\s*["']?)(?!\[redacted[\]:])[^"'&\s,;}]+/gi,
    `$1$2${REDACTED}`,
  ],
];

export class Redactor {
  /** Each value, by the name its mask gives (the first one registered with a name). */
  private readonly secrets = new Map<string, string | undefined>();
  private onLearn: ((secret: string) => void) | undefined;
  private readonly maskCredentials: ((text: string) => string) | undefined;

  /**
   * `onLearn` hears each value added after these (an access token), so what prints the client's errors can mask it too.
   * `maskCredentials` masks credentials no known value names (found by their shape), after the known ones.
   */
  constructor(secrets: Iterable<string | RedactedValue> = [], onLearn?: (secret: string) => void, maskCredentials?: (text: string) => string) {
    for (const s of secrets) typeof s === 'string' ? this.add(s) : this.add(s.value, s.name);
    this.onLearn = onLearn;
    this.maskCredentials = maskCredentials;
  }

  /** Registers a value that must never be shown (ignores values too short to be secrets). */
  add(secret: string | undefined, name?: string): void {
    if (!secret || secret.length < 4 || this.secrets.has(secret)) return;
    this.secrets.set(secret, name);
    this.onLearn?.(secret);
  }

  scrub(text: string): string {
    const out = redactText(text, this.secrets);
    return this.maskCredentials ? this.maskCredentials(out) : out;
  }
}

/**
 * Replaces every known secret and every credential-looking pattern in `text`. A known secret
 * whatever its letters' case, and a base64 run whose decoded text holds one whatever its case: a
 * login server may echo the `id:secret` it was sent upper-cased (or lower-cased), as it is or in
 * base64, and a case-sensitive search misses both.
 */
export function redactText(text: string, secrets: Iterable<string> | ReadonlyMap<string, string | undefined> = []): string {
  let out = text;
  const named = secrets instanceof Map ? (secrets as ReadonlyMap<string, string | undefined>) : new Map([...(secrets as Iterable<string>)].map((s) => [s, undefined]));
  // Longest first, so a secret that contains another is removed whole.
  const known = [...named.keys()].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  if (known.length > 0) {
    const folded = known.map((s) => s.toLowerCase());
    const nameOf = (hit: string): string | undefined => named.get(known[folded.indexOf(hit.toLowerCase())] ?? '');
    out = out.replace(new RegExp(known.map(regexLiteral).join('|'), 'giu'), (hit) => maskOf(nameOf(hit)));
    out = out.replace(BASE64_RUN, (run) => {
      const found = decodedOne(run, folded);
      return found === undefined ? run : maskOf(named.get(known[found]!));
    });
  }
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** A run of base64 characters (standard or URL-safe) long enough to carry a secret of 4 characters or more. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{8,}={0,2}/g;

/**
 * Which of `folded` (lower-cased secrets, its index) `run` holds, decoded as base64 from any of its
 * first four characters (a word glued before the encoded text shifts its groups), whatever its case.
 */
function decodedOne(run: string, folded: readonly string[]): number | undefined {
  for (let from = 0; from < 4 && run.length - from >= 8; from++) {
    const decoded = Buffer.from(run.slice(from), 'base64').toString('utf8').toLowerCase();
    const i = folded.findIndex((s) => decoded.includes(s));
    if (i !== -1) return i;
  }
  return undefined;
}

/** The value of `Authorization: Basic` for a client: registered with the redactor alongside the secret. */
export function basicCredential(clientId: string, clientSecret: string): string {
  return Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
}
