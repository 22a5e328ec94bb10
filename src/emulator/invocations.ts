// POST /api/v2/llmgateway/invocations: run a prompt template on the simulated model.
//   1. the template (name or id) and the version: the one asked for (Published only), else the
//      template's split (random by weight; a sticky split hashes `routingKey`, or the variable the
//      split names as its stickyKey, so a key always lands on the same version, its bands laid in
//      version order whatever the order of the routes), else, with no
//      split, the newest Published version;
//   2. the variables against the version (prompt.ts: unknown, missing required, wrong type, enum
//      value, maxLength, maxTokens → 400 invalid.variables naming each);
//   3. the safety filters on the input (variable values and messages), in priority order;
//   4. the prompt rendered (prompt.ts: system instruction, few-shot examples as user/assistant
//      turns, the user template, then the call's messages), the simulated model's answer (simulator.ts),
//      counted and priced as the model's registry entry says (the models given first);
//   5. the safety filters on the output; a block there ends the call like one on the input
//      (400 content.blocked; in a stream, the text before the offending words, then `error`;
//      every redacting filter masks that text, whatever its priority against the block's), its
//      ErrorBody carrying the usage and cost the model spent (promptctl's extension: BlockedSpend).
//   A block, on the input or the output, names the template and the version the call was routed
//   to (promptctl's extension: BlockedRoute), chosen in step 1 before either filter stage.
// JSON answers, or with `Accept: text/event-stream` (or `stream: true`) Server-Sent Events:
// `delta` events of a few words each, then `done` with everything but the text. Every answered
// invocation, refusals and blocks included, is recorded in the store (durably, before the answer
// is sent) for the analytics query; so is one an injected 5xx fault answers (Ctx.fault): an error
// of the version it was routed to (recordFault). A 429 is not: the rate limit refuses the call
// before the gateway takes it (promptctl sends it again), and a connection dropped before the
// work was never answered.
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  EVENT_STREAM,
  INVOCATION_EVENTS,
  type BlockedRoute,
  type BlockedSpend,
  type ErrorBody,
  type InvocationRequest,
  type InvocationResult,
  type InvocationSummary,
} from '../targets/llmgateway/wire.js';
import { createTokenMemo, type TokenMemo } from '../tokens/count.js';
import type { ModelCatalog } from '../tokens/registry.js';
import type { Ctx, Handler, Reply } from './context.js';
import { ApiFailure, errorBody, notFound } from './errors.js';
import { EventStream } from './events.js';
import { namesMediaType, sendJson } from './http.js';
import { prng } from './limits.js';
import { checkVariables, render } from './prompt.js';
import { compileFixtures, loadResponsesFile, checkGivenResponses, namedTest, type CompiledFixture, type ResponseFixture } from './responses.js';
import { applicableFilters, FilterReport, runStage, type Block } from './safety.js';
import { chunkText, costUsd, modelFor, promptTokens, simulate } from './simulator.js';
import { validateBody } from './schemas.js';
import type { InvocationRec, State, TemplateRec, TrafficRec, VersionRec } from './state.js';
import { sortedVersions } from './versions.js';
import { stableHash } from '../util/json.js';
import { cannedAnswerDigest } from '../util/canned-answer.js';
import { compareVersionLabels } from '../util/semver.js';

export interface RuntimeOptions {
  /** Canned answers (responses.ts); tried before those of `responsesFile`. */
  responses?: ResponseFixture[];
  /** A YAML or JSON responses file, read once at start. */
  responsesFile?: string;
  /** The emulator's latency option: every API request already waits this long. */
  latencyMs?: number;
  /** Pause between two streamed deltas (default 10 ms). */
  streamDelayMs?: number;
  /** A `: ping` comment after this long without an event (default 15 s). */
  pingIntervalMs?: number;
  /** Seeds the random traffic splits (default: unseeded). */
  seed?: number;
  /** Models beside the built-in registry (a project's Config `models:`): their encodings and prices. */
  models?: ModelCatalog;
  isClosing?: () => boolean;
}

