// The one error type of every target's client: an HTTP error with its ErrorBody code, or a
// transport failure (status 0). The CLI prints it with the call and correlation id.
import type { ErrorBody } from './conventions.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The server's ErrorBody, when the failure came with one (its details and messageParams name what failed). */
  body?: ErrorBody;
  /** The last attempt may have been applied (a 5xx, a dropped connection) and nothing read or resent settled it. */
  outcomeUnknown?: true;
  /** Not resent because the run stopped starting new calls (an apply's interrupt): it ended there. */
  notResent?: true;
  /** Never sent at all: held back while it waited its turn (a slot, the pacer) when the run stopped. */
  notSent?: true;
  /** A streamed answer cut short: the characters of output its message counts. */
  outputChars?: number;
  /** A refusal (403): the permission the call needs, where its API names one. */
  right?: string;
  /** Answered, its body larger than the client takes in (a listing page asks again for fewer entities). */
  tooLarge?: true;
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly correlationId: string | undefined,
    readonly method?: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** An answer whose body was too large to take in (ApiError.tooLarge). */
export function isTooLarge(err: unknown): err is ApiError {
  return err instanceof ApiError && err.tooLarge === true;
}

/**
 * A 409: the server's (or a reconciling read's) verdict that someone else's object stands where
 * ours would be. Unlike a 5xx it settles what happened, so it is reported as itself.
 */
export function isConflict(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status === 409;
}
