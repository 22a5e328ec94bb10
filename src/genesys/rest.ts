// The Platform API's REST shapes over the transport, shared by every target's client: opening a
// connection (credentials only over https or to loopback), reads, listings fetched page 1 first
// then concurrently, and writes that reconcile an unknown outcome by reading before resending,
// so a retry never creates a duplicate and a retried PUT never reports its own success as a
// conflict; a write's 2xx answer is built on only when it is an object of its kind's shape holding
// what was sent, else the object is read back (heldAsSent). What counts as "my write landed" is
// the caller's (each kind's canonical form).
import { MAX_PAGE_SIZE, type EntityListing } from './conventions.js';
import { ApiError } from './errors.js';
import { isCount, readListing } from './listing.js';
import { basicCredential, Redactor } from './redact.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
import { isLoopbackHost } from '../util/net.js';
import { Transport } from './transport.js';
import { proxyPasswords, type ProxySettings } from './proxy.js';
import { ENV } from './target.js';
import type { Found, FoundByReadInfo, HttpResult, Method, ResponseInfo, RetryInfo } from './exchange.js';
import type { TransportStats } from './stats.js';
import type { PacedHold, RateBudget } from './ratelimit.js';
import type { RightOf } from './failures.js';
import { UserError } from '../util/errors.js';

export type { FoundByReadInfo, ResponseInfo, RetryInfo } from './exchange.js';

export interface ConnectionOptions {
  /** Base URLs, e.g. https://api.mypurecloud.com/ and https://login.mypurecloud.com/. */
  apiUrl: string;
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  targetLabel: string;
  /** The variables the credentials came from, named when the login server rejects them (default GENESYSCLOUD_OAUTHCLIENT_*). */
  credentialVariables?: { clientId: string; clientSecret: string };
  /** One attempt's limit (default 30 s). */
  timeoutMs?: number;
  /**
   * What a call may spend retrying (default 120 s): its attempts and the waits between them, not
   * the time they wait for a request slot or the pacer's turn (the run's own queueing and pacing).
   */
  retryBudgetMs?: number;
  /** Retries per call (default 10). */
  maxRetries?: number;
  /** Requests in flight at once (default 16, as the apply executor's actions). */
  concurrency?: number;
  onRetry?: (info: RetryInfo) => void;
  /** Each hold of the run's requests for want of rate budget (the pacer's), once per window. */
  onPaced?: (hold: PacedHold) => void;
  /** Every API response (any status; not token requests), in the async context of the call that caused it. */
  onResponse?: (info: ResponseInfo) => void;
  /** A write whose answer was lost and that a settling read found applied (TransportOptions.onFoundByRead), in the async context of its call. */
  onFoundByRead?: (info: FoundByReadInfo) => void;
  userAgent?: string;
  /** Backoff base and cap for 5xx and dropped connections (defaults 200 ms, 10 s). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** The command's HTTPS_PROXY, HTTP_PROXY and NO_PROXY (genesys/proxy.ts). */
  proxy?: ProxySettings;
  /** The clock token lifetimes are judged by (default Date.now); tests move one by hand. */
  tokenClock?: () => number;
  /**
   * Hears each secret the client learns (every access token it is issued), so that output the
   * client's own scrubbing never sees (a server's words in a report) is masked for it too.
   */
  onSecret?: (value: string) => void;
  /**
   * Masks the credentials a server's words may quote that no value the client knows names (an API
   * key it echoes from content in an error's message): the caller's detectors (rules/secrets.ts,
   * which genesys may not import), applied after the client's own scrubbing to every error it makes.
   */
  maskCredentials?: (text: string) => string;
  /** Aborted when the run stops starting new calls (an apply's interrupt): see TransportOptions.stopped. */
  stopped?: AbortSignal;
  /** The most of one answer taken in, as sent and decoded (default 64 MiB): a listing page past it is asked for again smaller. */
  maxAnswerBytes?: number;
  /** Hears a listing whose pages came down to a smaller size than the largest, a page being too large to take in: once per listing. */
  onSmallerPages?: (info: { path: string; pageSize: number }) => void;
  /** The permission a call needs, where its API names one (AI Studio's): set on a refusal's ApiError (`right`). */
  rightOf?: RightOf;
}