/** What the invocation handler needs beyond the request: fixtures, the token memo, timing, randomness. */
export interface GatewayRuntime {
  fixtures: CompiledFixture[];
  /** A digest of the canned answers as given (ANSWERS_HEADER), when there are any. */
  answersDigest?: string;
  /** Models beside the built-in registry, by id. */
  models: ModelCatalog;
  memo: TokenMemo;
  latencyMs: number;
  streamDelayMs: number;
  pingIntervalMs: number;
  random: () => number;
  /**
   * Routes the calls a fault answers (recordFault): a stream of their own, so turning faults on
   * leaves the routes of the answered calls as the seed gives them.
   */
  faultRandom: () => number;
  isClosing: () => boolean;
}

export function createGatewayRuntime(o: RuntimeOptions = {}): GatewayRuntime {
  const fromOptions = checkGivenResponses(o.responses ?? [], 'emulator option responses');
  const fromFile = o.responsesFile ? loadResponsesFile(o.responsesFile) : [];
  const given = [...fromOptions, ...fromFile];
  return {
    fixtures: compileFixtures(given),
    // Their content, in order (the first that matches answers): another file, or this one edited, digests otherwise.
    ...(given.length ? { answersDigest: stableHash(given) } : {}),
    models: o.models ?? {},
    memo: createTokenMemo(20_000),
    latencyMs: o.latencyMs ?? 0,
    streamDelayMs: o.streamDelayMs ?? 10,
    pingIntervalMs: o.pingIntervalMs ?? 15_000,
    random: o.seed === undefined ? Math.random : prng((o.seed ^ 0x5f3759df) >>> 0),
    faultRandom: o.seed === undefined ? Math.random : prng((o.seed ^ 0x2545f491) >>> 0),
    isClosing: o.isClosing ?? (() => false),
  };
}

const BLOCKED = 'content.blocked';
/** promptctl's extension: a prompt (with the answer's maxTokens) past the model's context window. */
const CONTEXT_EXCEEDED = 'context.length.exceeded';

/** What a successful run hands to the reply: the result, and for a stream its chunks (and a late block). */
interface Answer {
  result: InvocationResult;
  /** A block on the output: JSON answers 400; a stream sends the text before it, then `error`. */
  outputBlock?: { failure: ApiFailure };
  random: () => number;
}

export function invoke(rt: GatewayRuntime): Handler {
  const handler = (ctx: Ctx): Reply => {
    const rec: InvocationRec = { id: randomUUID(), at: ctx.now, status: 200, outcome: 'ok', filters: [] };
    if (namedTest(ctx).test !== undefined) rec.test = true;
    if (ctx.fault) return recordFault(rt, ctx, rec, ctx.fault);
    const streaming = wantsStream(ctx);
    let reply: Reply;
    try {
      const answer = run(rt, ctx, rec);
      if (answer.outputBlock) {
        note(rec, answer.outputBlock.failure);
        reply = streaming
          ? { status: 200, changed: true, send: (res) => streamAnswer(rt, res, answer, errorBody(answer.outputBlock!.failure, ctx.correlationId ?? '')) }
          : failureReply(ctx, answer.outputBlock.failure);
      } else if (streaming) {
        reply = { status: 200, changed: true, send: (res) => streamAnswer(rt, res, answer) };
      } else {
        const wait = remainingLatency(rt, answer.result.latencyMs);
        reply =
          wait > 0
            ? { status: 200, body: answer.result, changed: true, send: (res) => delayed(res, wait, answer.result) }
            : { status: 200, body: answer.result, changed: true };
      }
    } catch (err) {
      if (!(err instanceof ApiFailure)) throw err;
      note(rec, err);
      reply = failureReply(ctx, err);
    }
    ctx.state.invocations[rec.id] = rec;
    return reply;
  };
  // A body that is not JSON is an invocation answered (400) like any other: it is recorded too.
  return Object.assign(handler, { recordsRefusals: true });
}

