// GatewayApi over HTTP: the LLM Gateway's typed resources on the shared REST client (genesys/).
// Every write whose outcome can be unknown carries a reconciliation read; whether a live object
// holds what was sent is decided by the kinds' canonical forms, passed in as `landed`.
import { ANSWER_SHAPES } from '../answer-shapes.js';
import { conflict, errorCode, heldAsSent, json, notCreated, patched, readSettling, RestClient, shaped, shapeError, type AnswerShape, type ConnectionOptions, type Landed, type WriteAnswered } from '../../genesys/rest.js';
import { ApiError, isTooLarge } from '../../genesys/errors.js';
import type { EntityListing } from '../../genesys/conventions.js';
import type { Found } from '../../genesys/exchange.js';
import type { Expand, GatewayApi, InvocationStreamEvent, InvokeOptions, InvokeStreamOptions, PublishOptions } from './api.js';
import { paths } from './paths.js';
import * as runtime from './runtime.js';
import { TemplateDirectory } from './directory.js';
import { jobFailed, publishedOther, PublishConfirmations } from './publications.js';
import { DEFAULT_PUBLISH_TIMEOUT_MS } from './confirm-round.js';
import { ORGANIZATION_PATH, type WireOrganization } from '../../genesys/conventions.js';
import {
  DIGEST_VIEW,
  type WireTemplateDigest,
  type AnalyticsQuery,
  type AnalyticsResult,
  type InvocationRequest,
  type InvocationResult,
  type FilterCreate,
  type FilterUpdate,
  type TemplateCreate,
  type TemplateUpdate,
  type TrafficPut,
  type VersionContent,
  type VersionCreate,
  type VersionPatch,
  type WireFilter,
  type WireJob,
  type WireTemplate,
  type WireTraffic,
  type WireVersion,
} from './wire.js';

export type { ResponseInfo, RetryInfo } from '../../genesys/rest.js';

/** Whether a live object holds what was sent: one check per kind with a mutable body. */
export interface GatewayWriteChecks {
  template: Landed<TemplateCreate, WireTemplate>;
  filter: Landed<FilterCreate, WireFilter>;
  traffic: Landed<Omit<TrafficPut, 'version'>, WireTraffic>;
  version: Landed<VersionContent, WireVersion>;
}

export interface ClientOptions extends ConnectionOptions {
  /** Decides "did my write land?" on a reconciliation read (kinds/ supplies it). */
  landed: GatewayWriteChecks;
  /** How long publishVersion waits for its job by default (default 120 s). */
  publishTimeoutMs?: number;
  /** The connection to call through, shared with another surface's client (one token), and closed by whoever made it; default its own. */
  connection?: RestClient;
}

export function createGatewayClient(opts: ClientOptions): GatewayApi {
  return new GatewayClient(opts);
}

class GatewayClient implements GatewayApi {
  readonly targetLabel: string;
  private readonly r: RestClient;
  /** Whether `r` is this client's own, to close with it (not a connection it was given). */
  private readonly ownsConnection: boolean;
  private readonly t: RestClient['t'];
  private readonly landed: GatewayWriteChecks;
  private readonly publishTimeoutMs: number;
  /** Where each template sits in the name-sorted listing: lets one page confirm many publications. */
  private readonly directory = new TemplateDirectory();
  private readonly publications: PublishConfirmations;

  constructor(opts: ClientOptions) {
    this.r = opts.connection ?? new RestClient(opts);
    this.ownsConnection = opts.connection === undefined;
    this.t = this.r.t;
    this.targetLabel = opts.targetLabel;
    this.landed = opts.landed;
    this.publishTimeoutMs = opts.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
    this.publications = new PublishConfirmations(
      {
        listPage: async (pageNumber, pageSize) => {
          const page = await this.confirmationPage(pageNumber, pageSize);
          for (const t of page.entities ?? []) this.directory.set(t.id, t.name);
          return page;
        },
        pageSize: () => this.r.pageSizeOf(paths.templates(), this.confirmationParams()),
        malformed: (t) => {
          const problem = (this.confirmByDigest ? ANSWER_SHAPES.templateDigest : ANSWER_SHAPES.template).problem(t);
          return problem === undefined ? undefined : shapeError(paths.templates(), problem, 200, undefined);
        },
        getJob: (templateId, label, jobId) => this.r.getIfExists<WireJob>(paths.job(templateId, label, jobId)),
        findVersion: (templateId, label) => this.findVersion(templateId, label),
        scrub: (text) => this.t.scrub(text),
      },
      this.directory,
      Date.now,
      this.r.stopped,
    );
  }

