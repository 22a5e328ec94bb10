// One planned call made on the target, as an Observation (DESIGN §7): a template invoked on the
// gateway, or a guide's turns in a session of its own. A call or turn of unknown outcome is never
// made again (each is billed): it is the case's error. A refusal is an observation (blocked, or an
// error the report shows); a failure of the target itself (unreachable, bad credentials) throws.
import { randomUUID } from 'node:crypto';
import type { BlockedRoute, BlockedSpend, InvocationResult } from '../targets/llmgateway/wire.js';
import type { PlannedCall } from './render.js';
import type { Observation } from './types.js';
import type { RunnerDeps } from './runner.js';
import { unlessAborted } from '../util/abort.js';
import { BILLED_NOT_SENT_AGAIN, TURN_NOT_SENT_AGAIN } from '../util/errors.js';

/**
 * A call's options: the interrupt, and the test it is made for: always on the gateway (whose
 * analytics then count it as a test's, which status leaves out), on a guide session (real
 * Genesys) only on the embedded emulator.
 */
function callOptions(deps: RunnerDeps, test: string, on: 'gateway' | 'guide'): { signal?: AbortSignal; test?: string } {
  return { ...(deps.signal ? { signal: deps.signal } : {}), ...(on === 'gateway' || deps.namesTests ? { test } : {}) };
}

/** What an ApiError (genesys/errors.ts) carries, read structurally: evals imports no client code. */
interface ErrorLike {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  body?: BlockedBody;
}

/**
 * What a content.blocked answer's ErrorBody may say of the filter (DESIGN §3: it names it; the
 * fields that do are optional), what the call spent (promptctl's extension, on a block of the
 * output: the client checked its shape, targets/answer-shapes.ts blockedSpend), and where it was
 * routed (promptctl's extension too: BlockedRoute, read leniently, absent from a real gateway).
 */
interface BlockedBody {
  message?: unknown;
  messageParams?: Record<string, unknown>;
  details?: ReadonlyArray<{ errorCode?: unknown; entityName?: unknown }>;
  usage?: { promptTokens?: unknown; completionTokens?: unknown; totalTokens?: unknown };
  costUsd?: unknown;
  version?: unknown;
  template?: { id?: unknown; name?: unknown };
}

/**
 * The filter a content.blocked answer names: its message's parameter, else the entity its details
 * name (messageParams is optional in the ErrorBody: a server that sends only details or words
 * made every blockedBy fail, a review's probe), else undefined.
 */
export function blockingFilter(body: BlockedBody | undefined): string | undefined {
  const param = body?.messageParams?.['filter'];
  if (typeof param === 'string' && param !== '') return param;
  const entity = body?.details?.find((d) => d.errorCode === 'content.blocked')?.entityName;
  return typeof entity === 'string' && entity !== '' ? entity : undefined;
}

/**
 * A failure of the target itself, not of this call: every other call would fail the same way. A
 * call that timed out (its answer took longer than the client waits, every attempt) is this
 * call's failure, reported as its error: a long answer says nothing of the other calls, and
 * stopping at it threw away every result of the run. (A target that answers nothing at all is
 * found before the calls: test's read of what it serves stops the run.) Nor is an invocation's
 * connection dropped once it was sent, nor a guide turn's (`sent`: outcome unknown, not resent; the host was there).
 */
function fatal(e: ErrorLike, sent: boolean): boolean {
  return (e.status === 0 && e.code !== 'ETIMEDOUT' && !sent) || e.status === 401 || e.status === 403;
}

/**
 * The requests one planned call sends when nothing goes wrong: an invocation, or each of a guide
 * case's turns (one per user message). What the report's tally of calls counts.
 */
export function requestsOf(call: PlannedCall): number {
  return call.call.kind === 'guide' ? call.call.turns.length : 1;
}

/** `sent` is told of each request as it goes out (the run's tally: a lookup that failed sends none). */
export async function invokeTemplate(deps: RunnerDeps, test: string, call: PlannedCall, clock: () => number, sent: () => void = () => {}): Promise<Observation> {
  if (call.call.kind !== 'template') throw new Error('not a template call');
  const t0 = clock();
  try {
    sent();
    const r = await deps.gateway.invoke(call.call.request, callOptions(deps, test, 'gateway'));
    return fromResult(r, clock() - t0);
  } catch (err) {
    return notSentAgain(deps, err, clock() - t0, call, BILLED_NOT_SENT_AGAIN);
  }
}

/**
 * A failed call as its observation. One of unknown outcome was not resent by the client (each is
 * billed): the report says why it is an error, not only the server's words (`said`, unless the
 * message, a transport failure's, the client's own, says it already).
 */
