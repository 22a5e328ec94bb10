// Publish confirmations as data: which pages a round reads, what a page says, how the settle
// time learns, and where a template sits in the name-sorted listing.
import { describe, expect, it } from 'vitest';
import {
  POLL_AFTER_SIGHTINGS,
  SETTLE_MAX_MS,
  SETTLE_MIN_MS,
  nextSettleMs,
  markOvertaken,
  noteSighting,
  planRound,
  readPage,
  retryDelayMs,
  type PendingPublish,
} from '../../../src/targets/llmgateway/confirm-round.js';
import { TemplateDirectory } from '../../../src/targets/llmgateway/directory.js';

function pending(templateId: string, label: string, extra: Partial<PendingPublish> = {}): PendingPublish {
  return { templateId, label, jobId: `job-${templateId}-${label}`, postedAt: 0, deadline: 1e9, due: true, sightings: 0, pollNext: false, ...extra };
}

describe('planRound', () => {
  const pages: Record<string, number> = { a: 1, b: 1, c: 2, d: 3 };
  const pageOf = (id: string) => pages[id];

  it('reads a page that covers two or more jobs, and polls a lone job', () => {
    const round = planRound([pending('a', '1'), pending('a', '2'), pending('b', '1'), pending('c', '1')], pageOf);
    expect(round.pages.map((p) => [p.page, p.pending.length])).toEqual([[1, 3]]);
    expect(round.polls.map((p) => p.templateId)).toEqual(['c']);
  });

  it('polls what the directory cannot place and what is marked for a poll', () => {
    const round = planRound([pending('zz', '1'), pending('a', '1', { pollNext: true }), pending('b', '1')], pageOf);
    expect(round.pages).toEqual([]);
    expect(round.polls.map((p) => p.templateId).sort()).toEqual(['a', 'b', 'zz']);
  });

  it('reads nothing for held jobs, but a page owed a look confirms held ones on it for free', () => {
    expect(planRound([pending('a', '1', { due: false }), pending('b', '1', { due: false })], pageOf)).toEqual({ pages: [], polls: [] });
    const round = planRound([pending('a', '1'), pending('b', '1', { due: false }), pending('d', '1', { due: false })], pageOf);
    expect(round.pages.map((p) => p.pending.map((x) => x.templateId))).toEqual([['a', 'b']]);
    expect(round.polls).toEqual([]);
  });
});

describe('readPage', () => {
  it('says published, unpublished or absent for each job expected on the page', () => {
    const jobs = [pending('a', '1'), pending('a', '2'), pending('b', '1'), pending('x', '1')];
    const seen = readPage(jobs, [
      { id: 'a', versions: [{ version: '1', state: 'Published' }, { version: '2', state: 'Draft' }] },
      { id: 'b', versions: [] },
    ]);
    expect(jobs.map((j) => seen.get(j))).toEqual(['published', 'unpublished', 'absent', 'absent']);
  });

  it('an absent job is polled next; one seen unpublished too often is polled too', () => {
    const gone = pending('a', '1');
    noteSighting(gone, 'absent');
    expect(gone.pollNext).toBe(true);
    const slow = pending('a', '2');
    for (let i = 1; i < POLL_AFTER_SIGHTINGS; i++) noteSighting(slow, 'unpublished');
    expect(slow.pollNext).toBe(false);
    noteSighting(slow, 'unpublished');
    expect(slow.pollNext).toBe(true);
  });
});

describe('markOvertaken', () => {
  it('marks for a poll what a later job overtook, once a listing has seen it unpublished', () => {
    const early = pending('a', '1', { postedAt: 10, sightings: 1 });
    const unseen = pending('a', '2', { postedAt: 10 });
    const late = pending('b', '1', { postedAt: 30, sightings: 1 });
    markOvertaken([early, unseen, late], 20);
    expect([early.pollNext, unseen.pollNext, late.pollNext]).toEqual([true, false, false]);
  });
});

describe('settle time and retries', () => {
  it('grows when a settled job was still unpublished, shrinks when all were confirmed, within bounds', () => {
    expect(nextSettleMs(25, { allConfirmed: false, settledButUnpublished: true })).toBeGreaterThan(25);
    expect(nextSettleMs(25, { allConfirmed: true, settledButUnpublished: false })).toBeLessThan(25);
    expect(nextSettleMs(25, { allConfirmed: false, settledButUnpublished: false })).toBe(25);
    expect(nextSettleMs(SETTLE_MAX_MS, { allConfirmed: false, settledButUnpublished: true })).toBe(SETTLE_MAX_MS);
    expect(nextSettleMs(SETTLE_MIN_MS, { allConfirmed: true, settledButUnpublished: false })).toBe(SETTLE_MIN_MS);
  });

  it('retries back off from 25 ms to a second', () => {
    expect(retryDelayMs(0)).toBe(25);
    expect(retryDelayMs(1)).toBe(40);
    expect(retryDelayMs(20)).toBe(1000);
  });
});

describe('TemplateDirectory', () => {
  it('places a template on the page of the name-sorted listing that should hold it', () => {
    const d = new TemplateDirectory();
    d.replaceAll(Array.from({ length: 250 }, (_, i) => ({ id: `id-${i}`, name: `t-${String(i).padStart(3, '0')}` })));
    expect(d.pageOf('id-0')).toBe(1);
    expect(d.pageOf('id-99')).toBe(1);
    expect(d.pageOf('id-100')).toBe(2);
    expect(d.pageOf('id-249')).toBe(3);
    expect(d.pageOf('id-5', 10)).toBe(1);
    expect(d.pageOf('nope')).toBeUndefined();
    // A name sorting first shifts everyone after it; a removal shifts them back.
    d.set('new', 'a-first');
    expect(d.pageOf('id-99')).toBe(2);
    d.remove('new');
    expect(d.pageOf('id-99')).toBe(1);
    // Code-unit order, like the emulator: upper case sorts before lower case.
    d.set('upper', 'Z');
    expect(d.pageOf('upper')).toBe(1);
  });
});