  get stats() {
    return this.r.stats;
  }

  /**
   * Whether publications are confirmed from the digest view (each version's state and content
   * hash, no prompt text: a page of 100 templates with many long versions stays small), until the
   * server refuses the view (400: it does not know it), as a plan's read falls back.
   */
  private confirmByDigest = true;

  private confirmationParams(): Record<string, string> {
    return this.confirmByDigest ? { expand: 'versions', view: DIGEST_VIEW } : { expand: 'versions' };
  }

  /**
   * The templates page `pageNumber` of a `pageSize` listing holds (what a confirmation round
   * planned), read at the size the listing is read at now: smaller once one of its pages was too
   * large to take in, when the pages covering the same places are read and put together. A page
   * too large halves the size (down to 1) and is read again.
   */
  private async confirmationPage(pageNumber: number, pageSize: number): Promise<EntityListing<WireTemplate>> {
    for (;;) {
      const params = this.confirmationParams();
      const size = this.r.pageSizeOf(paths.templates(), params);
      const from = Math.floor(((pageNumber - 1) * pageSize) / size) + 1;
      const to = Math.max(from, Math.ceil((pageNumber * pageSize) / size));
      try {
        const pages = await Promise.all(Array.from({ length: to - from + 1 }, (_, i) => this.r.page<WireTemplate>(paths.templates(), params, from + i, undefined, size)));
        return { ...pages[0]!, entities: pages.flatMap((p) => p.entities ?? []) };
      } catch (err) {
        if (this.confirmByDigest && err instanceof ApiError && err.status === 400) this.confirmByDigest = false;
        else if (isTooLarge(err) && size > 1) this.r.smallerPages(paths.templates(), params, Math.floor(size / 2));
        else throw err;
      }
    }
  }

  rateBudget() {
    return this.r.rateBudget();
  }

  async organization(): Promise<WireOrganization | null> {
    return (await this.r.getIfExists<WireOrganization>(ORGANIZATION_PATH)) ?? null;
  }

  close(): Promise<void> {
    this.publications.cancel(new Error('the gateway client was closed while publications were pending'));
    return this.ownsConnection ? this.r.close() : Promise.resolve();
  }

  // ---- templates -------------------------------------------------------------------------

  async listTemplates(opts: { expand?: Expand[]; name?: string } = {}): Promise<WireTemplate[]> {
    const all = await this.r.listAll<WireTemplate>(paths.templates(), { expand: expandParam(opts.expand), name: opts.name }, ANSWER_SHAPES.template);
    if (opts.name === undefined) this.directory.replaceAll(all);
    else for (const t of all) this.directory.set(t.id, t.name);
    return all;
  }

  async listTemplateDigests(): Promise<WireTemplateDigest[]> {
    const all = await this.r.listAll<WireTemplateDigest>(paths.templates(), { expand: 'versions,traffic', view: DIGEST_VIEW }, ANSWER_SHAPES.templateDigest).catch((err: unknown) => {
      // A server that does not know the view: publications are confirmed from the whole listing, without asking it again.
      if (err instanceof ApiError && err.status === 400) this.confirmByDigest = false;
      throw err;
    });
    this.directory.replaceAll(all);
    return all;
  }

  async getTemplate(id: string, opts: { expand?: Expand[] } = {}): Promise<WireTemplate> {
    const read = this.known(await this.r.get<WireTemplate>(paths.template(id), { expand: expandParam(opts.expand) }, ANSWER_SHAPES.template));
    // DESIGN §3 offers `expand` on the listing alone: a server that ignores it on one template's
    // read answers without its versions or split, which a plan would take for none at all (every
    // version planned as a create that then meets 409 on every run). Asked of the listing by name.
    const ignored = (opts.expand ?? []).some((e) => (e === 'versions' ? !Array.isArray(read.versions) : read.traffic === undefined));
    if (!ignored) return read;
    const listed = (await this.listTemplates({ name: read.name, expand: opts.expand })).find((t) => t.id === id);
    if (listed) return listed;
    // Deleted (or renamed) between the two reads: as a read of it now would say.
    throw new ApiError(`GET ${paths.template(id)}: the prompt template was deleted or renamed while it was read`, 404, 'not.found', undefined, 'GET', paths.template(id));
  }

