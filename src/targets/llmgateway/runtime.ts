// The LLM Gateway's runtime over HTTP: invocations (whole, or streamed as Server-Sent Events) and
// the analytics query. An invocation changes nothing but the analytics, yet each one the gateway
// runs is billed and none can be read for: one whose outcome is unknown is not resent (billed);
// the analytics query is a read. Both answers
// are checked at the read (answer-shapes.ts) as every other read is: an invocation's whole, or
// its stream's done event, or the usage and cost a block on its output says were spent.
import { ApiError } from '../../genesys/errors.js';
import { describeTransport, oneLineWords, transportFailure } from '../../genesys/failures.js';
import type { HttpResult, OpeningFailure, ResponseStream } from '../../genesys/exchange.js';
import { shapeError, type AnswerShape } from '../../genesys/rest.js';
import { SseParser, sseEvents, type SseEvent } from '../../genesys/sse.js';
import type { Transport } from '../../genesys/transport.js';
import { visibleName } from '../../util/escapes.js';
import { ANSWER_SHAPES } from '../answer-shapes.js';
import type { InvocationStreamEvent, InvokeOptions, InvokeStreamOptions } from './api.js';
import { paths } from './paths.js';
import {
  EVENT_STREAM,
  INVOCATION_EVENTS,
  testHeader,
  type AnalyticsQuery,
  type AnalyticsResult,
  type ErrorBody,
  type InvocationRequest,
  type InvocationResult,
  type InvocationSummary,
} from './wire.js';

/** One invocation, its answer whole. */
export function invoke(t: Transport, body: InvocationRequest, opts: InvokeOptions = {}): Promise<InvocationResult> {
  const { stream: _stream, ...request } = body;
  const path = paths.invocations();
  return t
    .call<InvocationResult>({
      method: 'POST',
      path,
      json: request,
      idempotent: true,
      billed: true,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.test !== undefined ? { headers: testHeader(opts.test) } : {}),
      parse: (res) => invocationAnswer<InvocationResult>(res.body, ANSWER_SHAPES.invocation, (problem) => shapeError(path, problem, res.status, res.correlationId, 'POST')),
    })
    .catch((err: unknown) => {
      throw checkedRefusal(err, path);
    });
}

/** One invocation, its answer as it is written: deltas, then the summary (a JSON answer is taken whole). */
export async function* invokeStream(t: Transport, body: InvocationRequest, opts: InvokeStreamOptions = {}): AsyncGenerator<InvocationStreamEvent> {
  const path = paths.invocations();
  const { stream: _stream, ...request } = body;
  const res = await t
    .stream({
      method: 'POST',
      path,
      json: { ...request, stream: true },
      acceptHeader: EVENT_STREAM,
      idempotent: true,
      billed: true,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
      // An error event before any text (the model failing to start) is taken as a 5xx answer would be.
      opening: failureBeforeText,
    })
    .catch((err: unknown) => {
      throw checkedRefusal(err, path);
    });
  let chars = 0;
  const where = `POST ${path}`;
  const broken = (why: string, code = 'stream.interrupted'): ApiError =>
    Object.assign(
      new ApiError(`${where}: the event stream was cut${afterOutput(chars)} (${why}); the answer is incomplete (correlation id ${res.correlationId})`, 0, code, res.correlationId, 'POST', path),
      { outputChars: chars },
    );
  const refused = (problem: string): ApiError => shapeError(path, problem, res.status, res.correlationId, 'POST');
  const data = <T>(ev: SseEvent): T => {
    try {
      return JSON.parse(ev.data) as T;
    } catch {
      throw broken(`its ${ev.event} event does not hold JSON`, 'stream.invalid');
    }
  };
  try {
    const type = String(res.headers['content-type'] ?? '');
    if (!type.toLowerCase().includes(EVENT_STREAM)) {
      // The server answered JSON after all: the whole result at once. Anything else (a proxy's
      // HTML page) is no answer at all, said as such: nothing was cut off.
      const parts: Buffer[] = [];
      for await (const c of res.body) parts.push(c);
      const whole = parsedJson(Buffer.concat(parts).toString('utf8'));
      if (!whole.ok) throw refused(`${type ? visibleName(type) : 'a body without a content type'}, neither an event stream nor JSON`);
      const result = invocationAnswer<InvocationResult>(whole.value, ANSWER_SHAPES.invocation, refused);
      const { output, ...summary } = result;
      if (output?.text) yield { type: 'delta', text: output.text };
      yield { type: 'done', result: summary };
      return;
    }
    let midEvent = false;
    for await (const ev of sseEvents(res.body, (end) => (midEvent = end.incomplete))) {
      if (ev.event === INVOCATION_EVENTS.delta) {
        // JSON of another kind than an object (null) has no text either.
        const d = data<{ text?: unknown } | null>(ev);
        if (typeof d?.text !== 'string') throw broken('a delta event without text', 'stream.invalid');
        chars += d.text.length;
        yield { type: 'delta', text: d.text };
      } else if (ev.event === INVOCATION_EVENTS.done) {
        yield { type: 'done', result: invocationAnswer<InvocationSummary>(data(ev), ANSWER_SHAPES.invocationSummary, refused) };
        return;
      } else if (ev.event === INVOCATION_EVENTS.error) {
        throw streamError(data<Partial<ErrorBody> | null>(ev) ?? {}, path, res.correlationId, chars, (text) => t.scrub(text));
      }
      // Other events are ignored (a newer server may send more).
    }
    throw broken(midEvent ? 'the server closed it in the middle of an event' : 'the server closed it before the done event');
  } catch (err) {
    if (err instanceof ApiError) throw checkedRefusal(err, path);
    if (opts.signal?.aborted) throw opts.signal.reason;
    const t = transportFailure(err);
    throw broken(t.kind === 'transport' ? describeTransport(t) : String(err));
  } finally {
    res.close();
  }
}

