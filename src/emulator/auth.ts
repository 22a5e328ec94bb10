// OAuth client credentials as the Genesys login host does it, and bearer-token checks.
// Tokens are random; only their sha256 is stored (with owner and expiry), so they survive a
// restart without the state file ever holding a usable secret.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OAuthTokenResponse } from '../targets/llmgateway/wire.js';
import type { State, TokenRec } from './state.js';

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

/** The login host's error shape (not an ErrorBody). */
export interface OAuthError {
  error: string;
  description: string;
  error_description: string;
}

export type TokenOutcome =
  | { ok: true; status: 200; body: OAuthTokenResponse; hash: string; rec: TokenRec }
  | { ok: false; status: 400 | 401; body: OAuthError };

const oauthError = (error: string, description: string): OAuthError => ({ error, description, error_description: description });

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

function sameSecret(a: string, b: string): boolean {
  // Compare digests so neither length nor content leaks through timing.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * POST /oauth/token. Credentials come from `Authorization: Basic` (as the SDKs send them) or,
 * failing that, from client_id/client_secret in the form body.
 */
export function issueToken(
  authorization: string | undefined,
  form: URLSearchParams,
  creds: Credentials,
  ttlSeconds: number,
  now: number,
): TokenOutcome {
  let id = form.get('client_id') ?? '';
  let secret = form.get('client_secret') ?? '';
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    id = colon < 0 ? decoded : decoded.slice(0, colon);
    secret = colon < 0 ? '' : decoded.slice(colon + 1);
  }
  if (!id || !(sameSecret(id, creds.clientId) && sameSecret(secret, creds.clientSecret))) {
    return { ok: false, status: 401, body: oauthError('invalid_client', 'authentication failed') };
  }
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') {
    return { ok: false, status: 400, body: oauthError('unsupported_grant_type', 'grant_type must be client_credentials') };
  }
  const token = randomBytes(48).toString('base64url');
  return {
    ok: true,
    status: 200,
    body: { access_token: token, token_type: 'bearer', expires_in: ttlSeconds },
    hash: hashToken(token),
    rec: { clientId: id, expiresAt: now + ttlSeconds * 1000 },
  };
}

/** The token record behind `Authorization: Bearer …`, or undefined if missing, unknown or expired. */
export function bearer(state: State, authorization: string | undefined, now: number): { hash: string; rec: TokenRec } | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m?.[1]) return undefined;
  const hash = hashToken(m[1]);
  const rec = state.tokens[hash];
  if (!rec || rec.expiresAt <= now) return undefined;
  return { hash, rec };
}