  async createTemplate(body: TemplateCreate): Promise<WireTemplate> {
    const holds = (live: WireTemplate): boolean => this.landed.template(body, live);
    const created = await this.r.createNamed<WireTemplate>(
      paths.templates(),
      body,
      'prompt template',
      async () => (await this.listTemplates({ name: body.name })).find((t) => t.name === body.name),
      { shape: ANSWER_SHAPES.template, holds },
    );
    return this.known(created);
  }

  async updateTemplate(id: string, body: TemplateUpdate): Promise<WireTemplate> {
    const path = paths.template(id);
    const holds = (live: WireTemplate): boolean => this.landed.template(body, live);
    const where = { method: 'PUT' as const, path, what: 'prompt template', shape: ANSWER_SHAPES.template };
    const answer = await this.r.put(path, body, `prompt template ${body.name} (${id})`, () => this.getTemplate(id), holds);
    // An answer of another shape (no version to record, `{}`) is read back, as a version's is.
    const updated = await heldAsSent(answer, holds, (problem) => readSettling(() => this.getTemplate(id), where, problem, `prompt template ${body.name}`), where);
    return this.known(updated);
  }

  async deleteTemplate(id: string): Promise<void> {
    await this.r.delete(paths.template(id));
    this.directory.remove(id);
  }

  private known(t: WireTemplate): WireTemplate {
    this.directory.set(t.id, t.name);
    return t;
  }

  // ---- versions --------------------------------------------------------------------------

  listVersions(templateId: string): Promise<WireVersion[]> {
    return this.r.listAll<WireVersion>(paths.versions(templateId), {}, ANSWER_SHAPES.version);
  }

  getVersion(templateId: string, label: string): Promise<WireVersion> {
    return this.r.get<WireVersion>(paths.version(templateId, label), {}, ANSWER_SHAPES.version);
  }

  async createVersion(templateId: string, body: VersionCreate): Promise<WireVersion> {
    const path = paths.versions(templateId);
    const holds = (live: WireVersion): boolean => this.landed.version(body, live);
    // Reconcile by label: the same content → it is ours; different content → a real conflict.
    const reconcile = async (): Promise<Found<WireVersion> | undefined> => {
      const live = await this.findVersion(templateId, body.version);
      if (!live) return undefined;
      if (holds(live)) return { value: live };
      throw conflict(`version ${body.version} of prompt template ${templateId} already exists with different content`, 'version.exists', 'POST', path);
    };
    let where: WriteAnswered = { method: 'POST', path, what: 'version', shape: ANSWER_SHAPES.version };
    const answer = await this.t.call<WireVersion | undefined>({
      method: 'POST',
      path,
      json: body,
      parse: (res) => ((where = { ...where, status: res.status, correlationId: res.correlationId }), json<WireVersion | undefined>(res)),
      reconcile,
      afterUncertain: async (err) => (err.code === 'version.exists' ? reconcile() : undefined),
    });
    // An answer that cannot be read: the version of that label, if any, says whether it landed.
    const named = `version ${body.version} of prompt template ${templateId}`;
    const readBack = async (problem: string): Promise<WireVersion> =>
      (await readSettling(() => this.findVersion(templateId, body.version), where, problem, named)) ?? Promise.reject(notCreated(where, problem, named));
    return heldAsSent(answer, holds, readBack, where);
  }