function notSentAgain(deps: Pick<RunnerDeps, 'applyFirst'>, err: unknown, wallMs: number, call: PlannedCall, said: string): Observation {
  const unknown = outcomeUnknown(err);
  const obs = fromError(deps, err, wallMs, call, unknown);
  return unknown && obs.error && !obs.error.message.includes(said) ? { ...obs, error: { ...obs.error, message: `${obs.error.message}; ${said}` } } : obs;
}


/** What to run so the target holds what the test calls: the caller's (its --env and --dir), or the plain apply. */
function applyFirst(deps: Pick<RunnerDeps, 'applyFirst'>): string {
  return deps.applyFirst ?? 'run `promptctl apply`';
}

function fromResult(r: InvocationResult, wallMs: number): Observation {
  return {
    outcome: 'answered',
    version: r.version,
    model: r.model,
    output: r.output?.text ?? '',
    finishReason: r.finishReason,
    usage: { promptTokens: r.usage.promptTokens, completionTokens: r.usage.completionTokens, totalTokens: r.usage.totalTokens },
    costUsd: r.costUsd,
    latencyMs: r.latencyMs,
    wallMs: Math.round(wallMs),
    filters: (r.filters ?? []).map((f) => ({ name: f.name, category: f.category, score: f.score, action: f.action, applied: f.applied })),
    ...(r.canned && typeof r.canned === 'object' ? { canned: cannedOf(r.canned) } : {}),
  };
}

/** Which canned response answered, as the emulator names it (fields of another type left out). */
function cannedOf(c: { test?: unknown; response?: unknown }): NonNullable<Observation['canned']> {
  return { ...(typeof c.test === 'string' ? { test: c.test } : {}), ...(typeof c.response === 'string' ? { response: c.response } : {}) };
}

/**
 * What a blocked call spent, as its refusal says it (a block on the output: the model ran and was
 * billed), in an answer's fields; nothing when it says nothing (a block on the input spent nothing).
 */
export function blockedSpend(body: BlockedBody | undefined): BlockedSpend {
  const u = body?.usage;
  const n = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  return {
    ...(u && n(u.promptTokens) && n(u.completionTokens) && n(u.totalTokens)
      ? { usage: { promptTokens: u.promptTokens, completionTokens: u.completionTokens, totalTokens: u.totalTokens } }
      : {}),
    ...(n(body?.costUsd) ? { costUsd: body.costUsd } : {}),
  };
}

/**
 * The template and version a blocked call was routed to, as its refusal says them (the version is
 * chosen before the filters run); nothing of what it does not say, or says in another shape.
 */
export function blockedRoute(body: BlockedBody | undefined): BlockedRoute {
  const t = body?.template;
  return {
    ...(t && typeof t.id === 'string' && typeof t.name === 'string' ? { template: { id: t.id, name: t.name } } : {}),
    ...(typeof body?.version === 'string' && body.version !== '' ? { version: body.version } : {}),
  };
}

/** A failed call that may have been applied (the client did not resend it): `outcomeUnknown` on its error. */
function outcomeUnknown(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { outcomeUnknown?: unknown }).outcomeUnknown === true;
}

/** `sent`: a failure of this call alone once it was sent (an invocation or a guide turn not resent), however it failed. */
function fromError(deps: Pick<RunnerDeps, 'applyFirst'>, err: unknown, wallMs: number, call: PlannedCall, sent = false): Observation {
  const e = (err ?? {}) as ErrorLike;
  if (typeof e.status !== 'number' || typeof e.code !== 'string' || fatal(e, sent)) throw err;
  const message = serverWords(e);
  const base = { output: '', wallMs: Math.round(wallMs), filters: [], error: { status: e.status, code: e.code, message } };
  if (call.requested !== undefined) Object.assign(base, { version: call.requested });
  const params = e.body?.messageParams ?? {};
  if (e.code === 'content.blocked') {
    // Through a split, the version the call was routed to, when the refusal says it: routedTo can
    // then judge the call, and the report place it in its version's row.
    const routed = call.requested === undefined ? blockedRoute(e.body).version : undefined;
    if (routed !== undefined) Object.assign(base, { version: routed });
    const str = (k: string): string | undefined => (typeof params[k] === 'string' ? (params[k] as string) : undefined);
    const filter = blockingFilter(e.body) ?? 'a safety filter';
    const category = str('category');
    const stage = str('stage');
    return {
      ...base,
      outcome: 'blocked',
      ...blockedSpend(e.body),
      blocked: { filter, ...(category ? { category } : {}), ...(stage ? { stage } : {}), message },
    };
  }
  const hint =
    e.code === 'not.found' || e.code === 'version.not.published' || e.code === 'no.published.version'
      ? ` (is it applied to this target? ${applyFirst(deps)})`
      : '';
  return { ...base, outcome: 'error', error: { ...base.error, message: message + hint } };
}

