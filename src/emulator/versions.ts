// /prompttemplates/{id}/versions[/{version}[/jobs[/{jobId}]]]: Draft versions, immutability once
// Published, and publish jobs that finish asynchronously.
import { randomUUID } from 'node:crypto';
import { compareVersionLabels } from '../util/semver.js';
import { paths } from '../targets/llmgateway/paths.js';
import { defaultProblems } from '../targets/llmgateway/variables.js';
import { versionContentHash, type VersionContent, type VersionCreate, type WireJob, type WireVersion } from '../targets/llmgateway/wire.js';
import { own, param, requireTemplate, stamps, type Ctx, type Reply } from './context.js';
import { ApiFailure, conflict, invalidValue, notFound } from './errors.js';
import { listReply, parsePaging } from './listing.js';
import { validateBody } from './schemas.js';
import type { JobRec, State, VersionRec } from './state.js';

const CONTENT_KEYS = [
  'systemInstruction',
  'userTemplate',
  'variables',
  'fewShotExamples',
  'model',
  'temperature',
  'maxTokens',
  'safetyGuardrails',
] as const satisfies ReadonlyArray<keyof VersionContent>;

export function renderVersion(v: VersionRec): WireVersion {
  return { ...v, selfUri: paths.version(v.templateId, v.version) };
}

/** A template's versions in semver order (what "sorted by name" means for labels). */
export function sortedVersions(state: State, templateId: string): VersionRec[] {
  return Object.values(state.versions[templateId] ?? {}).sort((a, b) => compareVersionLabels(a.version, b.version));
}

export function listVersions(ctx: Ctx): Reply {
  const paging = parsePaging(ctx.query);
  const t = requireTemplate(ctx);
  return listReply(ctx, paging, sortedVersions(ctx.state, t.id), renderVersion);
}

export function getVersion(ctx: Ctx): Reply {
  return { status: 200, body: renderVersion(requireVersion(ctx)), changed: false };
}

export function createVersion(ctx: Ctx): Reply {
  validateBody('VersionCreate', ctx.body);
  const body = ctx.body as VersionCreate;
  const t = requireTemplate(ctx);
  const existing = own(ctx.state.versions[t.id], body.version);
  if (existing) {
    throw conflict('version.exists', `prompt template ${t.name} already has version ${body.version}`, existing.id, existing.version);
  }
  const content = pickContent(body);
  checkVariableDeclarations(content);
  const v: VersionRec = {
    id: randomUUID(),
    name: body.version,
    templateId: t.id,
    version: body.version,
    ...content,
    state: 'Draft',
    contentHash: versionContentHash(content),
    ...stamps(ctx),
  };
  (ctx.state.versions[t.id] ??= {})[v.version] = v;
  return { status: 201, body: renderVersion(v), changed: true };
}

/** PATCH replaces the fields it names (null clears an optional one); only while Draft. */
export function patchVersion(ctx: Ctx): Reply {
  validateBody('VersionPatch', ctx.body);
  const body = ctx.body as Record<string, unknown>;
  const v = requireVersion(ctx);
  if (v.state === 'Published') {
    throw conflict('version.immutable', `version ${v.version} is Published and cannot change; create a new version`, v.id, v.version);
  }
  if (body.version !== undefined && body.version !== v.version) {
    throw invalidValue('version', `the version label cannot be changed (is ${v.version})`);
  }
  const merged: Record<string, unknown> = { ...pickContent(v) };
  for (const k of CONTENT_KEYS) {
    if (!(k in body)) continue;
    if (body[k] === null) delete merged[k];
    else merged[k] = body[k];
  }
  const content = merged as unknown as VersionContent;
  checkVariableDeclarations(content);
  const next: VersionRec = {
    id: v.id,
    name: v.name,
    templateId: v.templateId,
    version: v.version,
    ...content,
    state: v.state,
    contentHash: versionContentHash(content),
    ...stamps(ctx, v),
  };
  (ctx.state.versions[v.templateId] ??= {})[v.version] = next;
  return { status: 200, body: renderVersion(next), changed: true };
}

/** A version still routed by the template's split cannot go; any other (Draft or Published) can. */
export function deleteVersion(ctx: Ctx): Reply {
  const v = requireVersion(ctx);
  const split = ctx.state.traffic[v.templateId];
  if (split?.routes.some((r) => r.version === v.version)) {
    throw conflict('version.in.use', `version ${v.version} is routed by the traffic split; route it out first`, v.id, v.version);
  }
  delete ctx.state.versions[v.templateId]?.[v.version];
  for (const [id, job] of Object.entries(ctx.state.jobs)) {
    if (job.templateId === v.templateId && job.label === v.version) delete ctx.state.jobs[id];
  }
  return { status: 204, changed: true };
}

/**
 * POST .../jobs {state: Published}: 202 with a Running job; `schedule` arms the timer that
 * completes it once the job is durable. Publishing a Published version succeeds again. The job
 * publishes the content the version held when it was asked for: edited meanwhile, the job fails.
 */
