// The AI Studio emulator's guide jobs (DESIGN §3b): DELETE /guides/{id}/jobs and GET its job,
// POST /guides/{id}/versions/{version}/jobs and GET its job; each InProgress until its time is due,
// then a publish moves its version to TestReady or ProductionReady (or fails), and a delete removes
// the guide with its versions. The choices where the real platform is undocumented are E6, E7 and
// E14 of src/targets/aistudio/assumptions.ts.
import { randomUUID } from 'node:crypto';
import { paths } from '../targets/aistudio/paths.js';
import {
  INVALID_DATA_ACTIONS,
  type GuidePublishState,
  type GuideVersionPublishJobRequest,
  type WireGuideJob,
  type WireGuideVersionPublishJob,
} from '../targets/aistudio/wire.js';
import { actionCalls } from '../util/guide-action-calls.js';
import { own, type GuideJobRec, type GuideRec, type GuideVersionRec } from './aistudio-records.js';
import { renderGuideVersion, requireGuide, requireVersion, type GuideRuntime } from './aistudio-guides.js';
import { validateAiStudio } from './aistudio-validate.js';
import { param, type Ctx, type Reply } from './context.js';
import { conflict, invalidValue, notFound } from './errors.js';
import type { State } from './state.js';

// ---- rendering ---------------------------------------------------------------------------

function renderPublishJob(rt: GuideRuntime, state: State, job: GuideJobRec): WireGuideVersionPublishJob {
  const out: WireGuideVersionPublishJob = {
    id: job.id,
    // A job whose status never catches up with its version (A6): what the client must not wait on alone.
    status: rt.jobsNeverFinish ? 'InProgress' : job.status,
    errors: job.errors,
    guide: { id: job.guideId, selfUri: paths.guide(job.guideId) },
    selfUri: paths.guideVersionJob(job.guideId, job.version ?? '', job.id),
  };
  const v = own(own(state.guideVersions, job.guideId), job.version ?? '');
  if (v) out.guideVersion = renderGuideVersion(v);
  return out;
}

function renderGuideJob(rt: GuideRuntime, job: GuideJobRec): WireGuideJob {
  return {
    id: job.id,
    status: rt.jobsNeverFinish ? 'InProgress' : job.status,
    errors: job.errors,
    guide: { id: job.guideId, selfUri: paths.guide(job.guideId) },
    selfUri: paths.guideJob(job.guideId, job.id),
  };
}

// ---- deleting a guide ---------------------------------------------------------------------

/** DELETE /guides/{id}/jobs: 202 with a delete job; while one runs, the same job again (E7). */
export function deleteGuide(rt: GuideRuntime) {
  return (ctx: Ctx): Reply => {
    const g = requireGuide(ctx);
    const running = Object.values(ctx.reading.guideJobs).find((j) => j.kind === 'delete' && j.guideId === g.id && j.status === 'InProgress');
    if (running) return { status: 202, body: renderGuideJob(rt, running), changed: false };
    const job = startJob(ctx, { kind: 'delete', guideId: g.id });
    return { status: 202, body: renderGuideJob(rt, job), changed: true, afterCommit: () => rt.schedule(job) };
  };
}

/** A new InProgress job of `what`, kept in the state: it finishes publishDelayMs from now (E6, E7). */
function startJob(ctx: Ctx, what: Pick<GuideJobRec, 'kind' | 'guideId' | 'version' | 'target'>): GuideJobRec {
  const job: GuideJobRec = {
    id: randomUUID(),
    ...what,
    status: 'InProgress',
    errors: [],
    dateCreated: ctx.now,
    finishAt: Date.parse(ctx.now) + ctx.publishDelayMs,
    ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}),
  };
  ctx.state.guideJobs[job.id] = job;
  return job;
}

/** GET /guides/{id}/jobs/{jobId}: readable after the guide is gone; a due job completes here. */
export function getGuideJob(rt: GuideRuntime) {
  return (ctx: Ctx): Reply => {
    const job = requireJob(ctx, 'delete');
    const changed = completeIfDue(ctx, job);
    return { status: 200, body: renderGuideJob(rt, own(ctx.state.guideJobs, job.id) ?? job), changed };
  };
}

// ---- publishing a version ------------------------------------------------------------------