/**
 * Records a call an injected fault answers (the pipeline sends the fault itself): an error of the
 * template and version the call names or its split routes it to, as far as they resolve. One that
 * cannot be routed (no such template, a version not Published) counts as far as it got, as the
 * gateway's own refusals before routing do; nothing else of the call is checked.
 */
function recordFault(rt: GatewayRuntime, ctx: Ctx, rec: InvocationRec, fault: ApiFailure): Reply {
  note(rec, fault);
  try {
    if (ctx.bodyFailure) throw ctx.bodyFailure;
    validateBody('Invocation', ctx.body);
    const body = ctx.body as InvocationRequest;
    const template = findTemplate(ctx.reading, body.template);
    rec.templateId = template.id;
    rec.version = chooseVersion({ random: rt.faultRandom }, ctx.reading, template, body, (body.variables ?? {}) as Record<string, unknown>).version;
  } catch (err) {
    if (!(err instanceof ApiFailure)) throw err;
  }
  ctx.state.invocations[rec.id] = rec;
  return failureReply(ctx, fault);
}

/** `Accept: text/event-stream` (ranked above 0: `;q=0` refuses it) or `stream: true` in the body. */
function wantsStream(ctx: Ctx): boolean {
  const body = ctx.body as { stream?: unknown } | null | undefined;
  return namesMediaType(ctx.headers?.accept, EVENT_STREAM) || (typeof body === 'object' && body !== null && body.stream === true);
}

function note(rec: InvocationRec, f: ApiFailure): void {
  rec.status = f.status;
  rec.code = f.code;
  rec.outcome = f.code === BLOCKED ? 'blocked' : 'error';
}

function failureReply(ctx: Ctx, f: ApiFailure): Reply {
  return { status: f.status, body: errorBody(f, ctx.correlationId ?? ''), changed: true };
}

function run(rt: GatewayRuntime, ctx: Ctx, rec: InvocationRec): Answer {
  if (ctx.bodyFailure) throw ctx.bodyFailure;
  validateBody('Invocation', ctx.body);
  const body = ctx.body as InvocationRequest;
  const state = ctx.reading;
  const template = findTemplate(state, body.template);
  rec.templateId = template.id;
  const given = (body.variables ?? {}) as Record<string, unknown>;
  const version = chooseVersion(rt, state, template, body, given);
  rec.version = version.version;
  const model = modelFor(version.model ?? template.model, rt.models);
  const values = checkVariables(version, given, (text) => rt.memo.count(text, model.encoding));

  // The input: variable values (in declaration order) and the call's messages.
  const filters = applicableFilters(Object.values(state.filters), template);
  const report = new FilterReport();
  const names = [...values.keys()];
  const extra = body.messages ?? [];
  const input = runStage(filters, [...values.values(), ...extra.map((m) => m.content)], 'input', report);
  // Routed already (the version chosen above): the refusal says where, as an answer would.
  const routed: BlockedRoute = { template: { id: template.id, name: template.name }, version: version.version };
  if (input.block) {
    rec.filters = report.appliedNames();
    throw blocked(input.block, routed);
  }
  names.forEach((n, i) => values.set(n, input.texts[i] ?? ''));
  const messages = render(version, values, extra.map((m, i) => ({ role: m.role, content: input.texts[names.length + i] ?? '' })));

  // A prompt the model's context window cannot hold beside the answer it may write is refused
  // before the model runs, as a real model refuses it (promptctl's extension, 400
  // context.length.exceeded): answered, a test passed a call that fails in production (a review).
  const prompt = promptTokens(messages, model, rt.memo);
  if (prompt + (version.maxTokens ?? 0) > model.contextWindow) throw contextExceeded(prompt, version.maxTokens, model.id, model.contextWindow);

  const sim = simulate({
    templateId: template.id,
    templateName: template.name,
    targetKind: 'template',
    version: version.version,
    model,
    messages,
    ...(version.maxTokens !== undefined ? { maxTokens: version.maxTokens } : {}),
    ...(version.temperature !== undefined ? { temperature: version.temperature } : {}),
    fixtures: rt.fixtures,
    ...namedTest(ctx),
    latencyMs: rt.latencyMs,
    memo: rt.memo,
  });
  const cost = costUsd(prompt, sim.completionTokens, model);
  Object.assign(rec, {
    promptTokens: prompt,
    completionTokens: sim.completionTokens,
    costMicros: Math.round(cost * 1e6 * 1000) / 1000,
    latencyMs: sim.latencyMs,
  });

  const output = runStage(filters, [sim.text], 'output', report);
  rec.filters = report.appliedNames();
  const result: InvocationResult = {
    id: rec.id,
    template: { id: template.id, name: template.name },
    version: version.version,
    model: model.id,
    output: { text: output.block ? '' : (output.texts[0] ?? '') },
    finishReason: output.redacted ? 'content_filter' : sim.finishReason,
    usage: { promptTokens: prompt, completionTokens: sim.completionTokens, totalTokens: prompt + sim.completionTokens },
    costUsd: cost,
    latencyMs: sim.latencyMs,
    filters: report.results(filters),
  };
  // Which canned response answered, so a test answered by another test's says so: its test, and
  // the response itself (a digest), which a test compares with its own (another's may be the same).
  const fixture = sim.fixture !== undefined ? rt.fixtures.find((f) => f.index === sim.fixture)?.fixture : undefined;
  if (fixture) result.canned = { ...(fixture.test !== undefined ? { test: fixture.test } : {}), response: cannedAnswerDigest(fixture) };
  const answer: Answer = { result, random: sim.random };
  if (output.block) {
    // What a stream may still show: the text before the first offending match, with every
    // redaction applied (also those of filters the block came before).
    result.output.text = output.block.shown[0] ?? '';
    // The model ran: its tokens were spent and billed, and the refusal says so (an input's block spent nothing).
    answer.outputBlock = { failure: blocked(output.block, routed, { usage: result.usage, costUsd: cost }) };
  }
  return answer;
}