/**
 * The start of an invocation's event stream, up to its first delta or done event: an `event:
 * error` before them, when nothing of the answer can have been shown, is the failure the stream
 * opens with (its status, 500 when it names none), for the transport to judge as that status
 * answered outright; so is its end there (a connection closed before the answer). Otherwise the
 * stream is handed back whole: what was read is replayed. An
 * answer that is not an event stream, or an error event that does not hold JSON, is left to the
 * reader of the stream to report.
 */
async function failureBeforeText(stream: ResponseStream): Promise<ResponseStream | OpeningFailure> {
  if (!String(stream.headers['content-type'] ?? '').toLowerCase().includes(EVENT_STREAM)) return stream;
  const body = stream.body[Symbol.asyncIterator]();
  const read: Buffer[] = [];
  const parser = new SseParser();
  opening: for (;;) {
    const next = await body.next();
    if (next.done) return { dropped: 'the answer ended before any of its text' };
    read.push(next.value);
    for (const ev of parser.push(next.value)) {
      if (ev.event === INVOCATION_EVENTS.delta || ev.event === INVOCATION_EVENTS.done) break opening;
      if (ev.event !== INVOCATION_EVENTS.error) continue;
      const error = parsedJson(ev.data);
      if (!error.ok) break opening;
      const said = (error.value ?? {}) as Partial<ErrorBody>;
      const status = typeof said.status === 'number' && said.status >= 400 && said.status <= 599 ? said.status : 500;
      const correlationId = typeof said.contextId === 'string' && said.contextId ? said.contextId : stream.correlationId;
      // Worded as streamError words an error event: a code and a message even when it gives none.
      const code = typeof said.code === 'string' ? said.code : 'stream.error';
      return { failed: { status, body: { ...said, code, message: typeof said.message === 'string' ? said.message : code }, correlationId } };
    }
  }
  return {
    ...stream,
    body: (async function* () {
      yield* read;
      for (let next = await body.next(); !next.done; next = await body.next()) yield next.value;
    })(),
  };
}

/** `text` parsed as JSON, or not JSON at all (told apart from a JSON answer of another shape). */
function parsedJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * An invocation's answer (whole, or a done event's summary), checked to have the shape run and
 * test read (an ApiError from `refuse` naming the field otherwise, not an internal error in the
 * summary or the assertions). The platform leaves out an empty list: no `filters` is none acted.
 */