/** "Does the live object hold what I sent?" — answered by the kind's canonical form. */
export type Landed<Sent, Live> = (sent: Sent, live: Live) => boolean;

/**
 * The shape a read's object must have for promptctl to build on it (targets/answer-shapes.ts):
 * `problem` names the object and what is wrong with it, or answers undefined.
 */
export interface AnswerShape {
  what: string;
  problem(entity: unknown): string | undefined;
}

export class RestClient {
  readonly t: Transport;
  /** Aborted when the run stops starting new calls (ConnectionOptions.stopped): what a wait for a job ends at. */
  readonly stopped: AbortSignal | undefined;
  /** ConnectionOptions.onFoundByRead: told of a create whose answer could not be read, found made by reading it back too. */
  private readonly onFoundByRead: ((info: FoundByReadInfo) => void) | undefined;

  /** Listings whose pages came down to a smaller size (smallerPages), by listingKey. */
  private readonly pageSizes = new Map<string, number>();
  private readonly onSmallerPages: ConnectionOptions['onSmallerPages'];

  constructor(opts: ConnectionOptions) {
    this.stopped = opts.stopped;
    this.onSmallerPages = opts.onSmallerPages;
    this.onFoundByRead = opts.onFoundByRead;
    for (const url of [opts.apiUrl, opts.loginUrl]) assertSafeUrl(url);
    const basic = basicCredential(opts.clientId, opts.clientSecret);
    const secretVariable = (opts.credentialVariables ?? { clientSecret: ENV.clientSecret }).clientSecret;
    this.t = new Transport({
      apiUrl: withSlash(opts.apiUrl),
      loginUrl: withSlash(opts.loginUrl),
      clientId: opts.clientId,
      credentialVariables: opts.credentialVariables ?? { clientId: ENV.clientId, clientSecret: ENV.clientSecret },
      basicCredential: basic,
      timeoutMs: opts.timeoutMs ?? 30_000,
      retryBudgetMs: opts.retryBudgetMs ?? 120_000,
      concurrency: opts.concurrency ?? 16,
      policy: {
        ...DEFAULT_RETRY_POLICY,
        ...(opts.maxRetries !== undefined ? { maxRetries: opts.maxRetries } : {}),
        ...(opts.backoffBaseMs !== undefined ? { backoffBaseMs: opts.backoffBaseMs } : {}),
        ...(opts.backoffCapMs !== undefined ? { backoffCapMs: opts.backoffCapMs } : {}),
      },
      userAgent: opts.userAgent ?? 'promptctl',
      // The pair as the Basic credential carries it too: a server echoing it (in any case) shows the id with the secret.
      // Named as output masks them (`[redacted: NAME]`), so a message the client scrubs first reads the same.
      redactor: new Redactor(
        [
          ...[opts.clientSecret, basic, `${opts.clientId}:${opts.clientSecret}`].map((value) => ({ value, name: secretVariable })),
          ...(opts.proxy ? proxyPasswords(opts.proxy).map((value) => ({ value, name: 'the proxy password' })) : []),
        ],
        opts.onSecret,
        opts.maskCredentials,
      ),
      ...(opts.proxy ? { proxy: opts.proxy } : {}),
      ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
      ...(opts.onPaced ? { onPaced: opts.onPaced } : {}),
      ...(opts.onResponse ? { onResponse: opts.onResponse } : {}),
      ...(opts.onFoundByRead ? { onFoundByRead: opts.onFoundByRead } : {}),
      ...(opts.rightOf ? { rightOf: opts.rightOf } : {}),
      ...(opts.tokenClock ? { tokenClock: opts.tokenClock } : {}),
      ...(opts.stopped ? { stopped: opts.stopped } : {}),
      ...(opts.maxAnswerBytes !== undefined ? { maxAnswerBytes: opts.maxAnswerBytes } : {}),
    });
  }

  get stats(): TransportStats {
    return this.t.stats;
  }

  rateBudget(): RateBudget | undefined {
    return this.t.rateBudget();
  }

  close(): Promise<void> {
    return this.t.close();
  }

