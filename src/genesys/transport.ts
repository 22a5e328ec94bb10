// The one HTTP path to Genesys: bearer auth, correlation ids, and the attempt loop of each call
// over the target's connection (connection.ts: one got instance, keep-alive sockets per host,
// proxies): each attempt (attempt.ts, stream.ts) judged by retry.ts, and a request whose outcome
// is unknown never resent without first asking the caller to find out (reconcile) what happened
// (unknown-outcome.ts); a call that such a read ends, finding the write applied, says so
// (onFoundByRead). What an apply's interrupt holds back, and which calls it exempts, is the stop
// policy's (gate.ts), asked at each step.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ApiError } from './errors.js';
import { DEFAULT_TOKEN_SECONDS, TokenProvider } from './auth.js';
import { Pacer, Semaphore, type PacedHold, type RateBudget } from './ratelimit.js';
import { countEvent, type TransportStats } from './stats.js';
import type { Redactor } from './redact.js';
import { clientIdHint } from '../util/client-id.js';
import { type RetryPolicy, attemptResult, decide, sleep } from './retry.js';
import { apiErrorOf, closedError, heldBackError, isHeldBack, origin, type FailureContext, type RightOf } from './failures.js';
import { attempt, type Channel, type HostAgents } from './attempt.js';
import { openConnection } from './connection.js';
import { StopPolicy } from './gate.js';
import { attemptStream } from './stream.js';
import { foundByRead, gaveUpNote, giveUp, isRead, NOT_RETRIED_NOTE, readBeforeResend, retryDeadline, stoppedNote, unsettledError, verdict } from './unknown-outcome.js';
import type { ProxySettings } from './proxy.js';
import { TOKEN_PATH, type OAuthTokenResponse } from './conventions.js';
import type { CallSpec, FoundByReadInfo, ResponseInfo, ResponseStream, RetryInfo, StreamSpec } from './exchange.js';

export interface TransportOptions {
  apiUrl: string;
  loginUrl: string;
  clientId: string;
  /** The variables the credentials came from: what an authentication failure tells the user to check. */
  credentialVariables: { clientId: string; clientSecret: string };
  /** Basic credential for the token request (base64 of id:secret). */
  basicCredential: string;
  timeoutMs: number;
  /** The most of one answer taken in (attempt.ts Channel.maxAnswerBytes). */
  maxAnswerBytes?: number;
  /** What a call may spend retrying, less the time its attempts wait for a slot or the pacer's turn (Attempt.queuedMs). */
  retryBudgetMs: number;
  concurrency: number;
  policy: RetryPolicy;
  userAgent: string;
  redactor: Redactor;
  /** HTTPS_PROXY, HTTP_PROXY and NO_PROXY of the command's environment (none: connect directly). */
  proxy?: ProxySettings;
  onRetry?: (info: RetryInfo) => void;
  /** Each hold of the run's requests for want of rate budget (ratelimit.ts Pacer), once per window. */
  onPaced?: (hold: PacedHold) => void;
  onResponse?: (info: ResponseInfo) => void;
  /**
   * A write whose answer was lost, ended by a settling read that found it applied (reconcile,
   * afterUncertain): its success is the org's word, not its answer's (an apply's record says so).
   */
  onFoundByRead?: (info: FoundByReadInfo) => void;
  /** The permission a call needs (FailureContext.rightOf). */
  rightOf?: RightOf;
  /** The clock token lifetimes are judged by (default Date.now). */
  tokenClock?: () => number;
  /**
   * Whether the run has stopped starting new calls (an apply's first interrupt, DESIGN §5): from
   * then on no write is sent that was not on the wire (one queued for a slot or the pacer's turn
   * included), and a failed one is not resent (one of unknown outcome is still read for); a read
   * goes, or is resent at once, only if it need not wait. Every wait of such a call ends at once.
   * Only the reads that settle a write of unknown outcome, and token requests, go on as before.
   */
  stopped?: AbortSignal;
}