function findTemplate(state: State, ref: string): TemplateRec {
  // Ids and names are data: `__proto__` is just an unknown template.
  const byId = Object.hasOwn(state.templates, ref) ? state.templates[ref] : undefined;
  const t = byId ?? Object.values(state.templates).find((x) => x.name === ref);
  if (!t) throw notFound(`prompt template ${ref}`);
  return t;
}

function chooseVersion(rt: Pick<GatewayRuntime, 'random'>, state: State, t: TemplateRec, body: InvocationRequest, given: Record<string, unknown>): VersionRec {
  const own = Object.hasOwn(state.versions, t.id) ? state.versions[t.id] : undefined;
  if (body.version !== undefined) {
    const v = own && Object.hasOwn(own, body.version) ? own[body.version] : undefined;
    if (!v) throw notFound(`version ${body.version} of prompt template ${t.name}`);
    if (v.state !== 'Published') {
      throw new ApiFailure(409, 'version.not.published', `version ${v.version} of prompt template ${t.name} is ${v.state}; only Published versions can be invoked`, [
        { errorCode: 'version.not.published', entityId: v.id, entityName: v.version },
      ]);
    }
    return v;
  }
  const split = Object.hasOwn(state.traffic, t.id) ? state.traffic[t.id] : undefined;
  if (split) {
    const label = route(rt, t, split, body, given);
    const v = own && Object.hasOwn(own, label) ? own[label] : undefined;
    if (v) return v;
  }
  const newest = sortedVersions(state, t.id)
    .filter((v) => v.state === 'Published')
    .pop();
  if (!newest) throw new ApiFailure(409, 'no.published.version', `prompt template ${t.name} has no Published version to invoke`);
  return newest;
}

/** A point in [0, 100) for a routing key, the same for the same template and key on every run. */
export function stickyPoint(templateId: string, key: string): number {
  const h = createHash('sha256').update(`${templateId}\u0000${key}`).digest();
  return (h.readUInt32BE(0) / 2 ** 32) * 100;
}

