// Guides over HTTP: listing, reading, creating, renaming and deleting them (AI Studio). A create
// of unknown outcome is reconciled by name (and one answered with what is no guide is read back
// by name: genesys/rest.ts createNamed), a rename by reading the guide back; a delete waits
// for its job (or the guide read gone meanwhile) and then for the guide to be gone (A8).
import { ANSWER_SHAPES } from '../answer-shapes.js';
import { ApiError } from '../../genesys/errors.js';
import { visibleName } from '../../util/escapes.js';
import type { Found } from '../../genesys/exchange.js';
import { json, type Landed, type RestClient } from '../../genesys/rest.js';
import { asDuplicateName, BY_NAME, isDuplicateName, jobOutcome } from './assumptions.js';
import { jobFailed } from '../../genesys/failures.js';
import { asJob, poll, pollJobOrObject, seconds } from './jobs.js';
import { paths } from './paths.js';
import type { GuideCreate, GuideStatus, GuideUpdate, WireGuide, WireGuideJob } from './wire.js';

export class Guides {
  constructor(
    private readonly r: RestClient,
    /** Decides "did my create land?" on a reconciliation read. */
    private readonly landed: Landed<GuideCreate, WireGuide>,
    /** How long deleteGuide waits by default. */
    private readonly jobTimeoutMs: number,
  ) {}

  async listGuides(opts: { name?: string; nameContains?: string; status?: GuideStatus } = {}): Promise<WireGuide[]> {
    const all = await this.r.listAll<WireGuide>(paths.guides(), {
      name: opts.name,
      nameContains: opts.nameContains,
      status: opts.status,
      ...BY_NAME,
    }, ANSWER_SHAPES.guide);
    return opts.name === undefined ? all : all.filter((g) => g.name === opts.name);
  }

  getGuide(guideId: string): Promise<WireGuide> {
    return this.r.get<WireGuide>(paths.guide(guideId), {}, ANSWER_SHAPES.guide);
  }

  createGuide(body: GuideCreate): Promise<WireGuide> {
    const holds = (live: WireGuide): boolean => this.landed(body, live);
    return asDuplicateName(
      this.r.createNamed<WireGuide>(
        paths.guides(),
        body,
        'guide',
        async () => (await this.listGuides({ name: body.name }))[0],
        { shape: ANSWER_SHAPES.guide, holds, isDuplicate: isDuplicateName },
      ),
    );
  }

  patchGuide(guideId: string, body: GuideUpdate): Promise<WireGuide> {
    const reconcile = async (): Promise<Found<WireGuide> | undefined> => {
      const live = await this.getGuide(guideId);
      return body.name === undefined || live.name === body.name ? { value: live } : undefined;
    };
    return asDuplicateName(
      this.r.t.call({
        method: 'PATCH',
        path: paths.guide(guideId),
        json: body,
        parse: json<WireGuide>,
        reconcile,
        afterUncertain: async (err) => (isDuplicateName(err) ? reconcile() : undefined),
      }),
    );
  }

  async deleteGuide(guideId: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? this.jobTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const path = paths.guideJobs(guideId);
    const what = `deleting guide ${guideId}`;
    // A8: a job, no body, or (after an unknown outcome) 404/409 because our first attempt is at work.
    const job = await this.r.t.call<WireGuideJob | undefined>({
      method: 'DELETE',
      path,
      parse: (res) => asJob<WireGuideJob>(res.body),
      afterUncertain: async (err) => (err.status === 404 || err.status === 409 ? { value: undefined } : undefined),
    });
    if (job) {
      let status = jobOutcome(job.status);
      let last: WireGuideJob = job;
      if (status === undefined) {
        const jobPath = paths.guideJob(guideId, job.id);
        // A8: the job's status may lag the deletion, or never move: the guide is read in turn, and a 404 ends the wait.
        const polled = await pollJobOrObject<WireGuideJob, 'deleted'>({
          what,
          deadline,
          timeoutMs,
          job,
          jobPath,
          readJob: () => this.r.getIfExists<WireGuideJob>(jobPath),
          readObject: async () => ((await this.r.getIfExists<WireGuide>(paths.guide(guideId))) ? { still: 'the guide still there' } : { done: 'deleted' }),
          unread: 'the guide not read',
          // After an interrupt it is looked at for a moment more, no longer (poll's `stopped`, DESIGN §5).
          stopped: this.r.stopped,
        });
        if (polled !== 'gone' && 'done' in polled) return;
        if (polled !== 'gone') {
          last = polled.job;
          status = jobOutcome(polled.job.status);
        }
      }
      if (status === 'Failed') throw jobFailed(`deleting guide ${guideId}`, last, 'DELETE', path, (text) => this.r.t.scrub(text));
    }
    // The guide is gone when reading it answers 404.
    try {
      await poll(what, deadline, 'GET', paths.guide(guideId), true, async () =>
        (await this.r.getIfExists<WireGuide>(paths.guide(guideId))) ? undefined : true,
        this.r.stopped,
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'job.timeout') {
        const why = job ? `its job ${visibleName(job.id)} finished` : 'the server started it without returning a job';
        throw new ApiError(`${what}: ${why}, but the guide is still there after ${seconds(timeoutMs)}`, 0, 'job.timeout', undefined, 'GET', paths.guide(guideId));
      }
      throw err;
    }
  }
}
