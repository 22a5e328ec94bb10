// AiStudioApi over HTTP: guides, guide versions and their jobs, guide session turns and summary
// settings on the shared REST client (genesys/). Every write whose outcome can be unknown carries
// a reconciliation read, so a retry never creates a second guide, version or setting; whether a
// live object holds what was sent is decided by the kinds' canonical forms, passed in as `landed`.
// What the platform does where it is undocumented, and how this client copes, is in assumptions.ts.
import { ApiError } from '../../genesys/errors.js';
import { conflict, heldAsSent, json, patched, RestClient, type ConnectionOptions, type Landed } from '../../genesys/rest.js';
import { sleep } from '../../genesys/retry.js';
import type { Found, Method } from '../../genesys/exchange.js';
import type { AiStudioApi, AiStudioSurface } from './api.js';
import { isDuplicateName, isLatestNotProductionReady, jobOutcome } from './assumptions.js';
import { paths } from './paths.js';
import {
  LATEST_NOT_PRODUCTION_READY,
  LATEST_NOT_PRODUCTION_READY_CODE,
  type GuideCreate,
  type GuidePublishState,
  type GuideSessionTurnRequest,
  type GuideSessionTurnResponse,
  type GuideStatus,
  type GuideUpdate,
  type GuideVersionContent,
  type GuideVersionPatch,
  type SummarySettingBody,
  type WireGuide,
  type WireGuideJob,
  type WireGuideVersion,
  type WireGuideVersionPublishJob,
  type WireSummarySetting,
} from './wire.js';

export type { ResponseInfo, RetryInfo } from '../../genesys/rest.js';

/** Whether a live object holds what was sent: one check per object with a body (kinds/ supplies them). */
export interface AiStudioWriteChecks {
  guide: Landed<GuideCreate, WireGuide>;
  guideVersion: Landed<GuideVersionContent, WireGuideVersion>;
  summarySetting: Landed<SummarySettingBody, WireSummarySetting>;
}

export interface AiStudioClientOptions extends ConnectionOptions {
  /** Decides "did my write land?" on a reconciliation read. */
  landed: AiStudioWriteChecks;
  /** How long publishGuideVersion and deleteGuide wait by default (default 120 s). */
  jobTimeoutMs?: number;
}

export function createAiStudioClient(opts: AiStudioClientOptions): AiStudioApi {
  return new AiStudioClient(opts);
}

/** Listings are read in name order, so that pages stay put while they are fetched (A5). */
const BY_NAME = { sortBy: 'name', sortOrder: 'asc' } as const;

class AiStudioClient implements AiStudioApi {
  readonly targetLabel: string;
  private readonly r: RestClient;
  private readonly t: RestClient['t'];
  private readonly landed: AiStudioWriteChecks;
  private readonly jobTimeoutMs: number;

  constructor(opts: AiStudioClientOptions) {
    this.r = new RestClient(opts);
    this.t = this.r.t;
    this.targetLabel = opts.targetLabel;
    this.landed = opts.landed;
    this.jobTimeoutMs = opts.jobTimeoutMs ?? 120_000;
  }

  get stats() {
    return this.r.stats;
  }

  rateBudget() {
    return this.r.rateBudget();
  }

  close(): Promise<void> {
    return this.r.close();
  }

  async probe(): Promise<AiStudioSurface> {
    const serves = (path: string) =>
      this.t.call<boolean>({
        method: 'GET',
        path,
        searchParams: { pageSize: 1, pageNumber: 1 },
        accept: (res) => res.status === 404,
        parse: (res) => res.status !== 404,
      });
    const [guides, summarySettings] = await Promise.all([serves(paths.guides()), serves(paths.summarySettings())]);
    return { guides, summarySettings };
  }

  // ---- guides ----------------------------------------------------------------------------

  async listGuides(opts: { name?: string; nameContains?: string; status?: GuideStatus } = {}): Promise<WireGuide[]> {
    const all = await this.r.listAll<WireGuide>(paths.guides(), {
      name: opts.name,
      nameContains: opts.nameContains,
      status: opts.status,
      ...BY_NAME,
    });
    return opts.name === undefined ? all : all.filter((g) => g.name === opts.name);
  }

  getGuide(guideId: string): Promise<WireGuide> {
    return this.r.get<WireGuide>(paths.guide(guideId));
  }

  createGuide(body: GuideCreate): Promise<WireGuide> {
    return asDuplicateName(
      this.r.createNamed(paths.guides(), body, 'guide', async () => {
        const live = (await this.listGuides({ name: body.name }))[0];
        return live && { live, same: this.landed.guide(body, live) };
      }, isDuplicateName),
    );
  }