function invocationAnswer<T extends InvocationSummary>(answer: unknown, shape: AnswerShape, refuse: (problem: string) => ApiError): T {
  const problem = shape.problem(answer);
  if (problem !== undefined) throw refuse(problem);
  const a = answer as T;
  return { ...a, filters: a.filters ?? [] };
}

/**
 * A content.blocked refusal whose ErrorBody says what the call spent (BlockedSpend: a block on the
 * output, after the model ran), checked as an answer is: a usage or cost of another shape refuses
 * the answer naming the field, rather than a wrong spend shown by test and run. Any other failure
 * is left as it is.
 */
function checkedRefusal(err: unknown, path: string): unknown {
  if (!(err instanceof ApiError) || err.code !== BLOCKED || err.body === undefined) return err;
  const problem = ANSWER_SHAPES.blockedSpend.problem(err.body);
  return problem === undefined ? err : shapeError(path, problem, err.status, err.correlationId, 'POST');
}

const BLOCKED = 'content.blocked';

/** The analytics query over what the gateway answered. */
export function queryAnalytics(t: Transport, body: AnalyticsQuery): Promise<AnalyticsResult> {
  const path = paths.analytics();
  return t.call<AnalyticsResult>({
    method: 'POST',
    path,
    json: body,
    idempotent: true,
    parse: (res) => analyticsAnswer(res, path),
  });
}

/**
 * The analytics answer, checked to have the shape status reads (an ApiError naming the call and
 * the field otherwise, not an internal error deep in the statistics). The platform leaves out an
 * empty list, so an answer without `results` is one without calls.
 */
function analyticsAnswer(res: HttpResult, path: string): AnalyticsResult {
  const problem = ANSWER_SHAPES.analytics.problem(res.body);
  if (problem !== undefined) throw shapeError(path, problem, res.status, res.correlationId, 'POST');
  const answer = res.body as Partial<AnalyticsResult>;
  return { ...answer, results: answer.results ?? [] };
}

/**
 * An `event: error` as the ApiError a failed call would have been, the server's words cleaned by
 * `scrub` as a failed call's are (a credential it echoes: the token, a key of the content).
 */
function streamError(body: Partial<ErrorBody>, path: string, correlationId: string, chars: number, scrub: (text: string) => string): ApiError {
  const status = typeof body.status === 'number' ? body.status : 500;
  // The server's words on one line, as a failed call's are (genesys/failures.ts errorParts).
  const code = scrub(typeof body.code === 'string' ? oneLineWords(body.code) : 'stream.error');
  const cid = scrub(typeof body.contextId === 'string' && body.contextId ? body.contextId : correlationId);
  const after = chars > 0 ? afterOutput(chars) : '';
  const err = new ApiError(
    scrub(`POST ${path} failed${after}: ${status} ${code}: ${typeof body.message === 'string' ? oneLineWords(body.message) : code} (correlation id ${cid})`),
    status,
    code,
    cid,
    'POST',
    path,
  );
  err.outputChars = chars;
  if (typeof body.message === 'string' && typeof body.code === 'string') {
    try {
      err.body = JSON.parse(scrub(JSON.stringify(body))) as ErrorBody;
    } catch {
      // scrubbing broke the JSON: leave the body out rather than risk showing a secret
    }
  }
  return err;
}

/** How a stream's error says what had come of the answer when it ended. */
const afterOutput = (chars: number): string => ` after ${chars} characters of output`;

/**
 * A streamed answer's error counting the `shown` characters of output instead of those that
 * arrived: a caller that withholds a tail (run holds back what may begin a secret) says what the
 * user saw. None shown: a failure is said without a count, as one before any output is.
 */
export function countingShown(err: ApiError, shown: number): ApiError {
  const arrived = err.outputChars;
  if (arrived === undefined || arrived === shown) return err;
  err.message = err.message
    .replace(`was cut${afterOutput(arrived)}`, `was cut${afterOutput(shown)}`)
    .replace(`failed${afterOutput(arrived)}`, `failed${shown > 0 ? afterOutput(shown) : ''}`);
  err.outputChars = shown;
  return err;
}