/** A guide found for its turns, or why it cannot be tested (the case's error). */
export type GuideLookup = { id: string; version: string } | { status: number; code: string; message: string };

/**
 * Why the listing that looks a guide up failed, as the case's error; a failure of the target
 * itself (unreachable, credentials refused, 401) throws, as a call's does. A 404 of the listing
 * is the org without AI Studio guides, a 403 a client without the right to list them (the
 * platform grants guides apart from the rest): every guide case says so, and the run goes on (a
 * template test beside them still runs; DESIGN §3b: a surface not served is said, not fatal).
 */
function lookupFailed(err: unknown, name: string): GuideLookup {
  const e = (err ?? {}) as ErrorLike;
  if (typeof e.status !== 'number' || typeof e.code !== 'string' || (e.status !== 403 && fatal(e, false))) throw err;
  if (e.status === 404) return { status: 404, code: 'not.found', message: `the target does not serve the AI Studio guides API (404), so guide "${name}" cannot be tested on it` };
  // The right named as the SDK's getGuides asks it (kinds/index.ts SURFACE_LIST_RIGHT, which evals may not import).
  if (e.status === 403) return { status: 403, code: e.code, message: `the target refused to list its AI Studio guides (403 ${e.code}), so guide "${name}" cannot be tested with this client: it needs aiStudio:guide:view` };
  return { status: e.status, code: e.code, message: `guide "${name}" could not be looked up: ${serverWords(e)}` };
}

/** What the server said of a failed call: its body's message, else the error's own words. */
function serverWords(e: ErrorLike): string {
  return typeof e.body?.message === 'string' ? e.body.message : String(e.message ?? e.code);
}

export async function turnGuide(
  deps: RunnerDeps,
  test: string,
  call: PlannedCall,
  clock: () => number,
  guides: Map<string, Promise<GuideLookup>>,
  sent: () => void = () => {},
): Promise<Observation> {
  if (call.call.kind !== 'guide') throw new Error('not a guide call');
  const { guide: name, inputVariables, turns, version: pinned } = call.call;
  const t0 = clock();
  const api = deps.guides;
  if (!api) return { outcome: 'error', output: '', wallMs: 0, filters: [], error: { status: 0, code: 'not.run', message: 'this target offers no AI Studio client for guide tests' } };
  let found = guides.get(name);
  if (!found) {
    const missing = (message: string): GuideLookup => ({ status: 404, code: 'not.found', message });
    found = api.listGuides({ name }).then(
      (list) => {
        const g = list.find((x) => x.name === name);
        if (!g) return missing(`guide "${name}" does not exist on the target (is it applied? ${applyFirst(deps)})`);
        const version = pinned ?? g.latestSavedVersion?.version;
        return version ? { id: g.id, version } : missing(`guide "${name}" has no version on the target`);
      },
      (err: unknown) => lookupFailed(err, name),
    );
    guides.set(name, found);
  }
  // An interrupt does not wait for the lookup (shared by every case of the guide): the case is cut off.
  const g = await (deps.signal ? unlessAborted(found, deps.signal) : found);
  if ('message' in g) return { outcome: 'error', output: '', wallMs: 0, filters: [], error: g };
  let text = '';
  // One session, each turn sent once: a turn of unknown outcome may have run (and been billed), and
  // starting the conversation over would send every turn before it again too (A10).
  const sessionId = randomUUID();
  try {
    for (const turn of turns) {
      sent();
      const res = await api.sessionTurn(g.id, sessionId, {
        inputEvent: { type: 'UserInput', text: turn, mode: 'Text' },
        languageCode: deps.languageCode ?? 'en-US',
        version: g.version,
        ...(inputVariables.length ? { inputVariables } : {}),
      }, callOptions(deps, test, 'guide'));
      if (res.status === 'ERROR') {
        return { outcome: 'error', version: g.version, output: res.response?.text ?? '', wallMs: Math.round(clock() - t0), filters: [], error: { status: 200, code: 'turn.error', message: `the guide's turn ended in ERROR${res.result ? ` (${res.result})` : ''}` } };
      }
      text = res.response?.text ?? '';
    }
  } catch (err) {
    return { ...notSentAgain(deps, err, clock() - t0, call, TURN_NOT_SENT_AGAIN), version: g.version };
  }
  const n = deps.countTokens(text, call.call.encoding);
  return {
    outcome: 'answered',
    version: g.version,
    output: text,
    usage: { completionTokens: n },
    usageApproximate: true,
    wallMs: Math.round(clock() - t0),
    filters: [],
  };
}