  patchGuide(guideId: string, body: GuideUpdate): Promise<WireGuide> {
    const reconcile = async (): Promise<Found<WireGuide> | undefined> => {
      const live = await this.getGuide(guideId);
      return body.name === undefined || live.name === body.name ? { value: live } : undefined;
    };
    return asDuplicateName(
      this.t.call({
        method: 'PATCH',
        path: paths.guide(guideId),
        json: body,
        parse: json<WireGuide>,
        reconcile,
        afterUncertain: async (err) => (isDuplicateName(err) ? reconcile() : undefined),
      }),
    );
  }

  async deleteGuide(guideId: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (opts.timeoutMs ?? this.jobTimeoutMs);
    const path = paths.guideJobs(guideId);
    const what = `deleting guide ${guideId}`;
    // A8: a job, no body, or (after an unknown outcome) 404/409 because our first attempt is at work.
    const job = await this.t.call<WireGuideJob | undefined>({
      method: 'DELETE',
      path,
      parse: (res) => asJob<WireGuideJob>(res.body),
      afterUncertain: async (err) => (err.status === 404 || err.status === 409 ? { value: undefined } : undefined),
    });
    if (job) {
      let status = jobOutcome(job.status);
      let last: WireGuideJob = job;
      if (status === undefined) {
        const jobPath = paths.guideJob(guideId, job.id);
        const polled = await this.poll(what, deadline, 'GET', jobPath, false, async () => {
          const j = await this.r.getIfExists<WireGuideJob>(jobPath);
          if (!j) return 'gone' as const;
          return jobOutcome(j.status) ? j : undefined;
        });
        if (polled !== 'gone') {
          last = polled;
          status = jobOutcome(polled.status);
        }
      }
      if (status === 'Failed') throw jobFailed(`deleting guide ${guideId}`, last, 'DELETE', path);
    }
    // The guide is gone when reading it answers 404.
    await this.poll(what, deadline, 'GET', paths.guide(guideId), true, async () =>
      (await this.r.getIfExists<WireGuide>(paths.guide(guideId))) ? undefined : true,
    );
  }

  // ---- guide versions --------------------------------------------------------------------

  async createGuideVersion(guideId: string, body: GuideVersionContent): Promise<WireGuideVersion> {
    const path = paths.guideVersions(guideId);
    // A4: no listing of versions: ours, if it landed, is the guide's latest saved version, not yet published.
    const latest = async (): Promise<WireGuideVersion | undefined> => {
      const guide = await this.r.getIfExists<WireGuide>(paths.guide(guideId));
      const label = guide?.latestSavedVersion?.version;
      return label ? this.r.getIfExists<WireGuideVersion>(paths.guideVersion(guideId, label)) : undefined;
    };
    const holds = (live: WireGuideVersion): boolean => this.landed.guideVersion(body, live);
    // Ours if the latest is an unpublished version holding what we sent; someone else's unpublished
    // version is the refusal a second Draft gets (A3), which the lost answer would have been.
    const reconcile = async (): Promise<Found<WireGuideVersion> | undefined> => {
      const live = await latest();
      if (!live || live.state === 'ProductionReady') return undefined;
      if (holds(live)) return { value: live };
      throw conflict(`${LATEST_NOT_PRODUCTION_READY} (version ${live.version} is ${live.state})`, LATEST_NOT_PRODUCTION_READY_CODE, 'POST', path);
    };
    let correlationId: string | undefined;
    try {
      const answer = await this.t.call<WireGuideVersion | undefined>({
        method: 'POST',
        path,
        json: body,
        parse: (res) => ((correlationId = res.correlationId), json<WireGuideVersion | undefined>(res)),
        reconcile,
        // A3: refused as a second draft after a lost answer: the draft may be our first attempt's.
        // (Someone else's Draft: the server's own refusal stands.)
        afterUncertain: async (err) => (isLatestNotProductionReady(err) ? reconcile().catch(() => undefined) : undefined),
      });
      const readBack = async (): Promise<WireGuideVersion> => {
        const live = await latest();
        if (!live) throw new ApiError(`POST ${path} succeeded, but the guide has no version to read back`, 0, 'write.not.held', correlationId, 'POST', path);
        return live;
      };
      return await heldAsSent(answer, holds, readBack, { method: 'POST', path, what: 'guide version', correlationId });
    } catch (err) {
      if (err instanceof ApiError && isLatestNotProductionReady(err)) {
        throw new ApiError(
          `${err.message}; edit the guide's latest version instead of creating one`,
          409,
          LATEST_NOT_PRODUCTION_READY_CODE,
          err.correlationId,
          'POST',
          path,
        );
      }
      throw err;
    }
  }

