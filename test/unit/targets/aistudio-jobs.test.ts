// AI Studio's wait on a job (a guide's delete, a version's publish): the job and its object read
// in turn, the decisions as data, and the one poll both paths share, over scripted reads.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/genesys/errors.js';
import { alternateRead, jobLook, jobTimeoutMessage, pollJobOrObject, type ObjectLook } from '../../../src/targets/aistudio/jobs.js';

interface Job {
  id: string;
  status: string;
}

const RUNNING: Job = { id: 'job-1', status: 'InProgress' };

describe('the decisions', () => {
  it('reads the job first, then the object, in turn', () => {
    expect([0, 1, 2, 3, 4].map(alternateRead)).toEqual(['job', 'object', 'job', 'object', 'job']);
  });

  it('reads a job as gone (404), finished (in any letter case) or still running', () => {
    expect(jobLook(undefined)).toBe('gone');
    expect(jobLook({ id: 'j', status: 'succeeded' })).toEqual({ job: { id: 'j', status: 'succeeded' } });
    expect(jobLook({ id: 'j', status: 'Failed' })).toEqual({ job: { id: 'j', status: 'Failed' } });
    expect(jobLook(RUNNING)).toBeUndefined();
  });

  it('words a timeout with what, how long, the job and its status (made visible) and the object', () => {
    expect(jobTimeoutMessage('deleting guide g1', 300, 'job-1', 'InProgress', 'the guide still there')).toBe(
      'deleting guide g1 did not finish in 0.3 s: its job job-1 was still InProgress, and the guide still there',
    );
    expect(jobTimeoutMessage('publishing', 120_000, 'j\u001b', 'In\nProgress', 'the version still unread')).toBe(
      'publishing did not finish in 120 s: its job j\\u001b was still In\\u000aProgress, and the version still unread',
    );
  });
});

/** A poll over scripted reads, noting which read each look made. */
function scripted(jobs: Array<Job | undefined>, objects: Array<ObjectLook<string>>, deadlineMs = 10_000) {
  const reads: string[] = [];
  const result = pollJobOrObject<Job, string>({
    what: 'waiting on thing t1',
    deadline: Date.now() + deadlineMs,
    timeoutMs: deadlineMs,
    job: RUNNING,
    jobPath: '/jobs/job-1',
    readJob: async () => (reads.push('job'), jobs.length > 1 ? jobs.shift() : jobs[0]),
    readObject: async () => (reads.push('object'), (objects.length > 1 ? objects.shift() : objects[0])!),
    unread: 'the thing not read',
  });
  return { reads, result };
}

describe('pollJobOrObject', () => {
  it('alternates the reads until the job says it finished, and answers that job', async () => {
    const done = { id: 'job-1', status: 'Succeeded' };
    const { reads, result } = scripted([RUNNING, RUNNING, done], [{ still: 'the thing still there' }]);
    expect(await result).toEqual({ job: done });
    expect(reads).toEqual(['job', 'object', 'job', 'object', 'job']);
  });

  it('finishes as soon as the object read says done, though the job never says it finished', async () => {
    const { reads, result } = scripted([RUNNING], [{ done: 'reached' }]);
    expect(await result).toEqual({ done: 'reached' });
    expect(reads).toEqual(['job', 'object']);
  });

  it('ends as gone when the job reads 404', async () => {
    const { reads, result } = scripted([undefined], [{ still: 'the thing still there' }]);
    expect(await result).toBe('gone');
    expect(reads).toEqual(['job']);
  });

  it('times out in the job timeout words: the job last read, and the object as last read', async () => {
    const { reads, result } = scripted([{ id: 'job-1', status: 'Queued' }], [{ still: 'the thing still there' }], 300);
    const err = await result.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'job.timeout', method: 'GET', path: '/jobs/job-1', status: 0 });
    expect((err as ApiError).message).toBe('waiting on thing t1 did not finish in 0.3 s: its job job-1 was still Queued, and the thing still there');
    expect(reads.slice(0, 2)).toEqual(['job', 'object']);
  });

  it('times out naming the object unread when no look read it', async () => {
    const { reads, result } = scripted([RUNNING], [{ done: 'never read' }], 1);
    const err = await result.then(() => undefined, (e: unknown) => e);
    expect((err as ApiError).message).toBe('waiting on thing t1 did not finish in 0 s: its job job-1 was still InProgress, and the thing not read');
    expect(reads).toEqual([]);
  });
});
