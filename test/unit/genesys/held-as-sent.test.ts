// A write's 2xx answer is built on only when it is an object of the shape its kind's answers have
// (and holds what was sent); anything else (no body, null, text, `{}`) is settled by reading the
// object back, and a read that fails leaves the write's outcome unknown, in the write's words.
import { describe, expect, it } from 'vitest';
import { answerProblem, heldAsSent, readSettling, type WriteAnswered } from '../../../src/genesys/rest.js';
import { ApiError } from '../../../src/genesys/errors.js';
import { ANSWER_SHAPES } from '../../../src/targets/answer-shapes.js';

const SHAPE = ANSWER_SHAPES.summarySetting;
const WHERE: WriteAnswered = { method: 'POST', path: '/api/v2/things', what: 'summary setting', status: 200, shape: SHAPE };
const SETTING = { id: 'a1', name: 'Wrap-up', language: 'en-US' };

describe('answerProblem', () => {
  it('names what is wrong with an answer, or nothing for a usable one', () => {
    expect(answerProblem(undefined, SHAPE)).toBe('no body');
    expect(answerProblem(null, SHAPE)).toBe('null');
    expect(answerProblem(' \n', SHAPE)).toBe('a blank body');
    expect(answerProblem('<html>', SHAPE)).toBe('text, not JSON');
    expect(answerProblem([SETTING], SHAPE)).toBe('a JSON list');
    expect(answerProblem(5, SHAPE)).toBe('the JSON number 5');
    expect(answerProblem({}, SHAPE)).toMatch(/^summary setting without (id|name|language)$/);
    expect(answerProblem({ ...SETTING, id: 5 }, SHAPE)).toBe('summary setting "Wrap-up" whose id is the integer 5, not a string');
    expect(answerProblem(SETTING, SHAPE)).toBeUndefined();
  });

  it('takes any object where no shape is asked for', () => {
    expect(answerProblem({}, undefined)).toBeUndefined();
    expect(answerProblem(null, undefined)).toBe('null');
  });
});

describe('heldAsSent', () => {
  const holds = (s: { name?: string }): boolean => s.name === 'Wrap-up';

  it('builds on a usable answer without reading', async () => {
    let reads = 0;
    await expect(heldAsSent(SETTING, holds, async () => (reads++, SETTING), WHERE)).resolves.toBe(SETTING);
    expect(reads).toBe(0);
  });

  it('reads back an answer of another shape, telling the read what was wrong with it', async () => {
    const heard: string[] = [];
    const read = async (problem: string) => (heard.push(problem), SETTING);
    await expect(heldAsSent({} as typeof SETTING, holds, read, WHERE)).resolves.toBe(SETTING);
    await expect(heldAsSent(null as unknown as typeof SETTING, holds, read, WHERE)).resolves.toBe(SETTING);
    expect(heard).toEqual([expect.stringMatching(/^summary setting without /), 'null']);
  });

  it('refuses what was read back, or answered, that does not hold what was sent', async () => {
    const other = { ...SETTING, name: 'Other' };
    await expect(heldAsSent(other, holds, async () => SETTING, WHERE)).rejects.toMatchObject({ code: 'write.not.held' });
    await expect(heldAsSent(undefined, holds, async () => other, WHERE)).rejects.toMatchObject({ code: 'write.not.held' });
  });
});

describe('readSettling', () => {
  it('passes a read through', async () => {
    await expect(readSettling(async () => 'x', WHERE, 'null', 'summary setting Wrap-up')).resolves.toBe('x');
  });

  it('makes a failed read the write of unknown outcome, naming the write, its answer and the read', async () => {
    const failed = new ApiError('GET /api/v2/things failed: 500', 500, 'internal.server.error', 'c-read', 'GET', '/api/v2/things');
    const err = (await readSettling(() => Promise.reject(failed), { ...WHERE, correlationId: 'c-write' }, 'null', 'summary setting Wrap-up').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('POST /api/v2/things answered 200 with null, and reading the summary setting Wrap-up back failed (GET /api/v2/things failed: 500): whether it was written is not known');
    expect(err).toMatchObject({ outcomeUnknown: true, method: 'POST', path: '/api/v2/things', correlationId: 'c-write' });
  });

  it('leaves an error that is not the API\'s as it is', async () => {
    const bug = new TypeError('x');
    await expect(readSettling(() => Promise.reject(bug), WHERE, 'null', 'y')).rejects.toBe(bug);
  });
});
