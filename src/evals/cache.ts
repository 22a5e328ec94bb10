// The results cache of `promptctl test`: one small JSON file per call, named by the call's key
// (render.ts), under `.promptctl/cache/tests/`. Only calls the target answered are kept (an
// answer, or a block by a safety filter, with what its refusal says it spent): errors (a version
// not yet applied, a 503) are never cached, so they are retried next time. A file that cannot be
// read or parsed, or whose observation is not of the shape the runner judges (edited by hand,
// written by another build under the same format), is a miss: the call is made again and the
// entry written afresh. An answer that held one of the run's secrets is not kept at all
// (runner.ts `mask`): no credential is saved here, and what is kept is judged as it came, as a
// fresh answer is.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { removeKilledTemps, writeFileAtomic } from '../util/atomic-file.js';
import { CACHE_FORMAT } from './render.js';
import type { Observation } from './types.js';

export const TEST_CACHE_DIR = join('.promptctl', 'cache', 'tests');

/**
 * How old a temp file of an entry's write is before it is taken as abandoned though its pid runs
 * (reused since the kill): a write takes milliseconds, and one cut short only costs a call again.
 */
const ABANDONED_MS = 60 * 60 * 1000;

/** Cache files read at once ahead of a run. */
const READ_AHEAD_FILES = 32;

export interface ResultCache {
  get(key: string): Promise<Observation | undefined>;
  set(key: string, obs: Observation): Promise<void>;
}

interface Entry {
  format: number;
  key: string;
  savedAt: string;
  observation: Observation;
  /**
   * Written by a build that keeps what a blocked call spent (its refusal's usage and cost). A
   * blocked entry without it is a miss: an earlier build kept none, and the report would show a
   * call blocked on its output as costing nothing. Answers, which always kept theirs, stay hits.
   */
  blockedSpend?: true;
  /**
   * Written by a build that keeps the version a blocked call was routed to, where its refusal says
   * it. A blocked entry of an earlier build with no version (a call through a split) is a miss:
   * routedTo could never pass on it. One written since without a version is the target's word.
   */
  blockedRoute?: true;
}

/** A cache in `dir` (absolute). `read: false` (--no-cache) ignores what is there but still records fresh results. */
export function fileResultCache(dir: string, opts: { read: boolean } = { read: true }): ResultCache {
  const file = (key: string): string => join(dir, `${key}.json`);
  return {
    async get(key) {
      if (!opts.read || !/^[0-9a-f]{64}$/.test(key)) return undefined;
      try {
        const e = JSON.parse(await readFile(file(key), 'utf8')) as Entry;
        const kept = e.format === CACHE_FORMAT && e.key === key && isCachedObservation(e.observation);
        const blockedKept = e.observation.outcome !== 'blocked' || (e.blockedSpend === true && (e.observation.version !== undefined || e.blockedRoute === true));
        return kept && blockedKept && !cannedUnnamed(e.observation) ? e.observation : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, observation) {
      if (observation.outcome === 'error' || !/^[0-9a-f]{64}$/.test(key)) return;
      const entry: Entry = { format: CACHE_FORMAT, key, savedAt: new Date().toISOString(), observation, blockedSpend: true, blockedRoute: true };
      try {
        await writeFileAtomic(file(key), `${JSON.stringify(entry, null, 2)}\n`);
      } catch {
        // A cache that cannot be written only costs calls next time.
      }
    },
  };
}

/**
 * A test's canned answer kept without the digest of which response it was (an earlier build kept
 * the test's name alone): a miss, so the call is made again and the report can tell whether the
 * answer is the test's own (the name is the first test's that made the call, or an old name).
 */
function cannedUnnamed(obs: Observation): boolean {
  return obs.canned?.test !== undefined && obs.canned.response === undefined;
}

type Fields = Record<string, unknown>;

const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each of `keys` absent from `o`, or of type `type`. */
const optional = (o: Fields, type: 'string' | 'number' | 'boolean', ...keys: string[]): boolean => keys.every((k) => o[k] === undefined || typeof o[k] === type);

const isFilter = (f: unknown): boolean =>
  isFields(f) && typeof f['name'] === 'string' && typeof f['category'] === 'string' && typeof f['score'] === 'number' && typeof f['action'] === 'string' && typeof f['applied'] === 'boolean';

/**
 * An observation as `set` keeps one (answered or blocked: errors are never kept), every field the
 * assertions and the views read of its type: anything else would fail deep in them, and stop the run.
 */
export function isCachedObservation(v: unknown): v is Observation {
  if (!isFields(v) || (v['outcome'] !== 'answered' && v['outcome'] !== 'blocked')) return false;
  const { usage, blocked, error, filters, canned } = v;
  return (
    typeof v['output'] === 'string' &&
    typeof v['wallMs'] === 'number' &&
    Array.isArray(filters) &&
    filters.every(isFilter) &&
    optional(v, 'string', 'version', 'model', 'finishReason') &&
    optional(v, 'number', 'costUsd', 'latencyMs') &&
    optional(v, 'boolean', 'usageApproximate') &&
    (usage === undefined || (isFields(usage) && typeof usage['completionTokens'] === 'number' && optional(usage, 'number', 'promptTokens', 'totalTokens'))) &&
    (blocked === undefined || (isFields(blocked) && typeof blocked['filter'] === 'string' && typeof blocked['message'] === 'string' && optional(blocked, 'string', 'category', 'stage'))) &&
    (error === undefined || (isFields(error) && typeof error['status'] === 'number' && typeof error['code'] === 'string' && typeof error['message'] === 'string')) &&
    (canned === undefined || (isFields(canned) && optional(canned, 'string', 'test', 'response')))
  );
}

/**
 * Removes from `dir` the temp files of entries whose write was cut short by a kill (`promptctl
 * test` stopped hard mid-write: temp file, then rename), which nothing else would ever remove.
 */
export function removeKilledWrites(dir: string): Promise<void> {
  return removeKilledTemps(dir, { of: (file) => /^[0-9a-f]{64}\.json$/.test(file), staleMs: ABANDONED_MS });
}

/** No cache at all (kept in memory for one run, so that nothing is read or written). */
export function noCache(): ResultCache {
  return { get: async () => undefined, set: async () => undefined };
}

/**
 * `cache` with its entries read ahead for `keys`: the keys it answers, counted before the run,
 * and the same reads then serve the run (each once: an entry set since is read afresh).
 */
export async function readAhead(cache: ResultCache, keys: readonly string[]): Promise<{ cache: ResultCache; answered: ReadonlySet<string> }> {
  const read = new Map<string, Observation>();
  // A few at a time: thousands of open files at once would meet the file limit (EMFILE reads as a miss).
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const obs = await cache.get(key);
      if (obs) read.set(key, obs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_AHEAD_FILES, keys.length) }, reader));
  const answered = new Set(read.keys());
  return {
    answered,
    cache: {
      async get(key) {
        const obs = read.get(key);
        if (obs === undefined) return cache.get(key);
        read.delete(key);
        return obs;
      },
      set: (key, obs) => cache.set(key, obs),
    },
  };
}
