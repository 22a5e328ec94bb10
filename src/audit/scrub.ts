// Keeps secrets out of audit records: known secret values anywhere, token-looking text in messages.
import { ENV } from '../genesys/target.js';

const REDACTED = '[redacted]';

/** Secret values must be at least this long to be replaced verbatim (shorter ones would mangle text). */
const MIN_SECRET_LENGTH = 4;

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

/** The secret values promptctl knows about in ENV: the OAuth client secret and sink HMAC keys. */
export function knownSecrets(env: NodeJS.ProcessEnv, sinkSecretEnvs: readonly string[], extra: readonly string[] = []): string[] {
  const names = [ENV.clientSecret, ...sinkSecretEnvs];
  const values = names.map((n) => env[n]).filter((v): v is string => typeof v === 'string');
  return [...new Set([...values, ...extra])].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

/** Replaces every known secret value. */
export function redactValues(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret containing another is removed whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return out;
}

/** Free text (error messages): known secrets and anything that looks like a credential. */
export function scrubMessage(text: string, secrets: readonly string[]): string {
  let out = redactValues(text, secrets);
  for (const [re, replacement] of TOKEN_PATTERNS) out = out.replace(re, replacement);
  return out;
}
