// Decisions for confirming publish jobs, as data (publications.ts does the I/O): which listing
// pages to read and which jobs to poll in a round, what a page says about each pending job, and
// how long to let a job settle before looking. One expanded listing page shows every version's
// state for up to 100 templates, so a page is read when it covers two or more pending jobs; a
// lone job is cheaper to poll (its answer also carries a failure's reasons).

export interface PendingPublish {
  templateId: string;
  label: string;
  jobId: string;
  /** Epoch ms the job was started. */
  postedAt: number;
  /** Epoch ms after which waiting is a timeout. */
  deadline: number;
  /** Owed a look in the next round (a batched job is held until the caller flushes). */
  due: boolean;
  /** Listing rounds in a row that saw the version not yet Published. */
  sightings: number;
  /** Read its job next time: it was not where the listing should show it, or it is slow to publish. */
  pollNext: boolean;
}

export interface Round {
  pages: Array<{ page: number; pending: PendingPublish[] }>;
  polls: PendingPublish[];
}

/** After this many listings show a version unpublished, its job is read (a failed job says why). */
export const POLL_AFTER_SIGHTINGS = 6;

/** What to read this round: pages covering ≥ 2 pending jobs (due or not), polls for due lone jobs. */
export function planRound(pending: readonly PendingPublish[], pageOf: (templateId: string) => number | undefined): Round {
  const byPage = new Map<number, PendingPublish[]>();
  const polls: PendingPublish[] = [];
  for (const p of pending) {
    const page = p.pollNext ? undefined : pageOf(p.templateId);
    if (page === undefined) {
      if (p.due) polls.push(p);
      continue;
    }
    const list = byPage.get(page);
    if (list) list.push(p);
    else byPage.set(page, [p]);
  }
  const pages: Round['pages'] = [];
  for (const [page, list] of [...byPage].sort((a, b) => a[0] - b[0])) {
    // Only worth a request when something on it is owed a look.
    if (!list.some((p) => p.due)) continue;
    if (list.length >= 2) pages.push({ page, pending: list });
    else polls.push(...list.filter((p) => p.due));
  }
  return { pages, polls };
}

export type Sighting = 'published' | 'unpublished' | 'absent';

interface ListedTemplate {
  id: string;
  versions?: ReadonlyArray<{ version: string; state: string }>;
}

/** What one expanded listing page says of each pending job expected on it. */
export function readPage(pending: readonly PendingPublish[], entities: readonly ListedTemplate[]): Map<PendingPublish, Sighting> {
  const byId = new Map(entities.map((t) => [t.id, t]));
  const out = new Map<PendingPublish, Sighting>();
  for (const p of pending) {
    const version = byId.get(p.templateId)?.versions?.find((v) => v.version === p.label);
    // A template elsewhere (the order moved) or a version gone: its job tells the rest.
    out.set(p, !version ? 'absent' : version.state === 'Published' ? 'published' : 'unpublished');
  }
  return out;
}

/** Notes what a listing saw of a job still pending: absent or unpublished jobs may earn a poll. */
export function noteSighting(p: PendingPublish, sighting: Exclude<Sighting, 'published'>): void {
  if (sighting === 'absent') {
    p.pollNext = true;
    return;
  }
  p.sightings += 1;
  if (p.sightings >= POLL_AFTER_SIGHTINGS) p.pollNext = true;
}

/**
 * Jobs seen unpublished although a job started after them is already Published have probably
 * failed (a listing cannot tell failed from slow): their own jobs are read next.
 */
export function markOvertaken(pending: Iterable<PendingPublish>, newestPublishedPostedAt: number): void {
  for (const p of pending) if (p.sightings > 0 && p.postedAt < newestPublishedPostedAt) p.pollNext = true;
}

export const SETTLE_MIN_MS = 5;
export const SETTLE_MAX_MS = 1000;
/** Before anything is learned: publishing is usually quick. */
export const SETTLE_INITIAL_MS = 25;

/**
 * How long to let the youngest job settle before a round, learned from the rounds: up when a
 * round finds a job that had been given the full settle time still unpublished, gently down
 * when a round confirms everything it looked at.
 */
export function nextSettleMs(current: number, round: { allConfirmed: boolean; settledButUnpublished: boolean }): number {
  if (round.settledButUnpublished) return Math.min(SETTLE_MAX_MS, Math.ceil(current * 1.5) + 5);
  if (round.allConfirmed) return Math.max(SETTLE_MIN_MS, Math.floor(current * 0.9));
  return current;
}

/** The wait before another round when jobs are still pending after one: 25 ms growing to 1 s. */
export function retryDelayMs(roundsWithoutClearing: number): number {
  return Math.min(SETTLE_MAX_MS, Math.round(SETTLE_INITIAL_MS * 1.6 ** roundsWithoutClearing));
}

/** How long a publish job is waited for by default (ClientOptions.publishTimeoutMs), and so how long an apply killed meanwhile may leave one running. */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 120_000;

/** A held (batched) job is looked at anyway once it has waited this long for a flush. */
export const MAX_HOLD_MS = 2000;