/** Calls that may wait at once (far more than any command has in flight). */
const MAX_WAITING_CALLS = 1000;

export class Transport {
  readonly stats: TransportStats = { requests: 0, retries: 0, rateLimited: 0 };
  /** The sockets to each host: kept alive, through a proxy where the environment names one for it. */
  private readonly agents: Record<'api' | 'login', HostAgents>;
  private readonly slots: Semaphore;
  /** What each attempt goes through (attempt.ts). */
  private readonly channel: Channel;
  private readonly pacer: Pacer;
  /** Aborted by close(): calls in flight end, waits end early, and nothing more is sent. */
  private readonly closing = new AbortController();
  /** The run's stop and what it holds back (gate.ts). */
  private readonly stop: StopPolicy;
  /** The API host answered a request of this run (retry.ts: a refusal after that is an outage). */
  private answered = false;
  private readonly tokens: TokenProvider;
  private readonly failures: FailureContext;

  /** The rate budget the server has announced (inin-ratelimit-*), if any. */
  rateBudget(): RateBudget | undefined {
    return this.pacer.budget();
  }

  constructor(private readonly opts: TransportOptions) {
    // Every wait (pacing, a retry's delay) listens on `closing` until it ends (sleep removes its
    // listener), one per call in flight: a paced apply passes Node's default of 10, which printed
    // a "possible memory leak" warning to the user. A wait that forgot its listener would still
    // be caught, within a thousand calls.
    setMaxListeners(MAX_WAITING_CALLS, this.closing.signal);
    this.pacer = new Pacer(Date.now, opts.onPaced);
    this.slots = new Semaphore(opts.concurrency);
    this.stop = new StopPolicy(this.closing.signal, this.slots, opts.stopped);
    const connection = openConnection(opts, this.stats, this.pacer);
    this.agents = connection.agents;
    this.failures = { apiUrl: opts.apiUrl, loginUrl: opts.loginUrl, scrub: (text) => opts.redactor.scrub(text), proxies: connection.proxies, ...(opts.rightOf ? { rightOf: opts.rightOf } : {}) };
    this.channel = {
      http: connection.http,
      agents: this.agents,
      slots: this.slots,
      pacer: this.pacer,
      stats: this.stats,
      apiUrl: opts.apiUrl,
      loginUrl: opts.loginUrl,
      timeoutMs: opts.timeoutMs,
      ...(opts.maxAnswerBytes !== undefined ? { maxAnswerBytes: opts.maxAnswerBytes } : {}),
      closing: this.closing.signal,
      gate: (spec) => this.stop.gate(spec),
    };
    this.tokens = new TokenProvider(
      () => this.requestToken(),
      // Named as the run's output names it (cli/target.ts onSecret).
      (token) => opts.redactor.add(token, 'the access token'),
      opts.tokenClock,
    );
  }

