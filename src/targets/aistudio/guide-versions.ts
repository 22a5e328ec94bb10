// Guide versions over HTTP: creating, reading, editing and publishing them (AI Studio). With no
// listing of versions (A4), a create of unknown outcome is found as the guide's latest saved
// version holding what was sent; a publish is settled by the version's state (A6, A7).
import { ANSWER_SHAPES } from '../answer-shapes.js';
import { ApiError } from '../../genesys/errors.js';
import { visibleName } from '../../util/escapes.js';
import type { Found } from '../../genesys/exchange.js';
import { conflict, heldAsSent, json, patched, readSettling, type AnswerShape, type Landed, type RestClient, type WriteAnswered } from '../../genesys/rest.js';
import { isLatestNotProductionReady, jobOutcome } from './assumptions.js';
import { jobFailed } from '../../genesys/failures.js';
import { asJob, poll, pollJobOrObject, seconds } from './jobs.js';
import { paths } from './paths.js';
import {
  LATEST_NOT_PRODUCTION_READY,
  LATEST_NOT_PRODUCTION_READY_CODE,
  type GuidePublishState,
  type GuideVersionContent,
  type GuideVersionPatch,
  type WireGuide,
  type WireGuideVersion,
  type WireGuideVersionPublishJob,
} from './wire.js';

export class GuideVersions {
  constructor(
    private readonly r: RestClient,
    /** Decides "does this version hold what was sent?" on a reconciliation read or a write's answer. */
    private readonly landed: Landed<GuideVersionContent, WireGuideVersion>,
    /** How long publishGuideVersion waits by default. */
    private readonly jobTimeoutMs: number,
  ) {}

  async createGuideVersion(guideId: string, body: GuideVersionContent): Promise<WireGuideVersion> {
    const path = paths.guideVersions(guideId);
    // A4: no listing of versions: ours, if it landed, is the guide's latest saved version, not yet published.
    const latest = async (): Promise<WireGuideVersion | undefined> => {
      const guide = await this.r.getIfExists<WireGuide>(paths.guide(guideId), ANSWER_SHAPES.guide);
      const label = guide?.latestSavedVersion?.version;
      return label ? this.versionIfExists(guideId, label) : undefined;
    };
    const holds = (live: WireGuideVersion): boolean => this.landed(body, live);
    // Ours if the latest is an unpublished version holding what we sent; someone else's unpublished
    // version is the refusal a second Draft gets (A3), which the lost answer would have been.
    const reconcile = async (): Promise<Found<WireGuideVersion> | undefined> => {
      const live = await latest();
      if (!live || live.state === 'ProductionReady') return undefined;
      if (holds(live)) return { value: live };
      throw conflict(`${LATEST_NOT_PRODUCTION_READY} (version ${live.version} is ${live.state})`, LATEST_NOT_PRODUCTION_READY_CODE, 'POST', path);
    };
    let where: WriteAnswered = { method: 'POST', path, what: 'guide version', shape: VERSION_ANSWER };
    try {
      const answer = await this.r.t.call<WireGuideVersion | undefined>({
        method: 'POST',
        path,
        json: body,
        parse: (res) => ((where = { ...where, status: res.status, correlationId: res.correlationId }), json<WireGuideVersion | undefined>(res)),
        reconcile,
        // A3: refused as a second draft after a lost answer: the draft may be our first attempt's.
        // (Someone else's Draft: the server's own refusal stands.)
        // A read that fails settles nothing: the refusal stands with its outcome unknown (readBeforeResend).
        afterUncertain: async (err) => (isLatestNotProductionReady(err) ? reconcile() : undefined),
      });
      const readBack = async (problem: string): Promise<WireGuideVersion> => {
        const live = await readSettling(latest, where, problem, `latest version of guide ${guideId}`);
        if (!live) throw new ApiError(`POST ${path} succeeded, but the guide has no version to read back`, 0, 'write.not.held', where.correlationId, 'POST', path);
        return live;
      };
      return await heldAsSent(answer, holds, readBack, where);
    } catch (err) {
      if (err instanceof ApiError && isLatestNotProductionReady(err)) {
        // Reported as A3's 409 whatever the platform answered; when the draft may be our own
        // earlier attempt's (its outcome unknown), without advice, and still unknown.
        const refused = new ApiError(
          err.outcomeUnknown ? err.message : `${err.message}; edit the guide's latest version instead of creating one`,
          409,
          LATEST_NOT_PRODUCTION_READY_CODE,
          err.correlationId,
          'POST',
          path,
        );
        if (err.body) refused.body = err.body;
        if (err.outcomeUnknown) refused.outcomeUnknown = true;
        if (err.notResent) refused.notResent = true;
        throw refused;
      }
      throw err;
    }
  }

  async getGuideVersion(guideId: string, version: string): Promise<WireGuideVersion> {
    return withInstruction(await this.r.get<WireGuideVersion>(paths.guideVersion(guideId, version), {}, ANSWER_SHAPES.guideVersion));
  }

  private async versionIfExists(guideId: string, version: string): Promise<WireGuideVersion | undefined> {
    const v = await this.r.getIfExists<WireGuideVersion>(paths.guideVersion(guideId, version), ANSWER_SHAPES.guideVersion);
    return v && withInstruction(v);
  }

