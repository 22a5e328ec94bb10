// Waits for publish jobs with as few requests as the contract allows: pending jobs are confirmed
// together, in rounds that read one expanded listing page for many templates (or poll a lone
// job), as confirm-round.ts decides. A job started for a batch is held until the caller has
// nothing else to do (flush) so one round confirms many; an unbatched one gets its round as
// soon as it has had time to settle. A version is settled by its state: a listing showing it
// Published confirms it whatever became of its job.
import { ApiError } from '../../genesys/errors.js';
import { visibleName } from '../../util/escapes.js';
import { heldBackError, jobFailed as failedJob } from '../../genesys/failures.js';
import {
  MAX_HOLD_MS,
  SETTLE_INITIAL_MS,
  nextSettleMs,
  markOvertaken,
  noteSighting,
  planRound,
  readPage,
  retryDelayMs,
  type PendingPublish,
} from './confirm-round.js';
import { CONFIRM_AFTER_STOP_MS } from '../../genesys/gate.js';
import type { TemplateDirectory } from './directory.js';
import { paths } from './paths.js';
import { MAX_PAGE_SIZE, type EntityListing, type WireJob, type WireTemplate, type WireVersion } from './wire.js';

/** The reads a round makes (the client's REST calls). */
export interface ConfirmationReads {
  /**
   * One page of `GET /prompttemplates?expand=versions&pageSize=100`, its templates' shapes
   * unchecked: `malformed` checks only those a round waits on, so another one's answer never fails
   * the publications it holds no part in.
   */
  listPage(pageNumber: number, pageSize: number): Promise<EntityListing<WireTemplate>>;
  /** The page size the listing is read at now (smaller once a page was too large to take in): what a round plans its pages by. */
  pageSize?(): number;
  /** The error a listed template of another shape than promptctl reads is, or undefined. */
  malformed(template: WireTemplate): Error | undefined;
  /** The job; undefined on 404. */
  getJob(templateId: string, label: string, jobId: string): Promise<WireJob | undefined>;
  /** The client's cleaning of the server's words (Transport.scrub), for a Failed job's reasons; none: as they are. */
  scrub?(text: string): string;
  /** The version; undefined on 404. */
  findVersion(templateId: string, label: string): Promise<WireVersion | undefined>;
}

interface Waiter extends PendingPublish {
  /** The content the publish is meant to freeze (PublishOptions.contentHash). */
  contentHash?: string;
  resolve(job: WireJob): void;
  reject(err: unknown): void;
}

export class PublishConfirmations {
  private readonly pending = new Set<Waiter>();
  private settleMs = SETTLE_INITIAL_MS;
  private roundsWithoutClearing = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private round: Promise<void> | undefined;
  private closed: Error | undefined;

  /**
   * `stopped`: the run's stop (an apply's interrupt, DESIGN §5). From then on every pending job is
   * looked at at once, and rounds go on for CONFIRM_AFTER_STOP_MS at most: a job not found
   * published by then ends held back (a confirmation not made; the kind records the publish as
   * started, not confirmed), as every wait of the run ends.
   */
  constructor(
    private readonly reads: ConfirmationReads,
    private readonly directory: TemplateDirectory,
    private readonly now: () => number = Date.now,
    private readonly stopped?: AbortSignal,
  ) {
    stopped?.addEventListener('abort', () => this.onStop(), { once: true });
  }

  /** The stop: every pending job is owed a look now (or when the round under way ends), and its wait shortened. */
  private onStop(): void {
    const now = this.now();
    for (const w of this.pending) this.shorten(w, now);
    if (this.pending.size > 0) this.schedule(now);
  }

  private shorten(w: Waiter, stoppedAt: number): void {
    w.due = true;
    w.deadline = Math.min(w.deadline, stoppedAt + CONFIRM_AFTER_STOP_MS);
  }

  /** Resolves when the version is Published; rejects with ApiError if its job fails or times out. */
  wait(templateId: string, label: string, job: WireJob, opts: { deadline: number; batched: boolean; contentHash?: string }): Promise<WireJob> {
    return new Promise<WireJob>((resolve, reject) => {
      if (this.closed) return reject(this.closed);
      const postedAt = this.now();
      const w: Waiter = { templateId, label, jobId: job.id, postedAt, deadline: opts.deadline, due: !opts.batched, sightings: 0, pollNext: false, resolve, reject };
      if (opts.contentHash) w.contentHash = opts.contentHash;
      this.pending.add(w);
      if (this.stopped?.aborted) {
        this.shorten(w, postedAt);
        return this.schedule(postedAt);
      }
      this.schedule(Math.min(w.due ? postedAt + this.settleMs : postedAt + MAX_HOLD_MS, w.deadline));
    });
  }

