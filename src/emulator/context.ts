// What a resource handler sees and returns. Handlers are synchronous functions over the state,
// run inside one store transaction; they validate before they change anything.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { paths } from '../targets/llmgateway/paths.js';
import { type UserRef } from '../targets/llmgateway/wire.js';
import { ApiFailure, notFound } from './errors.js';
import type { RenderedPages } from './rendered-pages.js';
import type { State, TemplateRec } from './state.js';

export interface Ctx {
  /** The state; every change goes through this (it is tracked, journaled and rolled back). */
  state: State;
  /**
   * The same state untracked: for scans and rendering only (a listing reads every entity, and
   * reading through the tracker costs several times more). Never write through it: such a write
   * would not be journaled.
   */
  reading: State;
  /** Path parameters, already URI-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (undefined for GET/DELETE). */
  body: unknown;
  /** The request path, for listing URIs. */
  path: string;
  user: UserRef;
  /** The request's timestamp, ISO-8601 UTC. */
  now: string;
  /** How long a publish job stays Running. */
  publishDelayMs: number;
  /** The revision of the listed state as the transaction starts (Store.listedRevision), and the pages rendered at it. */
  revision: number;
  pages: RenderedPages;
  /** The request's ININ-Correlation-Id (the contextId of an ErrorBody a handler answers with itself). */
  correlationId?: string;
  /** The request's headers (e.g. Accept). */
  headers?: IncomingHttpHeaders;
  /**
   * Why the body could not be read (not JSON, missing, too large), instead of `body`. Only a
   * handler that records its refusals (`Handler.recordsRefusals`) sees it; for any other the
   * server answers it without running the handler.
   */
  bodyFailure?: ApiFailure;
  /**
   * The 5xx an injected fault answers this call with (the pipeline sends it), for a handler that
   * records its refusals to record the call as answered so; any other is not run under a fault.
   */
  fault?: ApiFailure;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** The JSON body already serialized (a page RenderedPages kept), sent instead of `body`. */
  json?: Buffer;
  /** The transaction changed the state: it is made durable before the reply is sent. */
  changed: boolean;
  /** Runs once the change is durable (e.g. to arm a job timer). */
  afterCommit?: () => void;
  /**
   * Writes the response itself once the change is durable (a delayed answer, an event stream),
   * instead of `status` and `body` being sent as JSON. Settles when the response is finished.
   */
  send?: (res: ServerResponse) => Promise<void>;
}

/**
 * `recordsRefusals`: the handler keeps a record of every call it answers, a body it cannot read
 * and an injected 5xx fault included (invocations: DESIGN §3's analytics count every invocation
 * the server answered), so it is run with `Ctx.bodyFailure` and answers that refusal itself, and
 * with `Ctx.fault`, which it records (the pipeline answers it).
 */
export type Handler = ((ctx: Ctx) => Reply) & { recordsRefusals?: boolean };

/** A stable user id (uuid-shaped) for an OAuth client, so createdBy/modifiedBy stay the same across restarts. */
export function userFor(clientId: string): UserRef {
  const h = createHash('sha256').update(`promptctl-emulator-user:${clientId}`).digest('hex');
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return { id, selfUri: paths.user(id) };
}

/** Who changed an entity and when. */
export interface Stamps {
  dateCreated: string;
  dateModified: string;
  createdBy: UserRef;
  modifiedBy: UserRef;
}

/** The stamps of an entity created now (no `prev`), or of `prev` modified now. */
export function stamps(ctx: Ctx, prev?: Stamps): Stamps {
  return {
    dateCreated: prev?.dateCreated ?? ctx.now,
    dateModified: ctx.now,
    createdBy: prev?.createdBy ?? ctx.user,
    modifiedBy: ctx.user,
  };
}

export function param(ctx: Ctx, name: string): string {
  const v = ctx.params[name];
  if (v === undefined) throw new Error(`route has no parameter ${name}`);
  return v;
}

/**
 * The record stored under `key`, never an inherited property: ids and labels are data, so
 * `__proto__`, `constructor` or `toString` is an unknown id like any other.
 */
export function own<T>(records: Record<string, T> | undefined, key: string): T | undefined {
  return records !== undefined && Object.hasOwn(records, key) ? records[key] : undefined;
}

export function requireTemplate(ctx: Ctx): TemplateRec {
  const t = own(ctx.state.templates, param(ctx, 'templateId'));
  if (!t) throw notFound(`prompt template ${param(ctx, 'templateId')}`);
  return t;
}

/** A PUT carrying a stale integer version changes nothing. */
export function checkVersion(sent: number, current: number, what: string, entityId?: string): void {
  if (sent === current) return;
  throw ApiFailure.withParams(
    409,
    'version.mismatch',
    `${what} is at version {current}, the request sent version {sent}; re-read it and retry`,
    { current: String(current), sent: String(sent) },
    [{ errorCode: 'version.mismatch', ...(entityId ? { entityId } : {}) }],
  );
}
