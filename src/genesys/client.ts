// GatewayApi over HTTP: typed resources on top of the transport. Every write whose outcome can
// be unknown carries a reconciliation read, so a retry never creates a duplicate and a retried
// PUT never reports its own earlier success as a conflict.
import { ApiError, type Expand, type GatewayApi } from './api.js';
import { basicCredential, Redactor } from './redact.js';
import { DEFAULT_RETRY_POLICY, sleep } from './retry.js';
import { sameFilter, sameTemplate, sameTraffic } from './same.js';
import { isLoopbackHost } from './target.js';
import { UserError } from '../util/errors.js';
import { type Found, type HttpResult, type ResponseInfo, type RetryInfo, Transport } from './transport.js';
import {
  type EntityListing,
  type FilterCreate,
  type FilterUpdate,
  MAX_PAGE_SIZE,
  type TemplateCreate,
  type TemplateUpdate,
  type TrafficPut,
  type VersionContent,
  type VersionCreate,
  type WireFilter,
  type WireJob,
  type WireTemplate,
  type WireTraffic,
  type WireVersion,
  paths,
  versionContentHash,
} from './wire.js';

export type { ResponseInfo, RetryInfo } from './transport.js';

export interface ClientOptions {
  /** Base URLs, e.g. https://api.mypurecloud.com/ and https://login.mypurecloud.com/. */
  apiUrl: string;
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  targetLabel: string;
  /** One attempt's limit (default 30 s). */
  timeoutMs?: number;
  /** Overall limit per call, retries included (default 120 s). */
  retryBudgetMs?: number;
  /** Retries per call (default 10). */
  maxRetries?: number;
  /** Requests in flight at once (default 16, as the apply executor's actions). */
  concurrency?: number;
  onRetry?: (info: RetryInfo) => void;
  /** Every API response (any status; not token requests), in the async context of the call that caused it. */
  onResponse?: (info: ResponseInfo) => void;
  userAgent?: string;
  /** Backoff base and cap for 5xx and dropped connections (defaults 200 ms, 10 s). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Longest single Retry-After wait honoured (default 60 s). */
  maxRetryAfterMs?: number;
  /** How long publishVersion waits for its job by default (default 120 s). */
  publishTimeoutMs?: number;
}

export function createGatewayClient(opts: ClientOptions): GatewayApi {
  return new GatewayClient(opts);
}

class GatewayClient implements GatewayApi {
  readonly targetLabel: string;
  private readonly t: Transport;
  private readonly publishTimeoutMs: number;

