import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/genesys/errors.js';
import { attemptResult } from '../../../src/genesys/retry.js';
import { foundByRead, gaveUpNote, giveUp, readBeforeResend, retryDeadline, stopsResending, unsettledError, verdict, type ResendContext } from '../../../src/genesys/unknown-outcome.js';

const post: ResendContext = { method: 'POST', idempotent: false, reconciles: false, retries: 0, maxRetries: 3, now: 1000, deadline: 5000, stopping: false };
const unknown = { delayMs: 100, outcomeUnknown: true };
const known = { delayMs: 100, outcomeUnknown: false };
/** The error a call ended with (it must end with one). */
const rejection = (p: Promise<unknown>): Promise<ApiError> =>
  p.then(
    () => { throw new Error('resolved'); },
    (e: ApiError) => e,
  );
const failed = () => new ApiError('POST /x failed: 503 http.503: down', 503, 'http.503', 'cid', 'POST', '/x');

describe('verdict', () => {
  it('never resends a POST of unknown outcome blindly', () => {
    expect(verdict(unknown, post)).toBe('unsettled');
  });

  it('resends when resending is harmless or the caller can read what happened', () => {
    expect(verdict(known, post)).toBe('resend');
    expect(verdict(unknown, { ...post, method: 'PUT' })).toBe('resend');
    expect(verdict(unknown, { ...post, idempotent: true })).toBe('resend');
    expect(verdict(unknown, { ...post, reconciles: true })).toBe('resend');
  });

  it('never resends a billed call (an invocation) of unknown outcome, though it changes nothing: no read can tell whether it ran; one refused before any work is resent', () => {
    const invocation = { ...post, idempotent: true, billed: true };
    expect(verdict(unknown, invocation)).toBe('unsettled');
    expect(verdict(unknown, { ...invocation, reconciles: true })).toBe('unsettled');
    expect(verdict(known, invocation)).toBe('resend');
    expect(verdict(unknown, { ...invocation, billed: false })).toBe('resend');
  });

  it('gives up when the retries or the time budget are spent', () => {
    expect(verdict(known, { ...post, retries: 3 })).toBe('give-up');
    expect(verdict(known, { ...post, now: 4950 })).toBe('give-up');
    expect(verdict(known, { ...post, now: 4900 })).toBe('resend');
  });

  it('stops resending a write when the run starts no new calls (an interrupt), whatever the budget left; never resends blindly either', () => {
    expect(verdict(known, { ...post, stopping: true })).toBe('stop');
    expect(verdict(unknown, { ...post, reconciles: true, stopping: true })).toBe('stop');
    expect(verdict(unknown, { ...post, stopping: true })).toBe('unsettled');
  });

  it('stops resending only what may change something: reads and token requests are resent after the interrupt', () => {
    expect(stopsResending(true, 'POST', false)).toBe(true);
    expect(stopsResending(true, 'PUT', false)).toBe(true);
    expect(stopsResending(true, 'DELETE', false)).toBe(true);
    // A read is still retried: it changes nothing, and confirms what is in flight.
    expect(stopsResending(true, 'GET', false)).toBe(false);
    expect(stopsResending(true, 'POST', true)).toBe(false);
    expect(stopsResending(false, 'POST', false)).toBe(false);
  });
});

describe('retryDeadline', () => {
  it('is the budget after the start, moved later by the time spent queued for a slot or the pacer (the run\'s own waits, not retrying)', () => {
    expect(retryDeadline(1000, 120_000, 0)).toBe(121_000);
    // Held 60 s by the pacer: a 429's 60 s Retry-After then still fits.
    expect(retryDeadline(1000, 120_000, 60_000)).toBe(181_000);
    expect(verdict({ delayMs: 60_100, outcomeUnknown: false }, { ...post, now: 61_000, deadline: retryDeadline(1000, 120_000, 60_000) })).toBe('resend');
    expect(verdict({ delayMs: 60_100, outcomeUnknown: false }, { ...post, now: 61_000, deadline: retryDeadline(1000, 120_000, 0) })).toBe('give-up');
  });
});