export function startPublish(schedule: (job: JobRec) => void) {
  return (ctx: Ctx): Reply => {
    validateBody('JobCreate', ctx.body);
    const v = requireVersion(ctx);
    const job: JobRec = {
      id: randomUUID(),
      templateId: v.templateId,
      label: v.version,
      status: 'Running',
      errors: [],
      dateCreated: ctx.now,
      finishAt: Date.parse(ctx.now) + ctx.publishDelayMs,
      contentHash: v.contentHash,
      ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}),
    };
    ctx.state.jobs[job.id] = job;
    return { status: 202, body: renderJob(job), changed: true, afterCommit: () => schedule(job) };
  };
}

/** GET .../jobs/{jobId}; a job past its finish time is completed here, so a read never sees it stale. */
export function getJob(ctx: Ctx): Reply {
  const v = requireVersion(ctx);
  const job = own(ctx.state.jobs, param(ctx, 'jobId'));
  if (!job || job.templateId !== v.templateId || job.label !== v.version) throw notFound(`job ${param(ctx, 'jobId')}`);
  const changed = job.status === 'Running' && job.finishAt <= Date.parse(ctx.now) && completeJob(ctx.state, job.id, ctx.now);
  return { status: 200, body: renderJob(ctx.state.jobs[job.id] ?? job), changed };
}

/** Finishes a Running job: the version becomes Published (or the job fails if the version is gone). */
export function completeJob(state: State, jobId: string, now: string): boolean {
  const job = own(state.jobs, jobId);
  if (!job || job.status !== 'Running') return false;
  const v = own(state.versions[job.templateId], job.label);
  if (!v) {
    job.status = 'Failed';
    job.errors = [
      { message: `version ${job.label} no longer exists`, code: 'not.found', status: 404, contextId: jobContextId(job), details: [], errors: [] },
    ];
    return true;
  }
  if (v.state !== 'Published' && job.contentHash !== undefined && v.contentHash !== job.contentHash) {
    // Edited while the job ran: what was asked to be published is not what the version holds.
    job.status = 'Failed';
    job.errors = [
      {
        message: `version ${job.label} changed while it was being published; it stays a Draft`,
        code: 'version.mismatch',
        status: 409,
        contextId: jobContextId(job),
        details: [],
        errors: [],
      },
    ];
    return true;
  }
  if (v.state !== 'Published') {
    v.state = 'Published';
    v.datePublished = now;
    v.dateModified = now;
  }
  job.status = 'Succeeded';
  return true;
}

/**
 * The contextId of a job's errors: the correlation id of the request that started it, the one the
 * client logged for that call (a job stored before it was kept names itself, as it did).
 */
function jobContextId(job: JobRec): string {
  return job.correlationId ?? job.id;
}

export function renderJob(job: JobRec): WireJob {
  return { id: job.id, status: job.status, errors: job.errors, selfUri: paths.job(job.templateId, job.label, job.id) };
}

function requireVersion(ctx: Ctx): VersionRec {
  const t = requireTemplate(ctx);
  const label = param(ctx, 'label');
  const v = own(ctx.state.versions[t.id], label);
  if (!v) throw notFound(`version ${label} of prompt template ${t.name}`);
  return v;
}

function pickContent(src: VersionContent): VersionContent {
  const out: Record<string, unknown> = {};
  for (const k of CONTENT_KEYS) if (src[k] !== undefined) out[k] = src[k];
  return out as unknown as VersionContent;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const INVALID_VARIABLES = 'invalid.variables';

interface DeclarationProblem {
  message: string;
  fieldName: string;
}

/**
 * What a version's create and PATCH refuse of its variables, with one 400 invalid.variables naming
 * each (DESIGN §3): a placeholder/variable mismatch, and a default no call could send as a value
 * (the check invocations apply to values: a stored one would be rendered into calls that leave it out).
 */
function checkVariableDeclarations(c: VersionContent): void {
  const found = [
    ...placeholderProblems(c),
    ...defaultProblems(c.variables ?? []).map((p) => ({ message: p.message, fieldName: `variables.${p.name}.default` })),
  ];
  if (found.length) {
    throw new ApiFailure(
      400,
      INVALID_VARIABLES,
      [...new Set(found.map((f) => f.message))].join('; '),
      found.map((f) => ({ errorCode: INVALID_VARIABLES, fieldName: f.fieldName })),
    );
  }
}

/** Every {{placeholder}} declared as a variable and every variable used, each name once. */
function placeholderProblems(c: VersionContent): DeclarationProblem[] {
  const used = new Set<string>();
  for (const text of [c.systemInstruction, c.userTemplate]) for (const m of text.matchAll(PLACEHOLDER)) used.add(m[1] ?? '');
  const declared = new Set<string>();
  const out: DeclarationProblem[] = [];
  for (const v of c.variables ?? []) {
    if (declared.has(v.name)) out.push({ message: `variable ${v.name} is declared twice`, fieldName: `variables.${v.name}` });
    declared.add(v.name);
  }
  const undeclared = [...used].filter((n) => !declared.has(n)).sort();
  const unused = [...declared].filter((n) => !used.has(n)).sort();
  // One sentence names every name of a kind (said once: the caller drops repeats); each name has its own detail.
  const undeclaredSaid = `placeholders not declared as variables: ${undeclared.join(', ')}`;
  const unusedSaid = `variables never used as {{placeholders}}: ${unused.join(', ')}`;
  out.push(...undeclared.map((n) => ({ message: undeclaredSaid, fieldName: `placeholders.${n}` })));
  out.push(...unused.map((n) => ({ message: unusedSaid, fieldName: `variables.${n}` })));
  return out;
}