  constructor(opts: ClientOptions) {
    for (const url of [opts.apiUrl, opts.loginUrl]) assertSafeUrl(url);
    this.targetLabel = opts.targetLabel;
    this.publishTimeoutMs = opts.publishTimeoutMs ?? 120_000;
    const basic = basicCredential(opts.clientId, opts.clientSecret);
    this.t = new Transport({
      apiUrl: withSlash(opts.apiUrl),
      loginUrl: withSlash(opts.loginUrl),
      clientId: opts.clientId,
      basicCredential: basic,
      timeoutMs: opts.timeoutMs ?? 30_000,
      retryBudgetMs: opts.retryBudgetMs ?? 120_000,
      concurrency: opts.concurrency ?? 16,
      policy: {
        ...DEFAULT_RETRY_POLICY,
        ...(opts.maxRetries !== undefined ? { maxRetries: opts.maxRetries } : {}),
        ...(opts.backoffBaseMs !== undefined ? { backoffBaseMs: opts.backoffBaseMs } : {}),
        ...(opts.backoffCapMs !== undefined ? { backoffCapMs: opts.backoffCapMs } : {}),
        ...(opts.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: opts.maxRetryAfterMs } : {}),
      },
      userAgent: opts.userAgent ?? 'promptctl',
      redactor: new Redactor([opts.clientSecret, basic]),
      ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
      ...(opts.onResponse ? { onResponse: opts.onResponse } : {}),
    });
  }

  get stats() {
    return this.t.stats;
  }

  close(): Promise<void> {
    return this.t.close();
  }

  // ---- templates -------------------------------------------------------------------------

  listTemplates(opts: { expand?: Expand[]; name?: string } = {}): Promise<WireTemplate[]> {
    return this.listAll<WireTemplate>(paths.templates(), { expand: expandParam(opts.expand), name: opts.name });
  }

  getTemplate(id: string, opts: { expand?: Expand[] } = {}): Promise<WireTemplate> {
    return this.get<WireTemplate>(paths.template(id), { expand: expandParam(opts.expand) });
  }

  createTemplate(body: TemplateCreate): Promise<WireTemplate> {
    return this.createNamed(paths.templates(), body, 'prompt template', async () => {
      const live = (await this.listTemplates({ name: body.name })).find((t) => t.name === body.name);
      return live && { live, same: sameTemplate(body, live) };
    });
  }

  updateTemplate(id: string, body: TemplateUpdate): Promise<WireTemplate> {
    return this.put(paths.template(id), body, async () => {
      const live = await this.getTemplate(id);
      return live.version === body.version + 1 && sameTemplate(body, live) ? live : undefined;
    });
  }

  deleteTemplate(id: string): Promise<void> {
    return this.delete(paths.template(id));
  }

  // ---- versions --------------------------------------------------------------------------

  listVersions(templateId: string): Promise<WireVersion[]> {
    return this.listAll<WireVersion>(paths.versions(templateId), {});
  }

  getVersion(templateId: string, label: string): Promise<WireVersion> {
    return this.get<WireVersion>(paths.version(templateId, label), {});
  }

  createVersion(templateId: string, body: VersionCreate): Promise<WireVersion> {
    // Reconcile by label: same content hash → it is ours; a different one → a real conflict.
    const wanted = versionContentHash(body);
    const reconcile = async (): Promise<Found<WireVersion> | undefined> => {
      const live = await this.findVersion(templateId, body.version);
      if (!live) return undefined;
      if ((live.contentHash ?? versionContentHash(live)) === wanted) return { value: live };
      throw conflict(
        `version ${body.version} of prompt template ${templateId} already exists with different content`,
        'version.exists',
        'POST',
        paths.versions(templateId),
      );
    };
    return this.t.call({
      method: 'POST',
      path: paths.versions(templateId),
      json: body,
      parse: json<WireVersion>,
      reconcile,
      afterUncertain: async (err) => (err.code === 'version.exists' ? reconcile() : undefined),
    });
  }

  patchVersion(templateId: string, label: string, body: Partial<VersionContent>): Promise<WireVersion> {
    const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<VersionContent>;
    // Already applied when patching the live content with our fields changes nothing.
    const reconcile = async (): Promise<Found<WireVersion> | undefined> => {
      const live = await this.getVersion(templateId, label);
      const liveHash = live.contentHash ?? versionContentHash(live);
      return versionContentHash({ ...live, ...patch }) === liveHash ? { value: live } : undefined;
    };
    return this.t.call({
      method: 'PATCH',
      path: paths.version(templateId, label),
      json: patch,
      parse: json<WireVersion>,
      reconcile,
    });
  }

  deleteVersion(templateId: string, label: string): Promise<void> {
    return this.delete(paths.version(templateId, label));
  }

  async publishVersion(templateId: string, label: string, opts: { timeoutMs?: number } = {}): Promise<WireJob> {
    const deadline = Date.now() + (opts.timeoutMs ?? this.publishTimeoutMs);
    const done: WireJob = { id: '', status: 'Succeeded', errors: [], selfUri: paths.version(templateId, label) };
    // A publish is settled by the version's state; re-posting the job for a Published version is harmless.
    const ifPublished = async (): Promise<Found<WireJob> | undefined> =>
      (await this.getVersion(templateId, label)).state === 'Published' ? { value: done } : undefined;

    let job = await this.t.call<WireJob>({
      method: 'POST',
      path: paths.jobs(templateId, label),
      json: { state: 'Published' },
      parse: json<WireJob>,
      reconcile: ifPublished,
      afterUncertain: async (err) => (err.status === 409 ? ifPublished() : undefined),
    });

    // Poll the job: quick at first (publishing is usually fast), backing off to 1 s.
    let delay = 25;
    while (job.status === 'Running') {
      if (Date.now() + delay > deadline) {
        throw new ApiError(
          `publishing version ${label} of prompt template ${templateId} did not finish in time (job ${job.id} still Running)`,
          0,
          'job.timeout',
          undefined,
          'GET',
          paths.job(templateId, label, job.id),
        );
      }
      await sleep(delay);
      delay = Math.min(1000, Math.ceil(delay * 1.6));
      const jobId = job.id;
      const polled = await this.getIfExists<WireJob>(paths.job(templateId, label, jobId));
      if (polled) {
        job = polled;
        continue;
      }
      // The job is gone (the server forgot it, or the version was deleted): the version tells the outcome.
      const version = await this.findVersion(templateId, label);
      if (version?.state === 'Published') return done;
      throw new ApiError(
        version
          ? `publish job ${jobId} for version ${label} of prompt template ${templateId} disappeared before finishing`
          : `version ${label} of prompt template ${templateId} was deleted while it was being published`,
        404,
        'not.found',
        undefined,
        'GET',
        paths.job(templateId, label, jobId),
      );
    }
    if (job.status === 'Failed') {
      const why = job.errors.map((e) => `${e.code}: ${e.message}`).join('; ') || 'no reason given';
      const first = job.errors[0];
      throw new ApiError(
        `publishing version ${label} of prompt template ${templateId} failed: ${why}`,
        first?.status ?? 500,
        'job.failed',
        first?.contextId,
        'POST',
        paths.jobs(templateId, label),
      );
    }
    return job;
  }

  // ---- traffic ---------------------------------------------------------------------------

  getTraffic(templateId: string): Promise<WireTraffic | null> {
    return this.t.call<WireTraffic | null>({
      method: 'GET',
      path: paths.traffic(templateId),
      // 404 not.found: no split (the ErrorBody cannot tell it from a missing template; callers know the template exists).
      accept: (res) => res.status === 404 && errorCode(res) === 'not.found',
      parse: (res) => (res.status === 404 ? null : json<WireTraffic>(res)),
    });
  }

  putTraffic(templateId: string, body: TrafficPut): Promise<WireTraffic> {
    return this.put(paths.traffic(templateId), body, async () => {
      const live = await this.getTraffic(templateId);
      return live && live.version === body.version + 1 && sameTraffic(body, live) ? live : undefined;
    });
  }

  // ---- safety filters --------------------------------------------------------------------

  listFilters(): Promise<WireFilter[]> {
    return this.listAll<WireFilter>(paths.filters(), {});
  }

  getFilter(id: string): Promise<WireFilter> {
    return this.get<WireFilter>(paths.filter(id), {});
  }

  createFilter(body: FilterCreate): Promise<WireFilter> {
    return this.createNamed(paths.filters(), body, 'safety filter', async () => {
      const live = (await this.listFilters()).find((f) => f.name === body.name);
      return live && { live, same: sameFilter(body, live) };
    });
  }

  updateFilter(id: string, body: FilterUpdate): Promise<WireFilter> {
    return this.put(paths.filter(id), body, async () => {
      const live = await this.getFilter(id);
      return live.version === body.version + 1 && sameFilter(body, live) ? live : undefined;
    });
  }

  deleteFilter(id: string): Promise<void> {
    return this.delete(paths.filter(id));
  }

  // ---- shared shapes ---------------------------------------------------------------------

  /**
   * POST of an entity with a unique name. Reconciled by name: names are unique, so the one found
   * is ours if it holds what we sent, and a real conflict if it does not.
   */
  private createNamed<T>(
    path: string,
    body: { name: string },
    what: string,
    findByName: () => Promise<{ live: T; same: boolean } | undefined>,
  ): Promise<T> {
    const reconcile = async (): Promise<Found<T> | undefined> => {
      const found = await findByName();
      if (!found) return undefined;
      if (found.same) return { value: found.live };
      throw conflict(`${what} ${body.name} already exists with different content`, 'duplicate.name', 'POST', path);
    };
    return this.t.call({
      method: 'POST',
      path,
      json: body,
      parse: json<T>,
      reconcile,
      afterUncertain: async (err) => (err.code === 'duplicate.name' ? reconcile() : undefined),
    });
  }

  /** GET that answers undefined for a 404 (the object does not exist, or no longer). */
  private getIfExists<T>(path: string): Promise<T | undefined> {
    return this.t.call<T | undefined>({
      method: 'GET',
      path,
      accept: (res) => res.status === 404,
      parse: (res) => (res.status === 404 ? undefined : json<T>(res)),
    });
  }

  private get<T>(path: string, searchParams: Record<string, string | undefined>): Promise<T> {
    return this.t.call<T>({ method: 'GET', path, searchParams, parse: json<T> });
  }

  /**
   * PUT with the version guard. A 409 version.mismatch after a lost response may be our own
   * write: `applied` re-reads and returns the live object if it holds what we sent at version+1.
   */
  private put<T>(path: string, body: unknown, applied: () => Promise<T | undefined>): Promise<T> {
    return this.t.call<T>({
      method: 'PUT',
      path,
      json: body,
      parse: json<T>,
      afterUncertain: async (err) => {
        if (err.status !== 409 || err.code !== 'version.mismatch') return undefined;
        const live = await applied();
        return live === undefined ? undefined : { value: live };
      },
    });
  }

  /** DELETE; a 404 after a lost response means our earlier attempt did it. */
  private delete(path: string): Promise<void> {
    return this.t.call<void>({
      method: 'DELETE',
      path,
      parse: () => undefined,
      afterUncertain: async (err) => (err.status === 404 ? { value: undefined } : undefined),
    });
  }

  /** Every entity of a listing: page 1 first, then the remaining pages concurrently. */
  private async listAll<T>(path: string, params: Record<string, string | undefined>): Promise<T[]> {
    const page = (pageNumber: number) =>
      this.t.call<EntityListing<T>>({
        method: 'GET',
        path,
        searchParams: { ...params, pageSize: MAX_PAGE_SIZE, pageNumber },
        parse: json<EntityListing<T>>,
      });
    const first = await page(1);
    const pageCount = first.pageCount ?? Math.ceil(first.total / Math.max(1, first.pageSize));
    const rest = await Promise.all(Array.from({ length: Math.max(0, pageCount - 1) }, (_, i) => page(i + 2)));
    // An entity can shift pages if something is created or deleted meanwhile: keep each once.
    const seen = new Set<string>();
    const out: T[] = [];
    for (const listing of [first, ...rest]) {
      for (const e of listing.entities ?? []) {
        const key = entityKey(e);
        if (key !== undefined && seen.has(key)) continue;
        if (key !== undefined) seen.add(key);
        out.push(e);
      }
    }
    return out;
  }

  private findVersion(templateId: string, label: string): Promise<WireVersion | undefined> {
    return this.getIfExists<WireVersion>(paths.version(templateId, label));
  }
}

function json<T>(res: HttpResult): T {
  return res.body as T;
}

function errorCode(res: HttpResult): string | undefined {
  const b = res.body as { code?: unknown } | undefined;
  return b && typeof b.code === 'string' ? b.code : undefined;
}

function entityKey(e: unknown): string | undefined {
  const o = e as { id?: unknown; version?: unknown };
  return typeof o.id === 'string' ? o.id : typeof o.version === 'string' ? o.version : undefined;
}

function expandParam(expand: Expand[] | undefined): string | undefined {
  return expand && expand.length > 0 ? expand.join(',') : undefined;
}

function conflict(message: string, code: string, method: string, path: string): ApiError {
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
