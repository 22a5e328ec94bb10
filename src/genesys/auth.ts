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

/** Renew a little before expiry: 60 s early for day-long tokens, 10 % early for short ones. */
export function renewAfterMs(expiresInSeconds: number): number {
  const ttl = Number.isFinite(expiresInSeconds) && expiresInSeconds > 0 ? expiresInSeconds * 1000 : 0;
  return ttl - Math.min(60_000, ttl * 0.1);
}