describe('gaveUpNote', () => {
  it("names the server's Retry-After when that is the wait past the budget", () => {
    expect(gaveUpNote(1, 10, { waitMs: 90_100, budgetMs: 60_000, retryAfterMs: 90_000 })).toBe(
      'gave up after 1 attempt in 0.0 s: the server asked to wait 90.0 s (Retry-After) before the next try, past the 60.0 s this call may spend retrying',
    );
  });
  it('says how much of the time was queueing, which the budget does not count, and what was left of the budget', () => {
    expect(gaveUpNote(2, 185_000, undefined, 60_000)).toBe(
      "gave up after 2 attempts in 185.0 s (60.0 s of it waiting for the run's own rate limit or a free request slot, which the retry budget does not count)",
    );
    expect(gaveUpNote(2, 100_000, { waitMs: 60_100, budgetMs: 120_000 }, 30_000)).toBe(
      "gave up after 2 attempts in 100.0 s (30.0 s of it waiting for the run's own rate limit or a free request slot, which the retry budget does not count): the next try was due in 60.1 s, past the 120.0 s this call may spend retrying (50.0 s of it left)",
    );
  });

  it('counts attempts in the singular and the plural, and says when the wait asked for passed the budget', () => {
    expect(gaveUpNote(1, 40)).toBe('gave up after 1 attempt in 0.0 s');
    expect(gaveUpNote(3, 1234)).toBe('gave up after 3 attempts in 1.2 s');
    expect(gaveUpNote(1, 0, { waitMs: 60_000, budgetMs: 5_000 })).toBe('gave up after 1 attempt in 0.0 s: the next try was due in 60.0 s, past the 5.0 s this call may spend retrying');
  });
});

describe('giveUp', () => {
  it('returns what the read finds', async () => {
    await expect(giveUp({ reconcile: async () => ({ value: 'landed' }) }, failed(), true, 4, 1234)).resolves.toBe('landed');
  });

  it('read and not found: it did not land', async () => {
    const err = await rejection(giveUp({ reconcile: async () => undefined }, failed(), true, 4, 1234));
    expect(err.message).toMatch(/gave up after 4 attempts in 1\.2 s$/);
    expect(err.outcomeUnknown).toBeUndefined();
  });

  it('unread or unreadable: nobody knows', async () => {
    const unread = await rejection(giveUp({}, failed(), true, 2, 0));
    expect(unread.outcomeUnknown).toBe(true);
    // The message says so too: whoever reads the failure must learn the write may be live.
    expect(unread.message).toMatch(/gave up after 2 attempts in 0\.0 s; the server may or may not have applied it$/);
    const unreadable = await rejection(giveUp({ reconcile: () => Promise.reject(new Error('down')) }, failed(), true, 2, 0));
    expect(unreadable.outcomeUnknown).toBe(true);
    expect(unreadable.message).toMatch(/gave up after 2 attempts in 0\.0 s; could not read whether it landed: down$/);
    // Answered 2xx with a body that could not be read: it landed, only what it made is not known.
    const landed = await rejection(giveUp({ reconcile: () => Promise.reject(new Error('down')) }, failed(), 'landed', 1, 0, 'answered 200; not sent again'));
    expect(landed.outcomeUnknown).toBe(true);
    expect(landed.message).toMatch(/answered 200; not sent again; it was applied, but what it made could not be read: down$/);
  });

  it('a read (GET) changes nothing: its error never says the outcome is unknown', async () => {
    const err = await rejection(giveUp({ method: 'GET' }, failed(), true, 4, 1234));
    expect(err.message).toMatch(/gave up after 4 attempts/);
    expect(err.outcomeUnknown).toBeUndefined();
    const write = await rejection(giveUp({ method: 'PUT' }, failed(), true, 4, 1234));
    expect(write.outcomeUnknown).toBe(true);
  });

  // A token request that timed out said "the server may or may not have applied it", and the
  // write waiting for that token, never sent, failed as though its outcome were unknown.
  it('a POST that changes nothing (a token request, an invocation, a query) never says the outcome is unknown', async () => {
    const err = await rejection(giveUp({ method: 'POST', idempotent: true }, failed(), true, 3, 5000));
    expect(err.message).toMatch(/gave up after 3 attempts in 5\.0 s$/);
    expect(err.outcomeUnknown).toBeUndefined();
  });

  it('does not read after an attempt whose outcome is known', async () => {
    let read = false;
    const reconcile = async () => ((read = true), { value: 'x' });
    await expect(giveUp({ reconcile }, failed(), false, 2, 0)).rejects.toThrow(/gave up/);
    expect(read).toBe(false);
  });
});