  /** `shape`: the object answered is checked to have it (an ApiError naming the call otherwise). */
  get<T>(path: string, searchParams: Record<string, string | undefined> = {}, shape?: AnswerShape): Promise<T> {
    return this.t.call<T>({ method: 'GET', path, searchParams, parse: (res) => shaped(res, path, shape, res.body) as T });
  }

  /** GET that answers undefined for a 404 (the object does not exist, or no longer). */
  getIfExists<T>(path: string, shape?: AnswerShape): Promise<T | undefined> {
    return this.t.call<T | undefined>({
      method: 'GET',
      path,
      accept: (res) => res.status === 404,
      parse: (res) => (res.status === 404 ? undefined : (shaped(res, path, shape, res.body) as T)),
    });
  }

  /**
   * POST of an entity with a unique name. Reconciled by name: names are unique, so the one found
   * is ours if it holds what we sent, and a real conflict if it does not. Its 2xx answer goes
   * through heldAsSent as a version's does: used when it has `check.shape` and holds what was sent;
   * any other answer (none, null, text, an object without a string id) is settled by that same
   * read by name: found holding what was sent, it landed; found holding other content, the write
   * is not held; none, it did not land; a read that fails, its outcome is unknown. Never a success
   * built on an answer promptctl cannot read.
   */
  async createNamed<T extends object>(
    path: string,
    body: { name: string },
    what: string,
    /** The live object of the body's name, if any (a listing read by that name). */
    findByName: () => Promise<T | undefined>,
    check: {
      shape: AnswerShape;
      /** Whether an object (the answer, or the one found by name) holds what was sent. */
      holds: (live: T) => boolean;
      /** Whether a final error says the name is taken (its code differs between APIs). */
      isDuplicate?: (err: ApiError) => boolean;
    },
  ): Promise<T> {
    const isDuplicate = check.isDuplicate ?? ((err: ApiError) => err.code === 'duplicate.name');
    // The object of that name, and whether it holds what was sent.
    const find = async (): Promise<{ live: T; same: boolean } | undefined> => {
      const live = await findByName();
      return live && { live, same: check.holds(live) };
    };
    const reconcile = async (): Promise<Found<T> | undefined> => {
      const found = await find();
      if (!found) return undefined;
      if (found.same) return { value: found.live };
      throw conflict(`${what} ${body.name} already exists with different content`, 'duplicate.name', 'POST', path);
    };
    let answered: { status: number; correlationId?: string } | undefined;
    const answer = await this.t.call<unknown>({
      method: 'POST',
      path,
      json: body,
      parse: (res) => ((answered = { status: res.status, correlationId: res.correlationId }), res.body),
      reconcile,
      afterUncertain: async (err) => (isDuplicate(err) ? reconcile() : undefined),
    });
    // Settled by a read (reconcile, an answer that could not be decoded): already the org's word.
    if (answered === undefined) return answer as T;
    const where = { method: 'POST' as const, path, what, status: answered.status, ...(answered.correlationId ? { correlationId: answered.correlationId } : {}), shape: check.shape };
    const readBack = async (problem: string): Promise<T> => {
      const found = await readSettling(find, where, problem, `${what} ${body.name}`);
      if (!found) throw notCreated(where, problem, `${what} ${body.name}`);
      // The org's word, not the answer's, says it landed: the audit records it as confirmed by a read.
      if (found.same && where.correlationId) this.onFoundByRead?.({ method: 'POST', path, correlationId: where.correlationId });
      return found.live;
    };
    return heldAsSent(answer as T | undefined, check.holds, readBack, where);
  }

