// A canned answer's cached result keeps which response answered (its digest) beside the test that
// made the call: the report tells a test's own answer from another test's by the response, not by
// the name (the first test's that made a shared call, or an old name). An entry an earlier build
// wrote with the name alone cannot tell: it is a miss, made again. A responses file's answer, which
// names no test, stays a hit.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileResultCache } from '../../../src/evals/cache.js';
import { CACHE_FORMAT } from '../../../src/evals/render.js';
import { cannedAsReported, ownAnswerDigests } from '../../../src/evals/responses.js';
import type { Observation } from '../../../src/evals/types.js';
import { cannedAnswerDigest } from '../../../src/util/canned-answer.js';
import { tempDir, type TempDir } from '../../helpers/tmp.js';

const KEY = 'c'.repeat(64);
const RESPONSE = { match: { contains: 'refund' }, output: '{"queue":"billing"}' };
const answered = (canned: Observation['canned']): Observation => ({ outcome: 'answered', version: '2.0.0', output: RESPONSE.output, wallMs: 3, filters: [], ...(canned ? { canned } : {}) });
const entry = (observation: Observation): string => JSON.stringify({ format: CACHE_FORMAT, key: KEY, savedAt: '2026-01-01T00:00:00Z', observation, blockedSpend: true });

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

describe('which canned response answered', () => {
  it('is kept in the cache; an entry naming only the test is a miss, a responses file\'s answer a hit', async () => {
    const cache = fileResultCache(dir.path);
    const named = answered({ test: 'strict-json', response: cannedAnswerDigest(RESPONSE) });
    await cache.set(KEY, named);
    expect(await cache.get(KEY)).toEqual(named);
    await writeFile(join(dir.path, `${KEY}.json`), entry(answered({ test: 'strict-json' })));
    expect(await cache.get(KEY)).toBeUndefined();
    await writeFile(join(dir.path, `${KEY}.json`), entry(answered({})));
    expect(await cache.get(KEY)).toEqual(answered({}));
    await writeFile(join(dir.path, `${KEY}.json`), entry(answered({ test: 7 } as unknown as Observation['canned'])));
    expect(await cache.get(KEY)).toBeUndefined();
  });

  it('is said of a run only where the test\'s own responses would not have given it', () => {
    const own = ownAnswerDigests({ responses: [RESPONSE] });
    const same = cannedAnswerDigest({ match: { template: 'support-triage', contains: 'refund' }, output: RESPONSE.output });
    // Another test's (or an old name's) answer that is the test's own too: nothing said.
    expect(cannedAsReported({ test: 'strict-json', response: same }, 'queue-check', own)).toBeUndefined();
    expect(cannedAsReported({ test: 'queue-check', response: same }, 'queue-check', own)).toBeUndefined();
    // Another answer: said, with whose.
    const other = cannedAnswerDigest({ match: { contains: 'refund' }, output: 'billing, of course' });
    expect(cannedAsReported({ test: 'strict-json', response: other }, 'queue-check', own)).toEqual({ test: 'strict-json' });
    expect(cannedAsReported({ test: 'strict-json', response: cannedAnswerDigest({ ...RESPONSE, finishReason: 'stop' }) }, 'queue-check', own)).toEqual({ test: 'strict-json' });
    // A responses file's; and an emulator that does not say which response (by the name, as before).
    expect(cannedAsReported({}, 'queue-check', own)).toEqual({});
    expect(cannedAsReported({ test: 'strict-json' }, 'queue-check', own)).toEqual({ test: 'strict-json' });
    expect(cannedAsReported({ test: 'queue-check' }, 'queue-check', own)).toBeUndefined();
    expect(cannedAsReported(undefined, 'queue-check', own)).toBeUndefined();
  });
});
