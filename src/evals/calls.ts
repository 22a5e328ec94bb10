// One planned call made on the target, as an Observation (DESIGN §7): a template invoked on the
// gateway, or a guide's turns in a session of its own (a new session after a turn of unknown
// outcome, never the same turn sent twice into one). A refusal is an observation (blocked, or an
// error the report shows); a failure of the target itself (unreachable, bad credentials) throws.
import { randomUUID } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import type { InvocationResult } from '../targets/llmgateway/wire.js';
import type { PlannedCall } from './render.js';
import type { Observation } from './types.js';
import type { RunnerDeps } from './runner.js';
import { unlessAborted } from '../util/abort.js';
import { BILLED_NOT_SENT_AGAIN } from '../util/errors.js';

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
  body?: { message?: unknown; messageParams?: Record<string, unknown> };
}

/**
 * A failure of the target itself, not of this call: every other call would fail the same way. A
 * call that timed out (its answer took longer than the client waits, every attempt) is this
 * call's failure, reported as its error: a long answer says nothing of the other calls, and
 * stopping at it threw away every result of the run. (A target that answers nothing at all is
 * found before the calls: test's read of what it serves stops the run.) Nor is an invocation's
 * connection dropped once it was sent (`sent`: outcome unknown, not resent; the host was there).
 */
function fatal(e: ErrorLike, sent: boolean): boolean {
  return (e.status === 0 && e.code !== 'ETIMEDOUT' && !sent) || e.status === 401 || e.status === 403;
}

export async function invokeTemplate(deps: RunnerDeps, test: string, call: PlannedCall, clock: () => number): Promise<Observation> {
  if (call.call.kind !== 'template') throw new Error('not a template call');
  const t0 = clock();
  try {
    const r = await deps.gateway.invoke(call.call.request, callOptions(deps, test, 'gateway'));
    return fromResult(r, clock() - t0);
  } catch (err) {
    // Not resent by the client (each invocation is billed): the report says why it is an error, not only the server's words.
    const unknown = outcomeUnknown(err);
    const obs = fromError(err, clock() - t0, call, unknown);
    // (A transport failure's message is the client's own, which says it already.)
    return unknown && obs.error && !obs.error.message.includes(BILLED_NOT_SENT_AGAIN) ? { ...obs, error: { ...obs.error, message: `${obs.error.message}; ${BILLED_NOT_SENT_AGAIN}` } } : obs;
  }
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
  };
}

/** Sessions a guide case may take: the first, and a new one after each turn of unknown outcome. */
const GUIDE_SESSIONS = 3;

/** The first wait before a new session (doubled for the next), with up to as much again of jitter. */
const SESSION_BACKOFF_MS = 500;

/** Resolves after `ms`, or at once when `signal` aborts (the caller looks at the signal). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return wait(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}

/** A failed call that may have been applied (the client did not resend it): `outcomeUnknown` on its error. */
function outcomeUnknown(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { outcomeUnknown?: unknown }).outcomeUnknown === true;
}

/** `sent`: a failure of this call alone once it was sent (an invocation not resent), however it failed. */
function fromError(err: unknown, wallMs: number, call: PlannedCall, sent = false): Observation {
  const e = (err ?? {}) as ErrorLike;
  if (typeof e.status !== 'number' || typeof e.code !== 'string' || fatal(e, sent)) throw err;
  const message = typeof e.body?.message === 'string' ? e.body.message : String(e.message ?? e.code);
  const base = { output: '', wallMs: Math.round(wallMs), filters: [], error: { status: e.status, code: e.code, message } };
  if (call.requested !== undefined) Object.assign(base, { version: call.requested });
  const params = e.body?.messageParams ?? {};
  if (e.code === 'content.blocked') {
    const str = (k: string): string | undefined => (typeof params[k] === 'string' ? (params[k] as string) : undefined);
    const filter = str('filter') ?? 'a safety filter';
    const category = str('category');
    const stage = str('stage');
    return {
      ...base,
      outcome: 'blocked',
      blocked: { filter, ...(category ? { category } : {}), ...(stage ? { stage } : {}), message },
    };
  }
  const hint =
    e.code === 'not.found' || e.code === 'version.not.published' || e.code === 'no.published.version'
      ? ' (is it applied to this target? run `promptctl apply`)'
      : '';
  return { ...base, outcome: 'error', error: { ...base.error, message: message + hint } };
}

export async function turnGuide(
  deps: RunnerDeps,
  test: string,
  call: PlannedCall,
  clock: () => number,
  guides: Map<string, Promise<{ id: string; version: string } | string>>,
): Promise<Observation> {
  if (call.call.kind !== 'guide') throw new Error('not a guide call');
  const { guide: name, inputVariables, turns, version: pinned } = call.call;
  const t0 = clock();
  const api = deps.guides;
  if (!api) return { outcome: 'error', output: '', wallMs: 0, filters: [], error: { status: 0, code: 'not.run', message: 'this target offers no AI Studio client for guide tests' } };
  let found = guides.get(name);
  if (!found) {
    found = api.listGuides({ name }).then((list) => {
      const g = list.find((x) => x.name === name);
      if (!g) return `guide "${name}" does not exist on the target (is it applied? run \`promptctl apply\`)`;
      const version = pinned ?? g.latestSavedVersion?.version;
      return version ? { id: g.id, version } : `guide "${name}" has no version on the target`;
    });
    guides.set(name, found);
  }
  // An interrupt does not wait for the lookup (shared by every case of the guide): the case is cut off.
  const g = await (deps.signal ? unlessAborted(found, deps.signal) : found);
  if (typeof g === 'string') return { outcome: 'error', output: '', wallMs: 0, filters: [], error: { status: 404, code: 'not.found', message: g } };
  let text = '';
  for (let session = 1; ; session++) {
    // Each session sees the case's turns once each: a turn that may have landed is never sent again
    // into it (A10); the conversation starts over in a new session instead.
    const sessionId = randomUUID();
    try {
      for (const turn of turns) {
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
      break;
    } catch (err) {
      if (session < GUIDE_SESSIONS && outcomeUnknown(err) && !deps.signal?.aborted) {
        // A server that failed mid-turn gets a moment before the conversation starts again.
        await pause(SESSION_BACKOFF_MS * 2 ** (session - 1) * (1 + Math.random()), deps.signal);
        // Interrupted meanwhile: cut off as any case in flight (runTests reports no result for it).
        if (deps.signal?.aborted) throw err;
        continue;
      }
      const obs = fromError(err, clock() - t0, call);
      return { ...obs, version: g.version };
    }
  }
  const n = deps.countTokens(text);
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