  async patchVersion(templateId: string, label: string, body: VersionPatch): Promise<WireVersion> {
    const path = paths.version(templateId, label);
    const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as VersionPatch;
    // Applied when patching the live content with our fields changes nothing (a field sent as null is gone).
    const holds = (live: WireVersion): boolean => this.landed.version(patched<VersionContent>(live, patch), live);
    const reconcile = async (): Promise<Found<WireVersion> | undefined> => {
      const live = await this.getVersion(templateId, label);
      return holds(live) ? { value: live } : undefined;
    };
    let where: WriteAnswered = { method: 'PATCH', path, what: 'version', shape: ANSWER_SHAPES.version };
    const answer = await this.t.call<WireVersion | undefined>({
      method: 'PATCH',
      path,
      json: patch,
      parse: (res) => ((where = { ...where, status: res.status, correlationId: res.correlationId }), json<WireVersion | undefined>(res)),
      reconcile,
    });
    const readBack = (problem: string): Promise<WireVersion> => readSettling(() => this.getVersion(templateId, label), where, problem, `version ${label} of prompt template ${templateId}`);
    return heldAsSent(answer, holds, readBack, where);
  }

  deleteVersion(templateId: string, label: string): Promise<void> {
    return this.r.delete(paths.version(templateId, label));
  }

  async publishVersion(templateId: string, label: string, opts: PublishOptions = {}): Promise<WireJob> {
    return (await this.publish(templateId, label, { ...opts, batched: false })).published;
  }

  startPublish(templateId: string, label: string, opts: PublishOptions = {}): Promise<{ published: Promise<WireJob> }> {
    return this.publish(templateId, label, { ...opts, batched: true });
  }

  flushPublications(): void {
    this.publications.flush();
  }

  /** POSTs the job; a Running one is confirmed by publications.ts (with others when batched). */
  private async publish(
    templateId: string,
    label: string,
    opts: PublishOptions & { batched: boolean },
  ): Promise<{ published: Promise<WireJob> }> {
    const deadline = Date.now() + (opts.timeoutMs ?? this.publishTimeoutMs);
    const done: WireJob = { id: '', status: 'Succeeded', errors: [], selfUri: paths.version(templateId, label) };
    // A publish is settled by the version's state (and content, when we said which); re-posting
    // the job for a Published version is harmless.
    const ifPublished = async (): Promise<Found<WireJob> | undefined> => {
      const v = await this.getVersion(templateId, label);
      return v.state === 'Published' && (opts.contentHash === undefined || v.contentHash === opts.contentHash) ? { value: done } : undefined;
    };

    const job = await this.t.call<WireJob>({
      method: 'POST',
      path: paths.jobs(templateId, label),
      json: { state: 'Published' },
      parse: json<WireJob>,
      reconcile: ifPublished,
      afterUncertain: async (err) => (err.status === 409 ? ifPublished() : undefined),
    });
    const published =
      job.status === 'Running'
        ? this.publications.wait(templateId, label, job, { deadline, batched: opts.batched, ...(opts.contentHash ? { contentHash: opts.contentHash } : {}) })
        : job.status === 'Failed'
          ? Promise.reject(jobFailed(templateId, label, job, (text) => this.t.scrub(text)))
          : this.publishedAsMeant(templateId, label, job, opts.contentHash);
    // The caller awaits it later; until then a failure must not count as unhandled.
    published.catch(() => undefined);
    return { published };
  }

  /**
   * A job that answered Succeeded at once: the version says with what content (only when the
   * caller said which it meant; a job id of '' came from reconcile, which checked it already).
   */
  private async publishedAsMeant(templateId: string, label: string, job: WireJob, contentHash: string | undefined): Promise<WireJob> {
    if (!contentHash || job.id === '') return job;
    const other = publishedOther({ templateId, label, contentHash }, await this.findVersion(templateId, label));
    if (other) throw other;
    return job;
  }

  // ---- traffic ---------------------------------------------------------------------------

  getTraffic(templateId: string): Promise<WireTraffic | null> {
    return this.t.call<WireTraffic | null>({
      method: 'GET',
      path: paths.traffic(templateId),
      // 404 not.found: no split (the ErrorBody cannot tell it from a missing template; callers know the template exists).
      accept: (res) => res.status === 404 && errorCode(res) === 'not.found',
      parse: (res) => (res.status === 404 ? null : (shaped(res, paths.traffic(templateId), ANSWER_SHAPES.traffic, res.body) as WireTraffic)),
    });
  }