  /**
   * PUT with the version guard. An attempt whose outcome is unknown (the last one too) is settled
   * by re-reading: at version+1 holding what we sent it is ours; still at the guard, it is resent;
   * moved by someone else, it is the 409 version.mismatch the lost answer would have been.
   */
  put<T extends { version: number }>(
    path: string,
    body: { version: number },
    what: string,
    read: () => Promise<T | null>,
    holds: (live: T) => boolean,
  ): Promise<T> {
    const ours = async (): Promise<Found<T> | undefined> => {
      const live = await read();
      if (!live) return undefined;
      const verdict = guardedRead(body.version, live.version, holds(live));
      if (verdict === 'ours') return { value: live };
      if (verdict === 'untouched') return undefined;
      throw conflict(`${what} changed since it was read (version ${body.version}, now ${live.version}); plan again`, 'version.mismatch', 'PUT', path);
    };
    return this.t.call<T>({
      method: 'PUT',
      path,
      json: body,
      parse: json<T>,
      reconcile: ours,
      // A 409 version.mismatch after a lost response may be our own write. A read that fails
      // settles nothing: the 409 stands with its outcome unknown (transport, readBeforeResend).
      afterUncertain: async (err) => (err.status === 409 && err.code === 'version.mismatch' ? ours() : undefined),
    });
  }

  /** DELETE; a 404 after a lost response means our earlier attempt did it. */
  delete(path: string): Promise<void> {
    return this.t.call<void>({
      method: 'DELETE',
      path,
      parse: () => undefined,
      // Gone after an attempt whose outcome is unknown: that attempt did it.
      reconcile: async () => ((await this.getIfExists<unknown>(path)) === undefined ? { value: undefined } : undefined),
      afterUncertain: async (err) => (err.status === 404 ? { value: undefined } : undefined),
    });
  }

  /** One page of a listing, at `pageSize` (default the largest); each entity checked to have `shape`. */
  page<T>(path: string, params: Record<string, string | undefined>, pageNumber: number, shape?: AnswerShape, pageSize = MAX_PAGE_SIZE): Promise<EntityListing<T>> {
    return this.pageAt<T>(path, { ...params, pageSize, pageNumber }, shape);
  }

  /**
   * The page size a listing is read at: the largest, until one of its pages was too large to
   * take in (then the size its read came down to, for the rest of the run).
   */
  pageSizeOf(path: string, params: Record<string, string | undefined>): number {
    return this.pageSizes.get(listingKey(path, params)) ?? MAX_PAGE_SIZE;
  }

  /** A listing's pages came down to `pageSize` (too large to take in): said once, kept for its later reads. */
  smallerPages(path: string, params: Record<string, string | undefined>, pageSize: number): void {
    const key = listingKey(path, params);
    if (pageSize >= (this.pageSizes.get(key) ?? MAX_PAGE_SIZE)) return;
    this.pageSizes.set(key, pageSize);
    this.onSmallerPages?.({ path, pageSize });
  }

  /** The listing page a query names, each entity checked to have `shape`. */
  private pageAt<T>(path: string, searchParams: Record<string, string | number | undefined>, shape?: AnswerShape): Promise<EntityListing<T>> {
    return this.t.call<EntityListing<T>>({ method: 'GET', path, searchParams, parse: (res) => listingOf<T>(res, path, shape) });
  }

  /**
   * Every entity of a listing: page 1 first, then the remaining pages concurrently when page 1
   * says how many there are, else one after another while each names a next page (its nextUri).
   */
  async listAll<T>(path: string, params: Record<string, string | undefined>, shape?: AnswerShape): Promise<T[]> {
    const start = this.pageSizeOf(path, params);
    let pageSize = start;
    try {
      return await readListing<T>(
        path,
        {
          page: (pageNumber, size) => this.page<T>(path, params, pageNumber, shape, size),
          // Our own parameters (a filter, expand) stand unless the nextUri says otherwise.
          pageAt: (query) => this.pageAt<T>(path, { ...params, ...query }, shape),
        },
        { pageSize: start, onSmallerPages: (size) => (pageSize = size) },
      );
    } finally {
      // Said once, at the size the read came down to (not at each halving on the way).
      if (pageSize < start) this.smallerPages(path, params, pageSize);
    }
  }
}

