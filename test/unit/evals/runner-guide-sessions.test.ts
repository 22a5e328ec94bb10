// A guide case whose turn fails with an unknown outcome (the client did not resend it: it may have
// run the guide's model, and been billed, and been added to the session) is that error: no turn is
// sent again, in its session or a new one (A10). A 5xx or a connection lost once sent is the case's
// error and says why it was not sent again; a failure known not to have landed is reported as it is.
import { describe, expect, it } from 'vitest';
import type { PlannedCall } from '../../../src/evals/render.js';
import type { ResultCache } from '../../../src/evals/cache.js';
import { runTests } from '../../../src/evals/runner.js';
import type { Observation } from '../../../src/evals/types.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';
import { TURN_NOT_SENT_AGAIN } from '../../../src/util/errors.js';

const here = { file: 'tests.yaml', line: 1, column: 1 };

function memoryCache(): ResultCache {
  const m = new Map<string, Observation>();
  return { get: async (k) => m.get(k), set: async (k, o) => void m.set(k, o) };
}

/**
 * What the client throws for a turn it did not resend: a lost answer (status 0; its message the
 * client's own, which says so) or a 5xx (the server's words in its body, which do not).
 */
function unknownOutcome(status = 0, code = 'ECONNRESET'): Error {
  return Object.assign(new Error(`POST …/turns failed: ${status || code}; ${TURN_NOT_SENT_AGAIN}`), {
    status,
    code,
    outcomeUnknown: true,
    ...(status ? { body: { message: 'the guide host failed' } } : {}),
  });
}

/** Runs one guide case of two turns against `turn`, which sees every (session, text) sent: its report. */
async function runGuideCase(turn: (sessionId: string, text: string) => Promise<unknown>, signal?: AbortSignal) {
  const c = { name: 'returns', vars: {}, messages: [], expect: [{ type: 'contains', value: 'ok', not: false }] } as unknown as TestCase;
  const test = { kind: 'PromptTest', name: 'guide', labels: {}, target: { guide: 'Returns helper' }, repeat: 1, threshold: 1, cases: [c], responses: [], source: here, locations: {} } as unknown as PromptTest;
  const call: PlannedCall = {
    caseIndex: 0,
    case: c,
    repetition: 1,
    call: { kind: 'guide', guide: 'Returns helper', inputVariables: [], turns: ['hello', 'my order is 42'], encoding: 'o200k_base' },
    key: '0'.repeat(64),
    inputs: [],
  };
  const guides = {
    listGuides: async () => [{ id: 'g1', name: 'Returns helper', latestSavedVersion: { version: '1.0' } }],
    sessionTurn: (_g: string, sessionId: string, body: { inputEvent: { text: string } }) => turn(sessionId, body.inputEvent.text),
  };
  const report = await runTests(
    [{ test, kind: 'guide', target: 'guide Returns helper', threshold: 1, repeat: 1, calls: [call], notes: [] }],
    { gateway: { invoke: async () => Promise.reject(new Error('no template calls here')) }, guides: guides as never, cache: memoryCache(), countTokens: () => 1, ...(signal ? { signal } : {}) },
    { target: 'test' },
  );
  return report;
}

/** The one case's observation. */
async function runCase(turn: (sessionId: string, text: string) => Promise<unknown>): Promise<Observation> {
  return (await runGuideCase(turn)).tests[0]!.runs[0]!.observation;
}

describe('a guide case whose turn may have landed', () => {
  it('is that error: no turn is sent again, in its session or a new one, and the error says why', async () => {
    const sent: Array<[string, string]> = [];
    const run = await runCase(async (sessionId, text) => {
      sent.push([sessionId, text]);
      // The second turn is lost on its way back.
      if (text === 'my order is 42') throw unknownOutcome();
      return { status: 'COMPLETED', response: { text: `ok: ${text}` } };
    });
    expect(sent.map(([, t]) => t)).toEqual(['hello', 'my order is 42']);
    expect(new Set(sent.map(([s]) => s)).size).toBe(1);
    expect(run.outcome).toBe('error');
    // A lost connection once sent is this case's failure, not the target's: the run goes on.
    expect(run.error).toMatchObject({ status: 0, code: 'ECONNRESET' });
    // Said once: the client's own message says it already.
    expect(run.error?.message).toBe(`POST …/turns failed: ECONNRESET; ${TURN_NOT_SENT_AGAIN}`);
  });

  it('a 5xx is the case error, sent once: the server\'s words, and why it was not sent again', async () => {
    const sessions: string[] = [];
    const run = await runCase(async (sessionId) => {
      sessions.push(sessionId);
      throw unknownOutcome(503, 'service.unavailable');
    });
    expect(sessions).toHaveLength(1);
    expect(run.outcome).toBe('error');
    expect(run.error?.code).toBe('service.unavailable');
    expect(run.error?.message).toBe(`the guide host failed; ${TURN_NOT_SENT_AGAIN}`);
  });

  it('reports a failure that did not land (a 400) at once, as it is', async () => {
    const sessions = new Set<string>();
    const run = await runCase(async (sessionId) => {
      sessions.add(sessionId);
      throw Object.assign(new Error('bad request'), { status: 400, code: 'invalid.value' });
    });
    expect(sessions.size).toBe(1);
    expect(run.outcome).toBe('error');
    expect(run.error).toMatchObject({ code: 'invalid.value', message: 'bad request' });
  });

  it('is cut off, not reported as an error, when the user interrupts while its turn is in flight', async () => {
    const ac = new AbortController();
    const report = await runGuideCase(
      (_sessionId, _text) =>
        new Promise((_resolve, reject) => {
          ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true });
          queueMicrotask(() => ac.abort());
        }),
      ac.signal,
    );
    expect(report.tests[0]!.runs).toEqual([]);
    expect(report.interrupted).toEqual({ casesFinished: 0, casesNotRun: 1, callsCutOff: 1 });
  });
});
