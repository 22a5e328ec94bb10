// The vocabulary of one logical call to Genesys, shared by the transport that runs it, the REST
// layer that shapes it and the target clients that reconcile it: what is asked (CallSpec), what
// one attempt produced (Attempt), and what is reported along the way (RetryInfo, ResponseInfo,
// FoundByReadInfo).
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiError } from './errors.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the raw text if it was not JSON, or undefined when empty or undecodable. */
  body: unknown;
  correlationId: string;
  /**
   * Why the body could not be read (its content coding, body-encoding.ts; a 2xx's JSON that does
   * not parse): the status and headers still stand. A write answered 2xx so is never resent (it
   * has landed: transport.ts); any other status is judged as it is.
   */
  undecodable?: string;
  /** The body was larger than the client takes in (ConnectionOptions.maxAnswerBytes): unread. */
  tooLarge?: true;
  /**
   * The unreadable body was altered or cut short on the way (a coding that does not decode, JSON
   * cut short): another attempt may read it whole, so a read (GET) answered 2xx so is retried.
   */
  damaged?: boolean;
  /** A 2xx answer to a streaming call (CallSpec.stream): its body, unread but for the first bytes. */
  stream?: ResponseStream;
}

/** How a streaming call reads its answer. */
export interface StreamOptions {
  /** The Accept header, e.g. text/event-stream. */
  acceptHeader: string;
  /** Longest silence on the connection, while waiting for the answer and while it streams (default: the attempt timeout). */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Reads the start of a 2xx stream, before the caller shows any of it: the stream handed back
   * whole (what was read is replayed), or the failure it opens with (an SSE `event: error` before
   * any text), which is then judged, and retried, as that status answered outright.
   */
  opening?: (stream: ResponseStream) => Promise<ResponseStream | OpeningFailure>;
}

/**
 * A 2xx stream that failed before any of its content: the error answer it stands for, or (it
 * ended there) a connection closed before the answer, retried as one.
 */
export type OpeningFailure = { failed: { status: number; body: unknown; correlationId: string } } | { dropped: string };

/** A request whose 2xx body is read as it arrives. */
export interface StreamSpec extends StreamOptions {
  method: Method;
  path: string;
  searchParams?: Record<string, string | number | undefined>;
  json?: unknown;
  /** May be resent when an attempt's outcome is unknown (only ever before the body's first byte). */
  idempotent?: boolean;
  /** Each attempt the server may have run is paid for: see CallSpec.billed. */
  billed?: boolean;
}

/** An answer being streamed: retries are over once it exists (its first byte has arrived). */
export interface ResponseStream {
  status: number;
  headers: IncomingHttpHeaders;
  correlationId: string;
  /** The body from its first byte on; throws if the connection drops. */
  body: AsyncIterable<Buffer>;
  /** Stops reading and drops the connection (safe to call twice). */
  close(): void;
}

/** "It happened; here is the result." */
export interface Found<T> {
  value: T;
}

export interface CallSpec<T> {
  method: Method;
  /** Absolute path on the host, e.g. `/api/v2/llmgateway/prompttemplates`. */
  path: string;
  host?: 'api' | 'login';
  searchParams?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  /** 'bearer' (default for the API host) or a literal Authorization header value. */
  authorization?: 'bearer' | { header: string };
  /** Headers of the caller's own beside those every request carries (which they cannot replace). */
  headers?: Readonly<Record<string, string>>;
  /**
   * A POST that changes nothing (a token request, an invocation, a query): resent blindly (not when
   * `billed`), and its failure leaves nothing applied (no "may or may not have applied it").
   */
  idempotent?: boolean;
  /**
   * Each attempt the server may have run is paid for (an invocation: the model's tokens), and no
   * read can tell whether it ran: an attempt of unknown outcome (a 5xx, a connection dropped once
   * sent, a timeout) is not resent, whatever `idempotent` says (DESIGN §5: a POST of unknown
   * outcome is resent only once a read has settled it). What was refused before any work (a 429,
   * a connection refused, a 401's new token) is resent as for any call. A string: the words its
   * error then ends with, naming who may have run it (default: the gateway's, an invocation).
   */
  billed?: boolean | string;
  /**
   * Aborts the call: an attempt in flight is cut off, a wait (pacing, a retry's delay) ends, and
   * nothing more is sent; the call then rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /** Responses (beyond 2xx) that are answers rather than errors, e.g. a 404 meaning "none". */
  accept?: (res: HttpResult) => boolean;
  parse: (res: HttpResult) => T;
  /**
   * An earlier attempt's outcome is unknown (5xx, dropped connection, timeout): read the server
   * to find out whether it happened. `Found` ends the call with that value; undefined resends.
   */
  reconcile?: () => Promise<Found<T> | undefined>;
  /**
   * A final error arrived after an attempt whose outcome was unknown: it may be the echo of our
   * own earlier success (409 version.mismatch after an applied PUT, 404 after an applied DELETE).
   */
  afterUncertain?: (err: ApiError) => Promise<Found<T> | undefined>;
  /**
   * Read a 2xx body as a stream (HttpResult.stream) instead of as a whole. Attempts are retried as
   * usual until the body's first byte has arrived, and never after.
   */
  stream?: StreamOptions;
}

export interface RetryInfo {
  method: Method;
  path: string;
  /** The retry about to be made, 1-based. */
  attempt: number;
  reason: string;
  delayMs: number;
  correlationId: string;
  /** The failed attempt's HTTP status, or its transport error code. */
  status?: number;
  code?: string;
  /** The server's Retry-After, when it sent one. */
  retryAfterMs?: number;
}

/** One API response, whatever its status (reported in the async context of the call that caused it). */
export interface ResponseInfo {
  method: Method;
  path: string;
  status: number;
  /** The server's ININ-Correlation-Id (ours echoed, or its own). */
  correlationId: string;
  /** The answer's headers. */
  headers?: IncomingHttpHeaders;
}

/**
 * A write whose own answer was lost (a dropped connection, a timeout, a 5xx) and which a settling
 * read (CallSpec.reconcile, afterUncertain) found applied: the call ends with what was read. Its
 * success is known from the org, not from its answer, so it cannot be told from the same write
 * another client made meanwhile (reported in the async context of the call, as ResponseInfo is).
 */
export interface FoundByReadInfo {
  method: Method;
  path: string;
  /** The call's own correlation id (that of its attempts). */
  correlationId: string;
}

export type Attempt = (
  | { kind: 'response'; res: HttpResult }
  | { kind: 'transport'; code: string; timeoutEvent?: string; detail: string }
) & {
  /**
   * How long the attempt waited, before it was sent, for a request slot and the pacer's turn: the
   * run's own queueing and pacing, which a call's retry budget does not count (transport.ts).
   */
  queuedMs?: number;
};