  /** The caller waits on nothing else: every held job is owed a look, once the youngest has settled. */
  flush(): void {
    let youngest = 0;
    let held = false;
    for (const w of this.pending) {
      if (!w.due) held = true;
      w.due = true;
      youngest = Math.max(youngest, w.postedAt);
    }
    if (held) this.schedule(youngest + this.settleMs);
  }

  /** Fails every waiter (the client is closing). */
  cancel(reason: Error): void {
    this.closed = reason;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    for (const w of this.pending) w.reject(reason);
    this.pending.clear();
  }

  private schedule(at: number): void {
    if (this.round || at >= this.timerAt) return; // a running round reschedules when it ends
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.startRound(), Math.max(0, at - this.now()));
  }

  private startRound(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    // Held jobs waiting longer than MAX_HOLD_MS are owed a look even without a flush.
    for (const w of this.pending) if (!w.due && (now - w.postedAt >= MAX_HOLD_MS || now >= w.deadline)) w.due = true;
    this.round = this.runRound(now)
      .catch((err: unknown) => {
        // Reads fail into their jobs; anything else must not leave a waiter hanging.
        for (const w of this.pending) if (w.due) this.settle(w, undefined, err);
      })
      .finally(() => {
        this.round = undefined;
        this.afterRound();
      });
  }

  /** The next round: soon for jobs owed a look (letting the youngest settle), else when a hold or deadline runs out. */
  private afterRound(): void {
    if (this.pending.size === 0) return;
    const now = this.now();
    let at = Number.POSITIVE_INFINITY;
    for (const w of this.pending) {
      const owed = w.due ? Math.max(now + retryDelayMs(this.roundsWithoutClearing), w.postedAt + this.settleMs) : w.postedAt + MAX_HOLD_MS;
      at = Math.min(at, owed, w.deadline);
    }
    this.schedule(at);
  }

  private async runRound(now: number): Promise<void> {
    const pageSize = this.reads.pageSize?.() ?? MAX_PAGE_SIZE;
    const plan = planRound([...this.pending] as Waiter[], (id) => this.directory.pageOf(id, pageSize));
    if (plan.pages.length === 0 && plan.polls.length === 0) return;
    let looked = 0;
    let confirmed = 0;
    let settledButUnpublished = false;
    let newestPublished = Number.NEGATIVE_INFINITY;
    const seen = (w: Waiter, published: boolean): void => {
      looked += 1;
      if (published) {
        confirmed += 1;
        newestPublished = Math.max(newestPublished, w.postedAt);
      } else if (now - w.postedAt >= this.settleMs) settledButUnpublished = true;
    };
    await Promise.all([
      ...plan.pages.map(async ({ page, pending }) => {
        let listing: EntityListing<WireTemplate>;
        try {
          listing = await this.reads.listPage(page, pageSize);
        } catch (err) {
          for (const p of pending) if (p.due) this.settle(p as Waiter, undefined, err);
          return;
        }
        const entities = listing.entities ?? [];
        const listed = new Map(entities.map((t) => [t.id, t]));
        const readable = pending.filter((p) => {
          const t = listed.get(p.templateId);
          const err = t && this.reads.malformed(t);
          if (err && p.due) this.settle(p as Waiter, undefined, err);
          return !err;
        });
        for (const [p, sighting] of readPage(readable, entities)) {
          const w = p as Waiter;
          if (!this.pending.has(w)) continue;
          if (sighting === 'published') {
            const other = publishedOther(w, (listing.entities ?? []).find((t) => t.id === w.templateId)?.versions?.find((v) => v.version === w.label));
            if (other) this.settle(w, undefined, other);
            else this.settle(w, done(w));
          } else noteSighting(w, sighting);
          if (sighting !== 'absent') seen(w, sighting === 'published');
        }
      }),
      ...plan.polls.map(async (p) => {
        const w = p as Waiter;
        try {
          const job = await this.poll(w);
          if (job === undefined) {
            w.pollNext = false;
            w.sightings = 0;
            seen(w, false);
          } else {
            seen(w, true);
            this.settle(w, job);
          }
        } catch (err) {
          this.settle(w, undefined, err);
        }
      }),
    ]);
    // A job is timed out only after a look at or past its deadline found it still unpublished.
    // After the stop, a job unpublished at its shortened deadline is held back, not timed out.
    for (const w of this.pending) if (w.due && now >= w.deadline) this.settle(w, undefined, this.expired(w));
    markOvertaken(this.pending, newestPublished);
    this.settleMs = nextSettleMs(this.settleMs, { allConfirmed: looked > 0 && confirmed === looked, settledButUnpublished });
    this.roundsWithoutClearing = [...this.pending].some((w) => w.due) ? this.roundsWithoutClearing + 1 : 0;
  }

  /** One job read: the finished job, undefined while it runs; throws when it failed or is gone. */
  private async poll(w: Waiter): Promise<WireJob | undefined> {
    const job = await this.reads.getJob(w.templateId, w.label, w.jobId);
    if (job) {
      if (job.status === 'Succeeded') {
        // The job says published, not with what: the version says that (only when it was asked).
        if (!w.contentHash) return job;
        const other = publishedOther(w, await this.reads.findVersion(w.templateId, w.label));
        if (other) throw other;
        return job;
      }
      if (job.status === 'Failed') throw jobFailed(w.templateId, w.label, job, (text) => this.reads.scrub?.(text) ?? text);
      if (this.now() >= w.deadline) throw this.expired(w);
      return undefined;
    }
    // The job is gone (the server forgot it, or the version was deleted): the version tells the outcome.
    const version = await this.reads.findVersion(w.templateId, w.label);
    if (version?.state === 'Published') {
      const other = publishedOther(w, version);
      if (other) throw other;
      return done(w);
    }
    throw new ApiError(
      version
        ? `publish job ${visibleName(w.jobId)} for version ${w.label} of prompt template ${w.templateId} disappeared before finishing`
        : `version ${w.label} of prompt template ${w.templateId} was deleted while it was being published`,
      404,
      'not.found',
      undefined,
      'GET',
      paths.job(w.templateId, w.label, w.jobId),
    );
  }

  /** A job still running at its deadline: timed out, or after the run's stop (which shortened every wait) held back: a confirmation not made. */
  private expired(w: Waiter): ApiError {
    return this.stopped?.aborted ? heldBackError({ method: 'GET', path: paths.job(w.templateId, w.label, w.jobId) }) : timeout(w);
  }

  private settle(w: Waiter, job: WireJob | undefined, err?: unknown): void {
    if (!this.pending.delete(w)) return;
    if (job) w.resolve(job);
    else w.reject(err);
  }
}

