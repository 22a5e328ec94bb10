// Keeps secrets out of audit records: known secret values anywhere, in every form output masking
// finds them in (util/secret-forms.ts, matched by util/secrets.ts), token-looking text in messages.

import { setEntry } from '../util/entries.js';
import { addForm, longestFirst, withEscapedForms } from '../util/secret-forms.js';
import { maskSecrets, MIN_MASKED_SECRET, type NamedSecret } from '../util/secrets.js';

const REDACTED = '[redacted]';

/** Secret values must be at least this long to be replaced verbatim (shorter ones would mangle text). */
const MIN_SECRET_LENGTH = MIN_MASKED_SECRET;

const TOKEN_PATTERNS: [RegExp, string][] = [
  // Authorization header values: "Bearer abc.def", "Basic dXNlcjpwYXNz"
  // (8+ characters, so prose such as "Bearer token expired" survives)
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1 ${REDACTED}`],
  // JWTs anywhere
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // key=value / "key": "value" for credential-like keys
  [
    /\b(access_token|refresh_token|id_token|client_secret|password|api[_-]?key|secret)(["']?\s*[:=]\s*["']?)[^"'\s&,;}]+/gi,
    `$1$2${REDACTED}`,
  ],
];

/**
 * The secret values promptctl knows about: those of the named environment variables (the OAuth
 * client secret's, the sinks' HMAC keys) and any given directly.
 */
export function knownSecrets(env: NodeJS.ProcessEnv, secretEnvs: readonly string[], extra: readonly string[] = []): string[] {
  const names = [...secretEnvs];
  const values = names.map((n) => env[n]).filter((v): v is string => typeof v === 'string');
  return [...new Set([...values, ...extra])].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

/**
 * The forms a record is scrubbed of, longest first: `values` (read from the environment) in every
 * form output masking finds them in, and `forms` (the caller's, already so: withEscapedForms), each
 * once. A URL-encoded form is found in any case (`anyCase`), as masking finds it.
 */
export function auditForms(values: readonly string[], forms: readonly NamedSecret[]): NamedSecret[] {
  const out = new Map<string, NamedSecret>();
  for (const s of [...withEscapedForms(values.map((value) => ({ name: 'secret', value }))), ...forms]) {
    if (s.value.length >= MIN_SECRET_LENGTH) addForm(out, s.name, s.value, s.anyCase === true);
  }
  return longestFirst(out);
}

const redacted = (): string => REDACTED;

/** Replaces every known secret form (auditForms: longest first, so a secret containing another is removed whole). */
export function redactValues(text: string, secrets: readonly NamedSecret[]): string {
  return maskSecrets(text, secrets, redacted);
}

/** Free text (error messages): known secrets and anything that looks like a credential. */
export function scrubMessage(text: string, secrets: readonly NamedSecret[]): string {
  let out = redactValues(text, secrets);
  for (const [re, replacement] of TOKEN_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/**
 * A deep copy of VALUE as plain JSON (what a record's `content` may hold) with every known secret
 * value replaced in its strings: undefined object members are left out, undefined array items and
 * non-finite numbers become null, anything else that is not JSON (functions, symbols) is refused.
 */
export function redactJson(value: unknown, secrets: readonly NamedSecret[]): unknown {
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 200) throw new Error('audit: content is nested too deeply');
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'string') return secrets.length > 0 ? redactValues(v, secrets) : v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : walk(x, depth + 1)));
    if (typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x === undefined) continue;
        // Defined, not assigned: a key named __proto__ (a prompt variable's) stays a key.
        setEntry(out, secrets.length > 0 ? redactValues(k, secrets) : k, walk(x, depth + 1));
      }
      return out;
    }
    throw new Error(`audit: content holds a ${typeof v}, which is not JSON`);
  };
  return walk(value, 0);
}