  getGuideVersion(guideId: string, version: string): Promise<WireGuideVersion> {
    return this.r.get<WireGuideVersion>(paths.guideVersion(guideId, version));
  }

  async patchGuideVersion(guideId: string, version: string, body: GuideVersionPatch): Promise<WireGuideVersion> {
    const path = paths.guideVersion(guideId, version);
    const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as GuideVersionPatch;
    // Applied when the live content with our fields laid over it is the live content (a field sent as null is gone).
    const holds = (live: WireGuideVersion): boolean => this.landed.guideVersion(patched(versionContent(live), patch), live);
    const reconcile = async (): Promise<Found<WireGuideVersion> | undefined> => {
      const live = await this.getGuideVersion(guideId, version);
      return holds(live) ? { value: live } : undefined;
    };
    let correlationId: string | undefined;
    const answer = await this.t.call<WireGuideVersion | undefined>({
      method: 'PATCH',
      path,
      json: patch,
      parse: (res) => ((correlationId = res.correlationId), json<WireGuideVersion | undefined>(res)),
      reconcile,
    });
    return heldAsSent(answer, holds, () => this.getGuideVersion(guideId, version), { method: 'PATCH', path, what: 'guide version', correlationId });
  }

  async publishGuideVersion(
    guideId: string,
    version: string,
    state: GuidePublishState,
    opts: { timeoutMs?: number } = {},
  ): Promise<WireGuideVersion> {
    const deadline = Date.now() + (opts.timeoutMs ?? this.jobTimeoutMs);
    const path = paths.guideVersionJobs(guideId, version);
    const what = `publishing version ${version} of guide ${guideId} to ${state}`;
    type Started = { job?: WireGuideVersionPublishJob; reached?: WireGuideVersion };
    // A publish is settled by the version's state (A6, A7).
    const reached = async (): Promise<Found<Started> | undefined> => {
      const v = await this.r.getIfExists<WireGuideVersion>(paths.guideVersion(guideId, version));
      return v?.state === state ? { value: { reached: v } } : undefined;
    };

    let started: Started;
    try {
      started = await this.t.call<Started>({
        method: 'POST',
        path,
        json: { guideVersion: { state } },
        parse: (res) => {
          const job = asJob<WireGuideVersionPublishJob>(res.body);
          return job ? { job } : {};
        },
        reconcile: reached,
        afterUncertain: () => reached(),
      });
    } catch (err) {
      // A7: refused because the version is there already.
      if (err instanceof ApiError && (err.status === 400 || err.status === 409)) {
        const there = await reached();
        if (there?.value.reached) return there.value.reached;
      }
      throw err;
    }
    if (started.reached) return started.reached;

    const job = started.job;
    if (job) {
      let last = job;
      if (!jobOutcome(job.status)) {
        const jobPath = paths.guideVersionJob(guideId, version, job.id);
        const polled = await this.poll(what, deadline, 'GET', jobPath, false, async () => {
          const j = await this.r.getIfExists<WireGuideVersionPublishJob>(jobPath);
          if (!j) return 'gone' as const; // A6: the version's state decides
          return jobOutcome(j.status) ? j : undefined;
        });
        if (polled !== 'gone') last = polled;
      }
      if (jobOutcome(last.status) === 'Failed') throw jobFailed(what, last, 'POST', path);
    }
    // Succeeded, vanished, or never given (a 202 with an empty body): wait for the version to show it.
    const versionPath = paths.guideVersion(guideId, version);
    let seen: string | undefined;
    try {
      return await this.poll(what, deadline, 'GET', versionPath, true, async () => {
        const v = await this.getGuideVersion(guideId, version);
        seen = v.state;
        return v.state === state ? v : undefined;
      });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'job.timeout') {
        const why = job ? `its job ${job.id} finished` : 'the server started it without returning a job';
        throw new ApiError(`${what}: ${why}, but the version is still ${seen ?? 'unread'}`, 0, 'job.timeout', undefined, 'GET', versionPath);
      }
      throw err;
    }
  }

  // ---- guide sessions --------------------------------------------------------------------

  sessionTurn(guideId: string, sessionId: string, body: GuideSessionTurnRequest, opts: { signal?: AbortSignal } = {}): Promise<GuideSessionTurnResponse> {
    return this.t.call({
      method: 'POST',
      path: paths.sessionTurns(guideId, sessionId),
      json: body,
      // Not resent after an attempt of unknown outcome: it may have added the turn already (A10).
      ...(opts.signal ? { signal: opts.signal } : {}),
      parse: json<GuideSessionTurnResponse>,
    });
  }

  // ---- summary settings ------------------------------------------------------------------

  async listSummarySettings(opts: { name?: string; language?: string } = {}): Promise<WireSummarySetting[]> {
    const all = await this.r.listAll<WireSummarySetting>(paths.summarySettings(), {
      name: opts.name,
      language: opts.language,
      ...BY_NAME,
    });
    return opts.name === undefined ? all : all.filter((s) => s.name === opts.name);
  }

  getSummarySetting(id: string): Promise<WireSummarySetting> {
    return this.r.get<WireSummarySetting>(paths.summarySetting(id));
  }

  createSummarySetting(body: SummarySettingBody): Promise<WireSummarySetting> {
    return asDuplicateName(
      this.r.createNamed(paths.summarySettings(), body, 'summary setting', async () => {
        const live = (await this.listSummarySettings({ name: body.name }))[0];
        return live && { live, same: this.landed.summarySetting(body, live) };
      }, isDuplicateName),
    );
  }

  async putSummarySetting(id: string, body: SummarySettingBody, opts: { ifDateModified?: string } = {}): Promise<WireSummarySetting> {
    const path = paths.summarySetting(id);
    if (opts.ifDateModified !== undefined) {
      // A9: the guard is the dateModified the plan read; a setting already holding `body` is done.
      const live = await this.getSummarySetting(id);
      if (!sameInstant(live.dateModified, opts.ifDateModified)) {
        if (this.landed.summarySetting(body, live)) return live;
        throw conflict(
          `summary setting ${live.name} (${id}) changed since it was read (dateModified ${opts.ifDateModified}, now ${live.dateModified}); plan again`,
          'version.mismatch',
          'PUT',
          path,
        );
      }
    }
    return this.t.call({ method: 'PUT', path, json: body, parse: json<WireSummarySetting> });
  }

  deleteSummarySetting(id: string): Promise<void> {
    return this.r.delete(paths.summarySetting(id));
  }

  // ---- shared ----------------------------------------------------------------------------


  /**
   * Calls `step` until it returns something (quick at first, backing off to 1 s), or fails with
   * job.timeout at the deadline. `now` runs the first step at once; otherwise it waits first.
   */
  private async poll<T>(
    what: string,
    deadline: number,
    method: Method,
    path: string,
    now: boolean,
    step: () => Promise<T | undefined>,
  ): Promise<T> {
    let delay = 25;
    if (now) {
      const first = await step();
      if (first !== undefined) return first;
    }
    for (;;) {
      if (Date.now() + delay > deadline) {
        throw new ApiError(`${what} did not finish in time`, 0, 'job.timeout', undefined, method, path);
      }
      await sleep(delay);
      delay = Math.min(1000, Math.ceil(delay * 1.6));
      const done = await step();
      if (done !== undefined) return done;
    }
  }
}