/**
 * A version the listing shows Published with other content than the publish meant to freeze
 * (edited between our write and the job): the error to report, or undefined.
 */
export function publishedOther(w: Pick<PendingPublish, 'templateId' | 'label'> & { contentHash?: string }, listed: Pick<WireVersion, 'contentHash'> | undefined): ApiError | undefined {
  if (!w.contentHash || !listed?.contentHash || listed.contentHash === w.contentHash) return undefined;
  return new ApiError(
    `version ${w.label} of prompt template ${w.templateId} was published holding other content than was written (content hash ${w.contentHash.slice(0, 12)} → ${listed.contentHash.slice(0, 12)}): it was edited between the write and the publish`,
    409,
    'version.mismatch',
    undefined,
    'POST',
    paths.jobs(w.templateId, w.label),
  );
}

/** What a confirmed publication resolves to when no job read said so. */
function done(w: PendingPublish): WireJob {
  return { id: w.jobId, status: 'Succeeded', errors: [], selfUri: paths.job(w.templateId, w.label, w.jobId) };
}

/** A Failed publish job as an error naming its reasons. */
export function jobFailed(templateId: string, label: string, job: WireJob, scrub: (text: string) => string): ApiError {
  return failedJob(`publishing version ${label} of prompt template ${templateId}`, job, 'POST', paths.jobs(templateId, label), scrub);
}

function timeout(w: PendingPublish): ApiError {
  return new ApiError(
    `publishing version ${w.label} of prompt template ${w.templateId} did not finish in time (job ${visibleName(w.jobId)} still Running)`,
    0,
    'job.timeout',
    undefined,
    'GET',
    paths.job(w.templateId, w.label, w.jobId),
  );
}