describe('readBeforeResend', () => {
  it('returns what the read finds, or that it found nothing', async () => {
    await expect(readBeforeResend(async () => ({ value: 'landed' }), failed())).resolves.toEqual({ value: 'landed' });
    await expect(readBeforeResend(async () => undefined, failed())).resolves.toBeUndefined();
  });

  it("a read that fails: the write's own error, its outcome unknown, the read's failure a note", async () => {
    const read = new ApiError('GET /x failed: 403 http.403: no', 403, 'http.403', 'cid2', 'GET', '/x');
    const err = await rejection(readBeforeResend(() => Promise.reject(read), failed()));
    expect(err).toMatchObject({ method: 'POST', status: 503, code: 'http.503', correlationId: 'cid', outcomeUnknown: true });
    expect(err.message).toBe('POST /x failed: 503 http.503: down; could not read whether it landed: GET /x failed: 403 http.403: no');
  });

  it('a conflict the read finds is its answer', async () => {
    const taken = new ApiError('taken', 409, 'duplicate.name', 'cid2', 'POST', '/x');
    expect(await rejection(readBeforeResend(() => Promise.reject(taken), failed()))).toBe(taken);
  });
});

describe('unsettledError', () => {
  it('says the outcome is unknown', () => {
    const err = unsettledError(failed());
    expect(err.outcomeUnknown).toBe(true);
    expect(err.message).toMatch(/may or may not have applied it; not retried$/);
  });

  it('says of a billed call (an invocation) that it may have run, and why it was not sent again', () => {
    const err = unsettledError(failed(), true);
    expect(err.outcomeUnknown).toBe(true);
    expect(err.message).toBe('POST /x failed: 503 http.503: down; the gateway may have run it (each call is billed), so it was not sent again');
  });
});

describe('attemptResult', () => {
  it('keeps the status and Retry-After of an answer, the code and timeout event of a transport failure', () => {
    const res = { status: 429, headers: { 'retry-after': '2' }, body: undefined, correlationId: 'c' };
    expect(attemptResult({ kind: 'response', res })).toEqual({ kind: 'response', status: 429, retryAfterMs: 2000 });
    expect(attemptResult({ kind: 'response', res: { ...res, headers: {} } })).toEqual({ kind: 'response', status: 429 });
    expect(attemptResult({ kind: 'transport', code: 'ETIMEDOUT', timeoutEvent: 'connect', detail: '' })).toEqual({ kind: 'transport', code: 'ETIMEDOUT', timeoutEvent: 'connect' });
    expect(attemptResult({ kind: 'transport', code: 'ECONNRESET', detail: '' })).toEqual({ kind: 'transport', code: 'ECONNRESET' });
  });
});

describe('foundByRead', () => {
  it("is a value read for after a write's answer was lost, not one answered 2xx whose body could not be read (its answer said it landed)", () => {
    expect(foundByRead(true)).toBe(true);
    expect(foundByRead('landed')).toBe(false);
    expect(foundByRead(false)).toBe(false);
  });
});