  async putTraffic(templateId: string, body: TrafficPut): Promise<WireTraffic> {
    const path = paths.traffic(templateId);
    const named = `A/B split of prompt template ${templateId}`;
    const holds = (live: WireTraffic): boolean => this.landed.traffic(body, live);
    const answer = await this.r.put(path, body, `the traffic split of prompt template ${templateId}`, () => this.getTraffic(templateId), holds);
    // Its answer's version is what the audit records: one of another shape (`{}`) is read back; no split there, none was made.
    const where: WriteAnswered = { method: 'PUT', path, what: 'A/B split', shape: ANSWER_SHAPES.traffic };
    const readBack = async (problem: string): Promise<WireTraffic> =>
      (await readSettling(() => this.getTraffic(templateId), where, problem, named)) ?? Promise.reject(notCreated(where, problem, named));
    return heldAsSent(answer, holds, readBack, where);
  }

  // ---- safety filters --------------------------------------------------------------------

  async listFilters(): Promise<WireFilter[]> {
    return (await this.r.listAll<WireFilter>(paths.filters(), {}, ANSWER_SHAPES.filter)).map(withEnabled);
  }

  async getFilter(id: string): Promise<WireFilter> {
    return withEnabled(await this.r.get<WireFilter>(paths.filter(id), {}, ANSWER_SHAPES.filter));
  }

  // A filter's write answers are checked to hold what was sent, as a version's are: a server that
  // drops `enabled: false` (read as enabled) must not have the write recorded as done.
  async createFilter(body: FilterCreate): Promise<WireFilter> {
    const holds = (live: WireFilter): boolean => this.landed.filter(body, live);
    return this.r.createNamed<WireFilter>(
      paths.filters(),
      body,
      'safety filter',
      async () => (await this.listFilters()).find((f) => f.name === body.name),
      { shape: FILTER_ANSWER, holds },
    );
  }

  async updateFilter(id: string, body: FilterUpdate): Promise<WireFilter> {
    const answer = await this.r.put(paths.filter(id), body, `safety filter ${body.name} (${id})`, () => this.getFilter(id), (live) => this.landed.filter(body, live));
    const where = { method: 'PUT' as const, path: paths.filter(id), what: 'safety filter', shape: FILTER_ANSWER };
    return heldAsSent(answer, (live) => this.landed.filter(body, live), (problem) => readSettling(() => this.getFilter(id), where, problem, `safety filter ${body.name}`), where);
  }

  deleteFilter(id: string): Promise<void> {
    return this.r.delete(paths.filter(id));
  }

  // ---- runtime: invocations and analytics (runtime.ts) ------------------------------------

  invoke(body: InvocationRequest, opts: InvokeOptions = {}): Promise<InvocationResult> {
    return runtime.invoke(this.t, body, opts);
  }

  invokeStream(body: InvocationRequest, opts: InvokeStreamOptions = {}): AsyncGenerator<InvocationStreamEvent> {
    return runtime.invokeStream(this.t, body, opts);
  }

  queryAnalytics(body: AnalyticsQuery): Promise<AnalyticsResult> {
    return runtime.queryAnalytics(this.t, body);
  }

  private findVersion(templateId: string, label: string): Promise<WireVersion | undefined> {
    return this.r.getIfExists<WireVersion>(paths.version(templateId, label), ANSWER_SHAPES.version);
  }
}

function expandParam(expand: Expand[] | undefined): string | undefined {
  return expand && expand.length > 0 ? expand.join(',') : undefined;
}

/** A filter read without `enabled` (or with null) is enabled: the contract's default for a create, and what every reader then sees alike. */
function withEnabled(f: WireFilter): WireFilter {
  return typeof f.enabled === 'boolean' ? f : { ...f, enabled: true };
}

/**
 * A filter write's answer as it can say whether the filter holds what was sent: a filter's shape,
 * with `enabled` (an answer that leaves it out says nothing of it, and is read back: a read
 * without it is enabled, the contract's default, which would be taken for a dropped `false`).
 */
const FILTER_ANSWER: AnswerShape = {
  what: ANSWER_SHAPES.filter.what,
  problem: (f) => ANSWER_SHAPES.filter.problem(f) ?? (typeof (f as { enabled?: unknown }).enabled === 'boolean' ? undefined : 'safety filter without enabled'),
};