/** Picks a route by weight: sticky splits by the routing key's point, random ones by a draw. */
export function route(rt: Pick<GatewayRuntime, 'random'>, t: TemplateRec, split: TrafficRec, body: InvocationRequest, given: Record<string, unknown>): string {
  let key: string | undefined = body.routingKey;
  if (key === undefined && split.stickyKey !== undefined && Object.hasOwn(given, split.stickyKey)) {
    const v = given[split.stickyKey];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') key = String(v);
  }
  const point = split.strategy === 'sticky' && key !== undefined ? stickyPoint(t.id, key) : rt.random() * 100;
  let acc = 0;
  const routes = split.routes.filter((r) => r.weight > 0);
  // A split is its routes keyed by version (the plan's canonical form): the order they are written
  // in is no change, so it must not move a sticky key to another version. Bands in version order.
  if (split.strategy === 'sticky') routes.sort((a, b) => compareVersionLabels(a.version, b.version));
  for (const r of routes) {
    acc += r.weight;
    if (point < acc) return r.version;
  }
  return routes[routes.length - 1]?.version ?? split.routes[0]?.version ?? '';
}

/** The refusal of a prompt too long for the model's context window, with the room its answer needs. */
function contextExceeded(prompt: number, maxTokens: number | undefined, model: string, window: number): ApiFailure {
  const answer = maxTokens !== undefined ? ` plus maxTokens {maxTokens}` : '';
  return ApiFailure.withParams(400, CONTEXT_EXCEEDED, `The prompt is {promptTokens} tokens${answer}, more than model {model}'s context window of {contextWindow} tokens`, {
    promptTokens: String(prompt),
    ...(maxTokens !== undefined ? { maxTokens: String(maxTokens) } : {}),
    model,
    contextWindow: String(window),
  });
}

function blocked(b: Block, routed: BlockedRoute, spent?: BlockedSpend): ApiFailure {
  const params = {
    filter: b.filter.name,
    category: b.category,
    score: String(b.score),
    threshold: String(b.threshold),
    stage: b.stage,
  };
  const f = ApiFailure.withParams(
    400,
    BLOCKED,
    `The ${b.stage === 'input' ? 'request' : 'response'} was blocked by safety filter {filter}: {category} scored {score} on the {stage}, at or above its threshold {threshold}`,
    params,
    [{ errorCode: BLOCKED, entityId: b.filter.id, entityName: b.filter.name, fieldName: b.stage }],
  );
  f.extensions = { ...routed, ...spent };
  return f;
}

/** What is left of the drawn latency after the delay every API request already had. */
function remainingLatency(rt: GatewayRuntime, drawn: number): number {
  return Math.max(0, drawn - rt.latencyMs);
}

async function delayed(res: ServerResponse, ms: number, body: InvocationResult): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      res.off('close', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    res.once('close', done);
  });
  if (!res.destroyed && !res.writableEnded) sendJson(res, 200, body);
}

/** The answer as SSE: the time to the first token, deltas a few words each, then done (or error). */
async function streamAnswer(rt: GatewayRuntime, res: ServerResponse, answer: Answer, error?: ErrorBody): Promise<void> {
  const es = new EventStream(res, rt.pingIntervalMs);
  es.open();
  const text = answer.result.output.text;
  await es.wait(remainingLatency(rt, answer.result.latencyMs));
  const chunks = chunkText(text, answer.random);
  for (let i = 0; i < chunks.length; i++) {
    if (rt.isClosing()) {
      res.destroy();
      return;
    }
    if (!es.live) return;
    if (i > 0) await es.wait(rt.streamDelayMs);
    es.send(INVOCATION_EVENTS.delta, { text: chunks[i] });
  }
  if (error) {
    es.send(INVOCATION_EVENTS.error, error);
  } else {
    const { output: _text, ...summary } = answer.result;
    es.send(INVOCATION_EVENTS.done, summary satisfies InvocationSummary);
  }
  es.end();
}