  async patchGuideVersion(guideId: string, version: string, body: GuideVersionPatch): Promise<WireGuideVersion> {
    const path = paths.guideVersion(guideId, version);
    const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as GuideVersionPatch;
    // Applied when the live content with our fields laid over it is the live content (a field sent as null is gone).
    const holds = (live: WireGuideVersion): boolean => this.landed(patched(versionContent(live), patch), live);
    const reconcile = async (): Promise<Found<WireGuideVersion> | undefined> => {
      const live = await this.getGuideVersion(guideId, version);
      return holds(live) ? { value: live } : undefined;
    };
    let where: WriteAnswered = { method: 'PATCH', path, what: 'guide version', shape: VERSION_ANSWER };
    const answer = await this.r.t.call<WireGuideVersion | undefined>({
      method: 'PATCH',
      path,
      json: patch,
      parse: (res) => ((where = { ...where, status: res.status, correlationId: res.correlationId }), json<WireGuideVersion | undefined>(res)),
      reconcile,
    });
    const readBack = (problem: string): Promise<WireGuideVersion> => readSettling(() => this.getGuideVersion(guideId, version), where, problem, `version ${version} of guide ${guideId}`);
    return heldAsSent(answer, holds, readBack, where);
  }

  async publishGuideVersion(
    guideId: string,
    version: string,
    state: GuidePublishState,
    opts: { timeoutMs?: number } = {},
  ): Promise<WireGuideVersion> {
    const timeoutMs = opts.timeoutMs ?? this.jobTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const path = paths.guideVersionJobs(guideId, version);
    const what = `publishing version ${version} of guide ${guideId} to ${state}`;
    type Started = { job?: WireGuideVersionPublishJob; reached?: WireGuideVersion };
    // A publish is settled by the version's state (A6, A7).
    const reached = async (): Promise<Found<Started> | undefined> => {
      const v = await this.versionIfExists(guideId, version);
      return v?.state === state ? { value: { reached: v } } : undefined;
    };

    let started: Started;
    try {
      started = await this.r.t.call<Started>({
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
    const versionPath = paths.guideVersion(guideId, version);
    const waited = (): string => seconds(timeoutMs);
    let seen: string | undefined;
    if (job) {
      let last = job;
      if (!jobOutcome(job.status)) {
        const jobPath = paths.guideVersionJob(guideId, version, job.id);
        // A6: the job's status may lag its version's, or never move: the version is read in turn,
        // and the version in the state asked for ends the wait.
        const polled = await pollJobOrObject<WireGuideVersionPublishJob, WireGuideVersion>({
          what,
          deadline,
          timeoutMs,
          job,
          jobPath,
          readJob: () => this.r.getIfExists<WireGuideVersionPublishJob>(jobPath), // gone: the version's state decides (A6)
          readObject: async () => {
            const v = await this.versionIfExists(guideId, version);
            return v?.state === state ? { done: v } : { still: `the version still ${v?.state ?? 'not found'}` };
          },
          unread: 'the version still unread',
          // After an interrupt it is looked at for a moment more, no longer (poll's `stopped`, DESIGN §5).
          stopped: this.r.stopped,
        });
        if (polled !== 'gone' && 'done' in polled) return polled.done;
        if (polled !== 'gone') last = polled.job;
      }
      if (jobOutcome(last.status) === 'Failed') throw jobFailed(what, last, 'POST', path, (text) => this.r.t.scrub(text));
    }
    // Succeeded, vanished, or never given (a 202 with an empty body): wait for the version to show it.
    try {
      return await poll(what, deadline, 'GET', versionPath, true, async () => {
        const v = await this.getGuideVersion(guideId, version);
        seen = v.state;
        return v.state === state ? v : undefined;
      }, this.r.stopped);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'job.timeout') {
        const why = job ? `its job ${visibleName(job.id)} finished` : 'the server started it without returning a job';
        throw new ApiError(`${what}: ${why}, but the version is still ${seen ?? 'unread'} after ${waited()}`, 0, 'job.timeout', undefined, 'GET', versionPath);
      }
      throw err;
    }
  }
}

function versionContent(v: WireGuideVersion): GuideVersionContent {
  const out: GuideVersionContent = { instruction: v.instruction };
  if (v.variables !== undefined) out.variables = v.variables;
  if (v.resources !== undefined) out.resources = v.resources;
  if (v.knowledgeSettings !== undefined) out.knowledgeSettings = v.knowledgeSettings;
  return out;
}

/** The SDK's GuideVersion has every field optional: one without an instruction is read as an empty one. */
function withInstruction(v: WireGuideVersion): WireGuideVersion {
  return typeof v.instruction === 'string' ? v : { ...v, instruction: '' };
}

/**
 * A write's answer that can say whether the version holds what was sent, else it is read back: a
 * guide version's shape with its instruction (every GuideVersion field is optional in the SDK, and
 * an answer without the instruction says nothing of it).
 */
const VERSION_ANSWER: AnswerShape = {
  what: ANSWER_SHAPES.guideVersion.what,
  problem: (v) => ANSWER_SHAPES.guideVersion.problem(v) ?? (typeof (v as { instruction?: unknown }).instruction === 'string' ? undefined : 'guide version without instruction'),
};
