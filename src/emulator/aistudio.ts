// The AI Studio surface of the emulator (DESIGN §3b): its route table, built from the shared
// `paths` (registered in routes.ts), and its runtime: the timers that finish guide jobs once their
// start is durable (InProgress jobs from a previous run resume), the options of E1, E6 and E16, and
// what session turns need from the model simulator. Where the real platform is undocumented the
// emulator's choices are the E-numbers of src/targets/aistudio/assumptions.ts.
import { paths } from '../targets/aistudio/paths.js';
import { createTokenMemo, type TokenMemo } from '../tokens/count.js';
import { completeGuideJob, deleteGuide, getGuideJob, getPublishJob, startPublish } from './aistudio-guide-jobs.js';
import {
  createGuide,
  createGuideVersion,
  getGuide,
  getGuideVersion,
  listGuides,
  patchGuide,
  patchGuideVersion,
  type GuideRuntime,
} from './aistudio-guides.js';
import type { GuideJobRec } from './aistudio-records.js';
import { sessionTurn, type SessionRuntime } from './aistudio-sessions.js';
import {
  createSummarySetting,
  deleteSummarySetting,
  getSummarySetting,
  listSummarySettings,
  putSummarySetting,
  type SummaryRuntime,
} from './aistudio-summaries.js';
import type { Handler } from './context.js';
import { JobTimers } from './job-timers.js';
import { keptListing } from './listing.js';
import type { CompiledFixture } from './responses.js';
import type { Method } from './routes.js';
import type { Store } from './store.js';

export interface AiStudioOptions {
  /** A new guide starts with an empty Draft "1.0" (default true; assumptions.ts E1). */
  newGuideDraft?: boolean;
  /** Answer publish jobs 202 with no body, as the real platform sometimes does (default false; E6). */
  emptyPublishBody?: boolean;
  /**
   * Guide jobs read InProgress for ever, while a publish's version still reaches its state, and a
   * delete's guide is still gone, after publishDelayMs (default false; E6, E7): a job whose status
   * never catches up with what it did.
   */
  jobsNeverFinish?: boolean;
  /**
   * A summary setting created or PUT without summaryType or format gets Concise and TextBlock, as
   * a real org may fill in defaults the Platform API does not document (default false; E16).
   */
  summaryDefaults?: boolean;
}

export class AiStudioRuntime implements GuideRuntime, SessionRuntime, SummaryRuntime {
  readonly newGuideDraft: boolean;
  readonly emptyPublishBody: boolean;
  readonly jobsNeverFinish: boolean;
  readonly summaryDefaults: boolean;
  readonly memo: TokenMemo = createTokenMemo(20_000);
  /** The timers that finish guide jobs. */
  readonly timers: JobTimers;

  constructor(
    private readonly store: Store,
    options: AiStudioOptions = {},
    /** The emulator's response fixtures, if it has any. */
    readonly fixtures: readonly CompiledFixture[] = [],
    now: () => number = Date.now,
  ) {
    this.newGuideDraft = options.newGuideDraft ?? true;
    this.emptyPublishBody = options.emptyPublishBody ?? false;
    this.jobsNeverFinish = options.jobsNeverFinish ?? false;
    this.summaryDefaults = options.summaryDefaults ?? false;
    this.timers = new JobTimers(now);
  }

  /** Arms the timer that finishes an InProgress job (its start is durable by now). */
  readonly schedule = (job: GuideJobRec): void =>
    this.timers.arm(job.id, job.finishAt, (now) =>
      this.store.transact((s) => ({ value: undefined, changed: completeGuideJob(s, job.id, now) })),
    );

  /** Re-arms the jobs a previous run left InProgress. */
  async resume(): Promise<void> {
    const running = await this.store.transact((s) => ({
      value: Object.values(s.guideJobs ?? {}).filter((j) => j.status === 'InProgress'),
      changed: false,
    }));
    running.forEach(this.schedule);
  }

  /** Stops every timer (the emulator is closing). */
  stop(): void {
    this.timers.stop();
  }
}

/** The AI Studio routes; ':x' markers go through `paths` and come back as parameters. */
export function aiStudioRoutes(rt: AiStudioRuntime): Array<[string, Partial<Record<Method, Handler>>]> {
  const G = ':guideId';
  const V = ':version';
  const J = ':jobId';
  return [
    [paths.guides(), { GET: keptListing(listGuides), POST: createGuide(rt) }],
    [paths.guide(G), { GET: getGuide, PATCH: patchGuide }],
    [paths.guideJobs(G), { DELETE: deleteGuide(rt) }],
    [paths.guideJob(G, J), { GET: getGuideJob(rt) }],
    [paths.guideVersions(G), { POST: createGuideVersion }],
    [paths.guideVersion(G, V), { GET: getGuideVersion, PATCH: patchGuideVersion }],
    [paths.guideVersionJobs(G, V), { POST: startPublish(rt) }],
    [paths.guideVersionJob(G, V, J), { GET: getPublishJob(rt) }],
    [paths.sessionTurns(G, ':sessionId'), { POST: sessionTurn(rt) }],
    [paths.summarySettings(), { GET: keptListing(listSummarySettings), POST: createSummarySetting(rt) }],
    [paths.summarySetting(':summarySettingId'), { GET: getSummarySetting, PUT: putSummarySetting(rt), DELETE: deleteSummarySetting }],
  ];
}
