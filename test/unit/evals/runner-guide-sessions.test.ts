// A guide case whose turn fails with an unknown outcome (the client did not resend it: it may have
// been added to the session) starts over in a new session, so no session ever holds a turn twice
// (A10); a case gives up after three sessions, a failure known not to have landed is reported at
// once, and an interrupt while the case waits for a new session cuts it off like any case in flight.
import { describe, expect, it } from 'vitest';
import type { PlannedCall } from '../../../src/evals/render.js';
import type { ResultCache } from '../../../src/evals/cache.js';
import { runTests } from '../../../src/evals/runner.js';
import type { Observation } from '../../../src/evals/types.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';

const here = { file: 'tests.yaml', line: 1, column: 1 };

function memoryCache(): ResultCache {
  const m = new Map<string, Observation>();
  return { get: async (k) => m.get(k), set: async (k, o) => void m.set(k, o) };
}

/** What the transport throws for a turn it did not resend: a lost answer (status 0) or a 5xx. */
function unknownOutcome(status = 0, code = 'ECONNRESET'): Error {
  return Object.assign(new Error(`POST …/turns: ${status || code}; the server may or may not have applied it; not retried`), {
    status,
    code,
    outcomeUnknown: true,
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
    call: { kind: 'guide', guide: 'Returns helper', inputVariables: [], turns: ['hello', 'my order is 42'] },
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
  it('starts over in a new session: every session is sent each turn once, in order', async () => {
    const sent: Array<[string, string]> = [];
    let lost = false;
    const run = await runCase(async (sessionId, text) => {
      sent.push([sessionId, text]);
      // The second turn of the first session is lost on its way back.
      if (text === 'my order is 42' && !lost) {
        lost = true;
        throw unknownOutcome();
      }
      return { status: 'COMPLETED', response: { text: `ok: ${text}` } };
    });
    expect(run.outcome).toBe('answered');
    expect(run.output).toBe('ok: my order is 42');
    const sessions = [...new Set(sent.map(([s]) => s))];
    expect(sessions).toHaveLength(2);
    for (const s of sessions) expect(sent.filter(([x]) => x === s).map(([, t]) => t)).toEqual(['hello', 'my order is 42']);
  });

  it('gives up after three sessions: a 5xx is the case error, a lost connection ends the run', async () => {
    const sessions = new Set<string>();
    const run = await runCase(async (sessionId) => {
      sessions.add(sessionId);
      throw unknownOutcome(503, 'service.unavailable');
    });
    expect(sessions.size).toBe(3);
    expect(run.outcome).toBe('error');
    expect(run.error?.code).toBe('service.unavailable');

    sessions.clear();
    const cut = runCase(async (sessionId) => {
      sessions.add(sessionId);
      throw unknownOutcome();
    });
    // As any call the transport could not complete (status 0): the target is not answering.
    await expect(cut).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sessions.size).toBe(3);
  });

  it('reports a failure that did not land (a 400) at once, in the one session', async () => {
    const sessions = new Set<string>();
    const run = await runCase(async (sessionId) => {
      sessions.add(sessionId);
      throw Object.assign(new Error('bad request'), { status: 400, code: 'invalid.value' });
    });
    expect(sessions.size).toBe(1);
    expect(run.outcome).toBe('error');
    expect(run.error?.code).toBe('invalid.value');
  });

  it('is cut off, not reported as the error that made it start over, when the user interrupts while it waits for a new session', async () => {
    const ac = new AbortController();
    const report = await runGuideCase(async () => {
      // The user interrupts during the backoff before the next session.
      setTimeout(() => ac.abort(), 50);
      throw unknownOutcome(503, 'service.unavailable');
    }, ac.signal);
    expect(report.tests[0]!.runs).toEqual([]);
    expect(report.interrupted).toEqual({ casesFinished: 0, casesNotRun: 1, callsCutOff: 1 });
    expect(report.invocations).toBe(0);
  });
});
