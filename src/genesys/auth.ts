// OAuth client-credentials tokens: fetched lazily, cached, renewed shortly before they expire,
// and fetched once for all concurrent callers (single flight).
import type { OAuthTokenResponse } from './conventions.js';

export interface CachedToken {
  accessToken: string;
  /** Epoch ms after which the token is renewed before use (a margin before the real expiry). */
  renewAt: number;
}

export class TokenProvider {
  private current: CachedToken | undefined;
  private pending: Promise<string> | undefined;

  /**
   * @param fetchToken performs the token request (with its own retries) and throws on failure.
   * @param onToken sees every new token, so the redactor can learn it.
   */
  constructor(
    private readonly fetchToken: () => Promise<OAuthTokenResponse>,
    private readonly onToken: (token: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid token: the cached one, or a new one shared by every caller waiting for it. */
  async get(): Promise<string> {
    const c = this.current;
    if (c && this.now() < c.renewAt) return c.accessToken;
    if (!this.pending) {
      this.pending = this.fetchToken()
        .then((res) => {
          const token = res.access_token;
          this.onToken(token);
          this.current = { accessToken: token, renewAt: this.now() + renewAfterMs(res.expires_in) };
          return token;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return this.pending;
  }

  /**
   * The server refused `token` (401): forget it, unless another caller has already replaced it,
   * so a burst of 401s on the same stale token causes one renewal, not one each.
   */
  invalidate(token: string): void {
    if (this.current?.accessToken === token) this.current = undefined;
  }
}

/** A token's lifetime when the server gives none (Genesys's own: a day). */
export const DEFAULT_TOKEN_SECONDS = 86_400;

/**
 * Renew a little before expiry: 60 s early for day-long tokens, 10 % early for short ones. A
 * lifetime of 0, below 0 or not a number is taken as none given (a day), not as "expired": that
 * renewed the token before every call, doubling the requests against the rate limit. A token that
 * did expire is refused with a 401, which renews it (invalidate).
 */
export function renewAfterMs(expiresInSeconds: number): number {
  const seconds = Number.isFinite(expiresInSeconds) && expiresInSeconds > 0 ? expiresInSeconds : DEFAULT_TOKEN_SECONDS;
  const ttl = seconds * 1000;
  return ttl - Math.min(60_000, ttl * 0.1);
}
