import { describe, expect, it } from 'vitest';
import { TokenProvider, renewAfterMs } from '../../../src/genesys/auth.js';
import { Pacer, Semaphore, readRateWindow } from '../../../src/genesys/ratelimit.js';
import { expectedDurationMs } from '../../../src/plan/cost.js';
import { Redactor, basicCredential, redactText } from '../../../src/genesys/redact.js';
import { DEFAULT_RETRY_POLICY, backoffDelay, decide, parseRetryAfter, sleep } from '../../../src/genesys/retry.js';
import { landed as sameFilter } from '../../../src/kinds/SafetyFilter/index.js';
import { landed as sameTemplate } from '../../../src/kinds/PromptTemplate/index.js';
import { landed as sameTraffic } from '../../../src/kinds/TrafficSplit/index.js';
import type { FilterCreate, WireFilter, WireTemplate, WireTraffic } from '../../../src/targets/llmgateway/wire.js';
import { getEventListeners, setMaxListeners } from 'node:events';

const ctx = { retries: 0, refused: 0, canReauth: true };
const P = DEFAULT_RETRY_POLICY;
const half = () => 0.5;

describe('decide', () => {
  it('re-authenticates once on 401, then gives up', () => {
    expect(decide({ kind: 'response', status: 401 }, ctx, P)).toEqual({ action: 'reauth' });
    expect(decide({ kind: 'response', status: 401 }, { ...ctx, canReauth: false }, P)).toEqual({ action: 'fail' });
  });

  it('waits Retry-After on 429 as the server asked, however long (a 90 s one was cut to 60 s and resent early), and a 429 never leaves the outcome unknown', () => {
    const d = decide({ kind: 'response', status: 429, retryAfterMs: 3000 }, ctx, P, () => 0);
    expect(d).toMatchObject({ action: 'retry', delayMs: 3000, outcomeUnknown: false });
    expect(decide({ kind: 'response', status: 429, retryAfterMs: 90_000 }, ctx, P, () => 0)).toMatchObject({ action: 'retry', delayMs: 90_000 });
    expect(decide({ kind: 'response', status: 503, retryAfterMs: 90_000 }, ctx, P, () => 0)).toMatchObject({ action: 'retry', delayMs: 90_000 });
    // Jitter only ever adds to the server's wait.
    const jittered = decide({ kind: 'response', status: 429, retryAfterMs: 90_000 }, ctx, P, () => 0.999);
    expect(jittered).toMatchObject({ action: 'retry' });
    expect((jittered as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(90_000);
    expect((jittered as { delayMs: number }).delayMs).toBeLessThan(90_250);
  });

  it('does not retry a 500 (DESIGN §5 retries 502/503/504), whose outcome is unknown: a write is read for', () => {
    expect(decide({ kind: 'response', status: 500 }, ctx, P, half)).toEqual({ action: 'fail', outcomeUnknown: true });
    expect(decide({ kind: 'response', status: 500, retryAfterMs: 1000 }, ctx, P, half)).toEqual({ action: 'fail', outcomeUnknown: true });
  });

  it('treats 502, 503 and 504 as retryable with an unknown outcome, honouring Retry-After when present', () => {
    for (const status of [502, 503, 504]) {
      expect(decide({ kind: 'response', status }, ctx, P, half)).toMatchObject({ action: 'retry', outcomeUnknown: true });
    }
    expect(decide({ kind: 'response', status: 503, retryAfterMs: 1000 }, ctx, P, () => 0)).toMatchObject({ delayMs: 1000 });
  });

  it('retries a 2xx whose body came damaged (only a read gets here: transport.ts), as a failure that changed nothing; an error status is judged by its status', () => {
    expect(decide({ kind: 'response', status: 200, damaged: true }, ctx, P, half)).toMatchObject({ action: 'retry', outcomeUnknown: false, reason: 'answer unreadable (200)' });
    expect(decide({ kind: 'response', status: 404, damaged: true }, ctx, P, half)).toEqual({ action: 'fail' });
  });

  it('does not retry other client errors', () => {
    for (const status of [400, 403, 404, 409]) expect(decide({ kind: 'response', status }, ctx, P)).toEqual({ action: 'fail' });
  });

  it('separates "never sent" from "maybe applied" transport failures', () => {
    expect(decide({ kind: 'transport', code: 'ECONNRESET' }, ctx, P, half)).toMatchObject({ outcomeUnknown: true });
    expect(decide({ kind: 'transport', code: 'EPIPE' }, ctx, P, half)).toMatchObject({ outcomeUnknown: true });
    expect(decide({ kind: 'transport', code: 'ETIMEDOUT', timeoutEvent: 'request' }, ctx, P, half)).toMatchObject({ outcomeUnknown: true });
    expect(decide({ kind: 'transport', code: 'ETIMEDOUT', timeoutEvent: 'connect' }, ctx, P, half)).toMatchObject({ outcomeUnknown: false });
    expect(decide({ kind: 'transport', code: 'ECONNREFUSED' }, ctx, P, half)).toMatchObject({ outcomeUnknown: false });
    expect(decide({ kind: 'transport', code: 'ENOTFOUND' }, ctx, P)).toEqual({ action: 'fail' });
  });

  it('retries connection refused only a few times, more once the host has answered this run (an outage, not a wrong URL)', () => {
    expect(decide({ kind: 'transport', code: 'ECONNREFUSED' }, { ...ctx, refused: P.maxRefusedRetries }, P)).toEqual({ action: 'fail' });
    expect(decide({ kind: 'transport', code: 'ECONNREFUSED' }, { ...ctx, refused: P.maxRefusedRetries, answeredBefore: true }, P)).toMatchObject({ action: 'retry', outcomeUnknown: false });
    expect(decide({ kind: 'transport', code: 'ECONNREFUSED' }, { ...ctx, refused: P.maxRefusedRetriesOnceAnswered, answeredBefore: true }, P)).toEqual({ action: 'fail' });
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(0, P, () => 0.999)).toBeLessThan(P.backoffBaseMs);
    expect(backoffDelay(3, P, () => 0.999)).toBeGreaterThan(P.backoffBaseMs * 4);
    expect(backoffDelay(50, P, () => 0.999)).toBeLessThanOrEqual(P.backoffCapMs);
    expect(backoffDelay(5, P, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
  });
});

describe('Semaphore', () => {
  it('never lets more than the limit run at once', async () => {
    const sem = new Semaphore(3);
    let active = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const runs = Array.from({ length: 10 }, () =>
      sem.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((r) => gates.push(r));
        active--;
      }),
    );
    // Open the gates one by one as tasks arrive.
    do {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    } while (gates.length > 0 || active > 0);
    await Promise.all(runs);
    expect(peak).toBe(3);
  });
});

describe('readRateWindow', () => {
  it('reads seconds-from-now and epoch resets', () => {
    const now = 1_700_000_000_000;
    const h = { 'inin-ratelimit-allowed': '300', 'inin-ratelimit-count': '12', 'inin-ratelimit-reset': '30' };
    expect(readRateWindow(h, now)).toEqual({ allowed: 300, count: 12, resetAt: now + 30_000 });
    expect(readRateWindow({ ...h, 'inin-ratelimit-reset': '1700000100' }, now)?.resetAt).toBe(1_700_000_100_000);
    expect(readRateWindow({}, now)).toBeUndefined();
  });
});

describe('Pacer', () => {
  function clock(start = 1_000_000) {
    let t = start;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  }
  const window = (count: number, allowed: number, reset: number) => ({
    'inin-ratelimit-allowed': String(allowed),
    'inin-ratelimit-count': String(count),
    'inin-ratelimit-reset': String(reset),
  });

  it('sends freely while budget is left, then holds until the window resets', async () => {
    const c = clock();
    const p = new Pacer(c.now);
    const noSleep = async () => {
      throw new Error('should not wait');
    };
    await p.acquire(noSleep);
    p.observe(window(8, 10, 20));
    p.done();
    await p.acquire(noSleep); // 9th
    await p.acquire(noSleep); // 10th
    expect(p.waitMs()).toBe(20_000);
    const slept: number[] = [];
    const acquiring = p.acquire(async (ms) => {
      slept.push(ms);
      c.advance(ms);
    });
    p.done();
    p.done();
    await acquiring;
    expect(slept[0]).toBeGreaterThanOrEqual(20_000);
  });

  it('after a reset lets one request probe while in-flight requests are unanswered', () => {
    const c = clock();
    const p = new Pacer(c.now);
    p.observe(window(10, 10, 1));
    expect(p.waitMs()).toBe(1000);
    c.advance(1000);
    expect(p.waitMs()).toBe(0); // the probe
    void p.acquire(async () => {});
    expect(p.waitMs()).toBeGreaterThan(0); // the others wait for the probe's answer
    p.observe(window(3, 10, 50));
    expect(p.waitMs()).toBe(0);
  });

  it('tells what the server said of its budget: the rate, and what the current window still allows and for how long', async () => {
    const c = clock();
    const p = new Pacer(c.now);
    expect(p.budget()).toBeUndefined(); // nothing heard yet
    await p.acquire(async () => {});
    p.observe(window(14, 300, 60));
    p.done();
    expect(p.budget()).toEqual({ allowed: 300, windowMs: 60_000, remaining: 286, resetInMs: 60_000 });
    c.advance(8_000);
    expect(p.budget()).toEqual({ allowed: 300, windowMs: 60_000, remaining: 286, resetInMs: 52_000 });
    p.observe(window(300, 300, 52));
    expect(p.budget()?.remaining).toBe(0);
  });

  it('tells a window that has reset since it was heard as a new one: its whole budget, a window to its reset', async () => {
    // Heard during the plan's reads: 10 of 60 used, the window resets in 60 s. The apply starts after it did.
    const c = clock();
    const p = new Pacer(c.now);
    await p.acquire(async () => {});
    p.observe(window(10, 60, 60));
    p.done();
    c.advance(61_000);
    expect(p.budget()).toEqual({ allowed: 60, windowMs: 60_000, remaining: 60, resetInMs: 60_000 });
    // 100 requests: 60 go now, 40 wait a window. What the old window had left (50) said 0 (nothing worth saying).
    expect(expectedDurationMs(100, p.budget()!)).toBe(60_000);
  });

  it('holds everyone for a Retry-After', () => {
    const c = clock();
    const p = new Pacer(c.now);
    p.block(1500);
    expect(p.waitMs()).toBe(1500);
    c.advance(1500);
    expect(p.waitMs()).toBe(0);
  });

  it('tells a hold once per window, though each answer moves the reset a little (the server rounds it up to whole seconds)', async () => {
    const c = clock();
    const holds: number[] = [];
    const p = new Pacer(c.now, (h) => holds.push(h.waitMs));
    const waits: Array<Promise<void>> = [];
    // Three requests in flight; the first answer uses the window up, its reset 3.2 s away said as 4 s.
    for (let i = 0; i < 3; i++) await p.acquire(async () => {});
    p.observe(window(10, 10, 4));
    p.done();
    // Held requests sleep until told otherwise: the clock moves only as the test says.
    const held = (): Promise<void> => new Promise<void>(() => {});
    waits.push(p.acquire(held));
    // The other two answers, milliseconds apart: the same window, its reset read as 4 s again each time.
    for (let i = 0; i < 2; i++) {
      c.advance(7);
      p.observe(window(10, 10, 4));
      p.done();
      waits.push(p.acquire(held));
    }
    expect(holds).toEqual([4000]);
    // The next window, used up too: a new hold, told.
    c.advance(4_100);
    expect(p.waitMs()).toBe(0);
    await p.acquire(async () => {});
    p.observe(window(10, 10, 4));
    p.done();
    waits.push(p.acquire(held));
    expect(holds).toEqual([4000, 4000]);
    void waits;
  });

  it('ignores an older, lower count arriving late in the same window', async () => {
    const c = clock();
    const p = new Pacer(c.now);
    p.observe(window(10, 10, 30));
    p.observe(window(5, 10, 30));
    expect(p.waitMs()).toBeGreaterThan(0);
  });
});

describe('TokenProvider', () => {
  it('fetches lazily, once for concurrent callers, and caches until shortly before expiry', async () => {
    let t = 0;
    let fetches = 0;
    // The first token request stays in flight until released, so all three callers wait on it.
    let release!: () => void;
    const inFlight = new Promise<void>((r) => (release = r));
    const tp = new TokenProvider(
      async () => {
        fetches++;
        await inFlight;
        return { access_token: `tok-${fetches}`, token_type: 'bearer', expires_in: 100 };
      },
      () => {},
      () => t,
    );
    expect(fetches).toBe(0);
    const waiting = Promise.all([tp.get(), tp.get(), tp.get()]);
    expect(fetches).toBe(1);
    release();
    const got = await waiting;
    expect(got).toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect(fetches).toBe(1);
    t = 89_000;
    expect(await tp.get()).toBe('tok-1');
    t = 91_000; // within 10 % of the 100 s lifetime
    expect(await tp.get()).toBe('tok-2');
  });

  it('renews after a refusal, once for a burst of refusals of the same token', async () => {
    let fetches = 0;
    const seen: string[] = [];
    const tp = new TokenProvider(
      async () => ({ access_token: `tok-${++fetches}`, token_type: 'bearer', expires_in: 86400 }),
      (tok) => seen.push(tok),
    );
    const first = await tp.get();
    tp.invalidate(first);
    const second = await tp.get();
    tp.invalidate(first); // a late 401 for the old token must not discard the new one
    expect(await tp.get()).toBe(second);
    expect(fetches).toBe(2);
    expect(seen).toEqual(['tok-1', 'tok-2']);
  });

  it('shares a failure and tries again on the next call', async () => {
    let n = 0;
    const tp = new TokenProvider(async () => {
      if (++n === 1) throw new Error('down');
      return { access_token: 'ok', token_type: 'bearer', expires_in: 60 };
    });
    await expect(Promise.all([tp.get(), tp.get()])).rejects.toThrow('down');
    expect(await tp.get()).toBe('ok');
    expect(n).toBe(2);
  });

  it('renews day-long tokens a minute early', () => {
    expect(renewAfterMs(86400)).toBe(86_400_000 - 60_000);
    expect(renewAfterMs(10)).toBe(9000);
  });

  it('takes a lifetime the server did not give sensibly (0, negative, not a number) as an absent one, a day, not as "renew before every call"', async () => {
    for (const expires_in of [0, -5, Number.NaN, Number('soon')]) {
      expect(renewAfterMs(expires_in)).toBe(renewAfterMs(86400));
      let fetches = 0;
      const tp = new TokenProvider(async () => ({ access_token: `tok-${++fetches}`, token_type: 'bearer', expires_in }));
      for (let i = 0; i < 3; i++) expect(await tp.get()).toBe('tok-1');
      expect(fetches).toBe(1);
      // A refusal still renews it.
      tp.invalidate('tok-1');
      expect(await tp.get()).toBe('tok-2');
    }
  });
});

describe('redaction', () => {
  it('removes known secrets and credential patterns', () => {
    const basic = basicCredential('client', 'hunter2-secret');
    const r = new Redactor(['hunter2-secret', basic]);
    const text = `boom hunter2-secret Authorization: Basic ${basic} Bearer abc.DEF-123_x= {"access_token":"zzz-top"} access_token=qqq&x=1`;
    const out = r.scrub(text);
    for (const s of ['hunter2-secret', basic, 'abc.DEF-123_x', 'zzz-top', 'qqq']) expect(out).not.toContain(s);
    expect(out).toContain('boom');
    expect(out).toContain('x=1');
  });

  it('ignores values too short to be secrets', () => {
    expect(new Redactor(['ab']).scrub('abc')).toBe('abc');
    expect(redactText('plain text')).toBe('plain text');
  });
});

describe('sameness after server defaults', () => {
  const base = { id: 'x', dateCreated: '', dateModified: '', createdBy: { id: 'u' }, modifiedBy: { id: 'u' }, selfUri: '' };

  it('templates: absent description and labels equal the server’s defaults', () => {
    const live: WireTemplate = { ...base, name: 'a', model: 'gpt-4o', labels: {}, version: 1 };
    expect(sameTemplate({ name: 'a', model: 'gpt-4o' }, live)).toBe(true);
    expect(sameTemplate({ name: 'a', model: 'gpt-4o', labels: { team: 'x' } }, live)).toBe(false);
    expect(sameTemplate({ name: 'a', model: 'gpt-4o-mini' }, live)).toBe(false);
  });

  it('filters: default enabled, category order', () => {
    const sent: FilterCreate = {
      name: 'f',
      priority: 3,
      categories: ['pii', 'hate_speech'],
      action: 'block_and_log',
      thresholds: { pii: 0.5 },
      falsePositiveTolerance: 0.1,
    };
    const live: WireFilter = { ...base, ...sent, categories: ['hate_speech', 'pii'], enabled: true, labels: {}, version: 1 };
    expect(sameFilter(sent, live)).toBe(true);
    expect(sameFilter({ ...sent, enabled: false }, live)).toBe(false);
    expect(sameFilter({ ...sent, priority: 4 }, live)).toBe(false);
  });

  it('traffic: route order does not matter, weights do', () => {
    const live: WireTraffic = {
      templateId: 't',
      strategy: 'random',
      routes: [
        { version: '1.0.0', weight: 60 },
        { version: '1.1.0', weight: 40 },
      ],
      version: 2,
      dateModified: '',
      modifiedBy: { id: 'u' },
      selfUri: '',
    };
    const routes = [
      { version: '1.1.0', weight: 40 },
      { version: '1.0.0', weight: 60 },
    ];
    expect(sameTraffic({ strategy: 'random', routes }, live)).toBe(true);
    expect(sameTraffic({ strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }] }, live)).toBe(false);
  });
});

describe('sleep', () => {
  it('leaves no listener on the signal, whether it ends by its timer or by the abort', async () => {
    const closing = new AbortController();
    setMaxListeners(100, closing.signal); // as the transport allows more than Node's 10 waiting at once
    await Promise.all(Array.from({ length: 20 }, () => sleep(1, closing.signal)));
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
    const waits = Array.from({ length: 20 }, () => sleep(60_000, closing.signal));
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(20);
    closing.abort();
    await Promise.all(waits);
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
  });
});