  /** Sends one logical request, retrying per the policy within the call's time budget. */
  async call<T>(spec: CallSpec<T>): Promise<T> {
    const correlationId = randomUUID();
    const started = Date.now();
    /**
     * Time the call's attempts waited for a request slot and the pacer's turn (Attempt.queuedMs):
     * the run's own queueing and pacing, not retrying, so the budget does not count it (a call held
     * for most of Genesys's 60 s window that then met one 429 gave up at once, and failed an apply).
     */
    let queued = 0;
    const { policy } = this.opts;
    const bearer = (spec.authorization ?? 'bearer') === 'bearer' && (spec.host ?? 'api') === 'api';
    let retries = 0;
    let refused = 0;
    let reauthenticated = false;
    let uncertain = false;
    /** The error of the attempt before this one: what the call ends with if its reconcile read fails. */
    let previous: ApiError | undefined;

    for (;;) {
      if (this.closing.signal.aborted) throw closedError(spec);
      spec.signal?.throwIfAborted();
      if (uncertain && spec.reconcile && previous) {
        const reconcile = spec.reconcile;
        const error = previous;
        const found = await this.stop.settle(() => readBeforeResend(reconcile, error));
        if (found) return this.foundByRead(spec, correlationId, found.value);
      }
      // Stopped before it was sent (an apply's interrupt): a write is not sent, not even for a token.
      if (!isRead(spec.method) && !this.stop.exempt(spec) && this.stop.stoppedNow()) {
        if (!previous) throw heldBackError(spec);
        return this.giveUpReading(spec, correlationId, previous!, uncertain, retries, Date.now() - started, stoppedNote(retries), true);
      }
      const token = bearer ? await this.tokens.get() : undefined;
      let tried;
      try {
        tried = spec.stream
          ? await attemptStream(this.channel, spec, spec.stream, correlationId, token)
          : await attempt(this.channel, spec, correlationId, token);
      } catch (err) {
        // A resend held back by the stop ends the call with the error of the attempt before it.
        if (isHeldBack(err) && previous) {
          const error = previous;
          return this.giveUpReading(spec, correlationId, error, uncertain, retries, Date.now() - started, stoppedNote(retries), true);
        }
        throw err;
      }
      queued += tried.queuedMs ?? 0;
      if (tried.kind === 'response') {
        // The API host's answers only: a login host apart (real Genesys) says nothing of it.
        if ((spec.host ?? 'api') === 'api') this.answered = true;
        const { res } = tried;
        // API responses only: a token request is not part of any change worth attributing.
        if (bearer) this.opts.onResponse?.({ method: spec.method, path: spec.path, status: res.status, correlationId: res.correlationId, headers: res.headers });
        const done = res.status >= 200 && res.status < 300;
        // A read answered with a body damaged on the way is asked again (retry.ts), as a failure
        // that changed nothing: it is safe to repeat, and the next answer may come whole.
        const readAgain = done && res.damaged === true && isRead(spec.method);
        if (done && res.undecodable !== undefined && !readAgain) {
          // Answered, its body unreadable: never sent again (a write so answered has landed; a
          // read's body too large, or in a coding promptctl cannot read, would be so again); what
          // it made is read for where the call can (reconcile), else the call ends saying why.
          const error = apiErrorOf(spec, correlationId, tried, this.failures);
          return this.giveUpReading(spec, correlationId, error, 'landed', retries + 1, Date.now() - started, `answered ${res.status}; not sent again`);
        }
        if ((done && !readAgain) || spec.accept?.(res)) return spec.parse(res);
      }

      const error = apiErrorOf(spec, correlationId, tried, this.failures);
      const result = attemptResult(tried);
      const decision = decide(
        result,
        { retries, refused, canReauth: token !== undefined && !reauthenticated, answeredBefore: this.answered },
        policy,
      );

      if (decision.action === 'reauth') {
        // Expired or forgotten token: renew once and resend (the request was refused, not run).
        this.tokens.invalidate(token!);
        // After an apply's interrupt a refused write is not sent again: with a new token it would
        // be a new change (as a 429's resend would be); an earlier attempt of unknown outcome is read for.
        if (this.stop.stopsResending(spec)) {
          return this.giveUpReading(spec, correlationId, error, uncertain, retries + 1, Date.now() - started, stoppedNote(retries + 1), true);
        }
        reauthenticated = true;
        this.noteRetry(spec, correlationId, { attempt: retries + 1, reason: 'token refused (401), re-authenticating', delayMs: 0, status: 401 });
        continue;
      }

      if (decision.action === 'retry') {
        const now = Date.now();
        const next = verdict(decision, {
          method: spec.method,
          idempotent: spec.idempotent === true,
          reconciles: spec.reconcile !== undefined,
          billed: spec.billed !== undefined && spec.billed !== false,
          retries,
          maxRetries: policy.maxRetries,
          now,
          deadline: retryDeadline(started, this.opts.retryBudgetMs, queued),
          stopping: this.stop.stopsResending(spec),
        });
        if (next === 'unsettled') throw unsettledError(error, spec.billed ?? false);
        if (next === 'stop') return this.giveUpReading(spec, correlationId, error, decision.outcomeUnknown, retries + 1, now - started, stoppedNote(retries + 1), true);
        // The last attempt may have done the work: giveUp reads before calling it a failure.
        if (next === 'give-up') {
          const retryAfterMs = result.kind === 'response' ? result.retryAfterMs : undefined;
          const pastBudget = retries < policy.maxRetries ? { waitMs: decision.delayMs, budgetMs: this.opts.retryBudgetMs, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } : undefined;
          return this.giveUpReading(spec, correlationId, error, decision.outcomeUnknown, retries + 1, now - started, gaveUpNote(retries + 1, now - started, pastBudget, queued));
        }
        retries++;
        if (result.kind === 'transport' && result.code === 'ECONNREFUSED') refused++;
        if (decision.outcomeUnknown) uncertain = true;
        previous = error;
        if (result.kind === 'response' && result.status === 429) this.pacer.block(decision.delayMs);
        // After the stop a read waits no more (below): its notice must not say it waits.
        const exempt = this.stop.exempt(spec);
        const waits = exempt || !this.stop.stoppedNow();
        this.noteRetry(spec, correlationId, {
          attempt: retries,
          reason: decision.reason,
          delayMs: waits ? decision.delayMs : 0,
          ...(result.kind === 'response' ? { status: result.status } : { code: result.code }),
          ...(result.kind === 'response' && result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
        });
        // Ends early on close(), the call's abort or the run's stop; the loop's first checks then say
        // so. After the stop a read waits no more: it is resent at once if the pacer lets it go.
        if (waits) await sleep(decision.delayMs, this.stop.waitSignal(spec.signal, exempt));
        // Interrupted while it waited: the resend would be a new call (a read is still read again).
        if (this.stop.stopsResending(spec)) {
          return this.giveUpReading(spec, correlationId, error, uncertain, retries, Date.now() - started, stoppedNote(retries), true);
        }
        continue;
      }

      if (decision.outcomeUnknown) {
        // Not retried (a 500), though a write may have landed before the server failed: a billed
        // call is said to have maybe run; any other is read for (reconcile) before it fails.
        if (spec.billed !== undefined && spec.billed !== false) throw unsettledError(error, spec.billed);
        return this.giveUpReading(spec, correlationId, error, true, retries + 1, Date.now() - started, NOT_RETRIED_NOTE);
      }

      // An answer that cannot be read may be any refusal, the one our own earlier attempt caused
      // (a 409 for the name it created) included: its call reads for its object whatever it says.
      const unread = tried.kind === 'response' && tried.res.undecodable !== undefined ? spec.reconcile : undefined;
      const after = spec.afterUncertain;
      const readFor = unread ?? (after ? () => after(error) : undefined);
      if (uncertain && readFor) {
        // A read that fails settles nothing: the write's own error stands, its outcome unknown.
        const found = await this.stop.settle(() => readBeforeResend(readFor, error));
        if (found) return this.foundByRead(spec, correlationId, found.value);
      }
      throw error;
    }
  }

  /**
   * `text` of the server's as the client's own errors are cleaned (FailureContext.scrub): for an
   * error a caller makes of what a 2xx answer carried (a stream's `event: error`).
   */
  scrub(text: string): string {
    return this.failures.scrub(text);
  }

  /** Sends a request whose 2xx body is read as it arrives (see CallSpec.stream). */
  stream(spec: StreamSpec): Promise<ResponseStream> {
    const { acceptHeader, idleTimeoutMs, signal, opening, ...request } = spec;
    return this.call<ResponseStream>({
      ...request,
      ...(signal ? { signal } : {}),
      stream: { acceptHeader, ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}), ...(signal ? { signal } : {}), ...(opening ? { opening } : {}) },
      parse: (res) => {
        if (!res.stream) throw new Error(`${spec.method} ${spec.path}: a streamed answer without a stream`);
        return res.stream;
      },
    });
  }

  async close(): Promise<void> {
    this.closing.abort();
    for (const a of new Set([this.agents.api.http, this.agents.api.https, this.agents.login.http, this.agents.login.https])) a?.destroy();
  }

  /** POST TOKEN_PATH (/oauth/token) with the client credentials; resent freely (a token request changes nothing). */
  private async requestToken(): Promise<OAuthTokenResponse> {
    try {
      return await this.call<OAuthTokenResponse>({
        method: 'POST',
        host: 'login',
        path: TOKEN_PATH,
        form: { grant_type: 'client_credentials' },
        authorization: { header: `Basic ${this.opts.basicCredential}` },
        idempotent: true,
        parse: (res) => {
          const body = res.body as Partial<OAuthTokenResponse> | undefined;
          if (!body || typeof body.access_token !== 'string' || body.access_token === '') {
            throw new ApiError(
              `authentication failed: the login server at ${origin(this.opts.loginUrl)} returned no access token`,
              res.status,
              'authentication.failed',
              res.correlationId,
              'POST',
              TOKEN_PATH,
            );
          }
          return { access_token: body.access_token, token_type: 'bearer', expires_in: Number(body.expires_in ?? DEFAULT_TOKEN_SECONDS) };
        },
      });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 401 || err.status === 403)) {
        throw new ApiError(
          this.opts.redactor.scrub(
            `authentication failed: ${origin(this.opts.loginUrl)} rejected the client credentials of client ` +
              `${clientIdHint(this.opts.clientId)} (${err.status} ${err.code}); ` +
              `check ${this.opts.credentialVariables.clientId} and ${this.opts.credentialVariables.clientSecret}`,
          ),
          err.status,
          'authentication.failed',
          err.correlationId,
          'POST',
          TOKEN_PATH,
        );
      }
      // No token endpoint there: a wrong login URL or region, never "the org lacks this API".
      if (err instanceof ApiError && err.status === 404) {
        throw new ApiError(
          // The whole URL tried: a path in the login URL is as likely the mistake as the host.
          `authentication failed: there is no OAuth token endpoint at ${this.opts.loginUrl.replace(/\/+$/, '')}${TOKEN_PATH} (POST answered 404); check the login URL or region`,
          404,
          'authentication.failed',
          err.correlationId,
          'POST',
          TOKEN_PATH,
        );
      }
      throw err;
    }
  }

  /**
   * Ends a call through unknown-outcome.ts `giveUp`, its read exempt from the stop: a value it
   * finds for a write whose answer was lost was found by reading the org (`foundByRead`).
   */
  private async giveUpReading<T>(
    spec: CallSpec<T>,
    correlationId: string,
    error: ApiError,
    outcomeUnknown: boolean | 'landed',
    attempts: number,
    elapsedMs: number,
    note: string,
    stopping = false,
  ): Promise<T> {
    const value = await this.stop.settle(() => giveUp(spec, error, outcomeUnknown, attempts, elapsedMs, note, stopping));
    return foundByRead(outcomeUnknown) ? this.foundByRead(spec, correlationId, value) : value;
  }

  /** A write whose answer was lost ends with what a settling read found: said to the caller (onFoundByRead), since its answer cannot. */
  private foundByRead<T>(spec: CallSpec<T>, correlationId: string, value: T): T {
    this.opts.onFoundByRead?.({ method: spec.method, path: spec.path, correlationId });
    return value;
  }

  private noteRetry<T>(
    spec: CallSpec<T>,
    correlationId: string,
    info: Omit<RetryInfo, 'method' | 'path' | 'correlationId'>,
  ): void {
    countEvent(this.stats, 'retries');
    this.opts.onRetry?.({ method: spec.method, path: spec.path, correlationId, ...info });
  }

}