/** A listing and the parameters it is read with (a filter, a view), as one key. */
function listingKey(path: string, params: Record<string, string | undefined>): string {
  const defined = Object.entries(params).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${path}?${new URLSearchParams(defined as [string, string][]).toString()}`;
}

/**
 * A listing page as the API writes one: an object whose `entities`, when present, are a list.
 * Anything else answered 200 (an HTML page from a wrong API URL, a proxy or portal in front of
 * the org) must not read as an empty org, which a plan would fill again over what exists.
 */
function listingOf<T>(res: HttpResult, path: string, shape?: AnswerShape): EntityListing<T> {
  const body = res.body as Record<string, unknown> | null | undefined;
  // The platform leaves out an empty `entities`; a page then still says where it is (pageSize, …).
  const isListing =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    (Array.isArray(body.entities) || (body.entities === undefined && LISTING_FIELDS.some((f) => isCount(body[f]))));
  if (isListing) {
    // An entity's own shape first: it names the object and the field, where the check below can only count.
    if (shape) for (const e of (body.entities as unknown[] | undefined) ?? []) shaped(res, path, shape, e);
    const bad = ((body.entities as unknown[] | undefined) ?? []).findIndex((e) => !isEntity(e));
    if (bad < 0) return body as unknown as EntityListing<T>;
    throw new ApiError(
      `GET ${path} answered ${res.status} with a listing whose entity ${bad + 1} is not an object with a string id (or version) and name: is the API URL right?`,
      res.status,
      'unexpected.answer',
      res.correlationId,
      'GET',
      path,
    );
  }
  // Text that starts as JSON and does not parse, under a type that does not say JSON (one that says
  // so is retried as damaged: attempt.ts answerBody): a listing cut short, not a wrong URL's page.
  if (typeof body === 'string' && /^\s*[[{]/.test(body)) {
    throw new ApiError(`GET ${path} answered ${res.status} with JSON that could not be read (cut short or not valid JSON), not a listing`, res.status, 'unexpected.answer', res.correlationId, 'GET', path);
  }
  const what = typeof body === 'string' ? 'text' : Array.isArray(body) ? 'a JSON list' : typeof body === 'object' && body !== null ? 'JSON without a list of entities' : 'nothing';
  throw new ApiError(`GET ${path} answered ${res.status} with ${what}, not a listing: is the API URL right?`, res.status, 'unexpected.answer', res.correlationId, 'GET', path);
}

/** `entity` (the answer's body, or one entity of a listing) when it has `shape`; an ApiError naming the call and the field otherwise. */
/** A listing page's own counts, one of which a page without `entities` (an empty one) still carries. */
const LISTING_FIELDS = ['pageSize', 'pageNumber', 'total', 'pageCount'] as const;

/** What every entity of a listing is: an object named by a string id (a version by its label), and by a string name if any. */
function isEntity(e: unknown): boolean {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
  const o = e as { id?: unknown; version?: unknown; name?: unknown };
  return (typeof o.id === 'string' || typeof o.version === 'string') && (o.name === undefined || typeof o.name === 'string');
}

export function shaped(res: HttpResult, path: string, shape: AnswerShape | undefined, entity: unknown): unknown {
  const problem = shape?.problem(entity);
  if (problem === undefined) return entity;
  throw shapeError(path, problem, res.status, res.correlationId);
}

/** A read's answer of another shape than promptctl reads (`problem`: an AnswerShape's words); a read is a GET but for a query's POST. */
export function shapeError(path: string, problem: string, status: number, correlationId: string | undefined, method: 'GET' | 'POST' = 'GET'): ApiError {
  return new ApiError(`${method} ${path} answered ${problem}: promptctl cannot rely on an answer of that shape`, status, 'unexpected.answer', correlationId, method, path);
}

export function json<T>(res: HttpResult): T {
  return res.body as T;
}

/** Where a write's answer came from, for the messages about it. */
export interface WriteAnswered {
  method: Method;
  path: string;
  /** The object as messages name it ("prompt template"). */
  what: string;
  correlationId?: string;
  /** The 2xx status it was answered with, when known. */
  status?: number;
  /** The shape its answer must have to be built on (targets/answer-shapes.ts); without one, any object. */
  shape?: AnswerShape;
}

/**
 * The object a write made, checked to hold what was sent: its 2xx answer, or (an answer without a
 * body, or one of another shape than `where.shape`) the object read back, `readBack` hearing what
 * was wrong with the answer. A server that answers success but kept a field we cleared, or
 * dropped one we set, must not let the next call build on it (a publish cannot be undone); nor
 * may an answer without a string id (`{}`, null, a blank body) be taken for the object made.
 */
export async function heldAsSent<T extends object>(
  answer: T | undefined,
  holds: (live: T) => boolean,
  readBack: (problem: string) => Promise<T>,
  where: WriteAnswered,
): Promise<T> {
  const problem = answerProblem(answer, where.shape);
  const live = problem === undefined ? (answer as T) : await readBack(problem);
  if (holds(live)) return live;
  throw notHeld(where);
}

/**
 * What is wrong with a write's 2xx answer for promptctl to build on it: not an object (nothing,
 * null, text, a list, a number), or an object without `shape`'s fields; undefined when usable.
 */
export function answerProblem(answer: unknown, shape?: AnswerShape): string | undefined {
  if (answer === undefined) return 'no body';
  if (answer === null) return 'null';
  if (typeof answer === 'string') return answer.trim() === '' ? 'a blank body' : 'text, not JSON';
  if (Array.isArray(answer)) return 'a JSON list';
  if (typeof answer !== 'object') return `the JSON ${typeof answer} ${String(answer)}`;
  return shape?.problem(answer);
}

/** A write answered 2xx whose object does not hold what was sent (the answer's, or the one read back). */
export function notHeld(where: WriteAnswered): ApiError {
  return new ApiError(
    `${where.method} ${where.path} succeeded, but the ${where.what} does not hold what was sent (the server kept or dropped a field); nothing more was done with it`,
    0,
    'write.not.held',
    where.correlationId,
    where.method,
    where.path,
  );
}

/** `${method} ${path} answered 201 with prompt template without id`: a write's answer and its problem. */
function answeredWith(where: WriteAnswered, problem: string): string {
  // A PUT's status is not kept by RestClient.put: any 2xx.
  return `${where.method} ${where.path} answered ${where.status ?? '2xx'} with ${problem}`;
}

/** A create answered 2xx with what cannot be read, and no object of its name read back: it did not land. */
export function notCreated(where: WriteAnswered, problem: string, named: string): ApiError {
  return new ApiError(
    `${answeredWith(where, problem)}, and no ${named} can be read back: it was not created; nothing more was done with it`,
    where.status ?? 0,
    'unexpected.answer',
    where.correlationId,
    where.method,
    where.path,
  );
}

/**
 * The read that settles a write answered with what cannot be read. A read that fails settles
 * nothing: the write may have landed, so its outcome is unknown (the audit outcome `unknown`, left
 * for the next apply to settle), said in the write's words with the read's failure.
 */
export async function readSettling<R>(read: () => Promise<R>, where: WriteAnswered, problem: string, named: string): Promise<R> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const unknown = new ApiError(
      `${answeredWith(where, problem)}, and reading the ${named} back failed (${err.message}): whether it was written is not known`,
      err.status,
      err.code,
      where.correlationId ?? err.correlationId,
      where.method,
      where.path,
    );
    unknown.outcomeUnknown = true;
    throw unknown;
  }
}

/** What an object holds once a PATCH is applied (the platform's reading): the fields it names replaced, those named with null cleared. */
export function patched<T extends object>(live: T, patch: object): T {
  const out: Record<string, unknown> = { ...(live as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  return out as unknown as T;
}

export function errorCode(res: HttpResult): string | undefined {
  const b = res.body as { code?: unknown } | undefined;
  return b && typeof b.code === 'string' ? b.code : undefined;
}

/** What a re-read says of a guarded write: it landed, the object still waits at the guard, or someone else moved it. */
export type GuardedRead = 'ours' | 'untouched' | 'moved';

export function guardedRead(guard: number, liveVersion: number, holdsSent: boolean): GuardedRead {
  if (liveVersion === guard + 1 && holdsSent) return 'ours';
  return liveVersion === guard ? 'untouched' : 'moved';
}

export function conflict(message: string, code: string, method: Method | string, path: string): ApiError {
  return new ApiError(message, 409, code, undefined, method, path);
}

/** Credentials travel in headers: plain http only to this machine (resolveTarget says so to users first). */
function assertSafeUrl(url: string): void {
  const u = new URL(url);
  if (u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname))) return;
  throw new UserError(`refusing to send credentials to ${u.origin}: use https (plain http only for loopback hosts)`);
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