/** POST .../versions/{version}/jobs {guideVersion: {state}}: 202 with an InProgress job (E6). */
export function startPublish(rt: GuideRuntime) {
  return (ctx: Ctx): Reply => {
    validateAiStudio('GuideVersionPublishJobRequest', ctx.body);
    const target = (ctx.body as GuideVersionPublishJobRequest).guideVersion.state;
    const { g, v } = requireVersion(ctx);
    refuseDemotion(v, target, g);
    refuseUndeclaredActions(v);
    const job = startJob(ctx, { kind: 'publish', guideId: g.id, version: v.version, target });
    const reply: Reply = { status: 202, changed: true, afterCommit: () => rt.schedule(job) };
    if (!rt.emptyPublishBody) reply.body = renderPublishJob(rt, ctx.state, job);
    return reply;
  };
}

/** GET .../versions/{version}/jobs/{jobId}; a due job completes here, so a read never sees it stale. */
export function getPublishJob(rt: GuideRuntime) {
  return (ctx: Ctx): Reply => {
    const job = requireJob(ctx, 'publish');
    if (job.version !== param(ctx, 'version')) throw notFound(`job ${param(ctx, 'jobId')}`);
    const changed = completeIfDue(ctx, job);
    return { status: 200, body: renderPublishJob(rt, ctx.state, own(ctx.state.guideJobs, job.id) ?? job), changed };
  };
}

// ---- jobs --------------------------------------------------------------------------------

/**
 * Finishes an InProgress guide job: a publish moves its version to the target state (or fails if
 * the version is gone, or is ProductionReady and the target TestReady); a delete removes the
 * guide, its versions and their publish jobs. Returns whether anything changed.
 */
export function completeGuideJob(state: State, jobId: string, now: string): boolean {
  const job = own(state.guideJobs, jobId);
  if (!job || job.status !== 'InProgress') return false;
  if (job.kind === 'delete') {
    delete state.guides[job.guideId];
    delete state.guideVersions[job.guideId];
    for (const [id, j] of Object.entries(state.guideJobs)) if (j.kind === 'publish' && j.guideId === job.guideId) delete state.guideJobs[id];
    job.status = 'Succeeded';
    return true;
  }
  const g = own(state.guides, job.guideId);
  const v = own(own(state.guideVersions, job.guideId), job.version ?? '');
  const target = job.target ?? 'ProductionReady';
  if (!g || !v) return fail(job, 404, 'not.found', `version ${job.version ?? ''} of guide ${job.guideId} no longer exists`);
  if (v.state === 'ProductionReady' && target === 'TestReady') {
    return fail(job, 409, 'invalid.state', `version ${v.version} is ProductionReady and cannot go back to TestReady`);
  }
  if (v.state !== target) {
    v.state = target;
    v.dateModified = now;
    g.dateModified = now;
  }
  job.status = 'Succeeded';
  return true;
}

function fail(job: GuideJobRec, status: number, code: string, message: string): true {
  job.status = 'Failed';
  // The request that started the job is the one its errors belong to (a job stored before that was kept names itself).
  job.errors = [{ message, code, status, contextId: job.correlationId ?? job.id, details: [], errors: [] }];
  return true;
}

function completeIfDue(ctx: Ctx, job: GuideJobRec): boolean {
  return job.status === 'InProgress' && job.finishAt <= Date.parse(ctx.now) && completeGuideJob(ctx.state, job.id, ctx.now);
}

// ---- helpers -----------------------------------------------------------------------------

function requireJob(ctx: Ctx, kind: GuideJobRec['kind']): GuideJobRec {
  const id = param(ctx, 'jobId');
  const job = own(ctx.state.guideJobs, id);
  if (!job || job.kind !== kind || job.guideId !== param(ctx, 'guideId')) throw notFound(`job ${id}`);
  return job;
}

function refuseDemotion(v: GuideVersionRec, target: GuidePublishState, g: GuideRec): void {
  if (v.state === 'ProductionReady' && target === 'TestReady') {
    throw conflict('invalid.state', `version ${v.version} of guide ${g.name} is ProductionReady and cannot go back to TestReady`, g.id, v.version);
  }
}

/** E14: a version whose instruction calls a data action it does not declare is not published. */
function refuseUndeclaredActions(v: GuideVersionRec): void {
  const declared = new Set((v.resources?.dataActions ?? []).map((d) => d.label));
  const missing = [...new Set(actionCalls(v.instruction).map((c) => c.label))].filter((label) => !declared.has(label));
  if (missing.length > 0) throw invalidValue('instruction', `${INVALID_DATA_ACTIONS}: ${missing.map((l) => JSON.stringify(l)).join(', ')}`);
}