/**
 * A2: the platform refuses a taken name with codes of its own (summary settings: 400
 * summary.setting.name.not.unique; guides: 409 conflict): reported as promptctl's 409
 * duplicate.name, so apply calls it a conflict (created since the plan), not a failure.
 */
async function asDuplicateName<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ApiError && err.code !== 'duplicate.name' && isDuplicateName(err)) {
      const named = new ApiError(err.message, 409, 'duplicate.name', err.correlationId, err.method, err.path);
      if (err.body) named.body = err.body;
      throw named;
    }
    throw err;
  }
}

/** A job in a response body, or undefined for an empty (or job-less) body (A6, A8). */
function asJob<J extends { id: string }>(body: unknown): J | undefined {
  const o = body as { id?: unknown } | undefined;
  return o && typeof o === 'object' && typeof o.id === 'string' && o.id !== '' ? (body as J) : undefined;
}

function jobFailed(what: string, job: { id: string; errors?: Array<{ code?: string; message?: string; status?: number; contextId?: string }> }, method: Method, path: string): ApiError {
  const errors = job.errors ?? [];
  const why = errors.map((e) => `${e.code ?? 'error'}: ${e.message ?? ''}`.trim()).join('; ') || 'no reason given';
  const first = errors[0];
  return new ApiError(`${what} failed (job ${job.id}): ${why}`, first?.status ?? 500, 'job.failed', first?.contextId, method, path);
}

function versionContent(v: WireGuideVersion): GuideVersionContent {
  const out: GuideVersionContent = { instruction: v.instruction };
  if (v.variables !== undefined) out.variables = v.variables;
  if (v.resources !== undefined) out.resources = v.resources;
  if (v.knowledgeSettings !== undefined) out.knowledgeSettings = v.knowledgeSettings;
  return out;
}

/** Two timestamps naming the same instant (formats differ: "…00Z" and "…00.000Z"). */
function sameInstant(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Date.parse(a);
  const y = Date.parse(b);
  return Number.isFinite(x) && x === y;
}

