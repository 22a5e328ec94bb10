// What a line of the audit trail must hold to be a record of its format (record.ts): the fields,
// their types and how intents, outcomes and recoveries pair up. The chain itself (hashes, order,
// open intents) is ChainWalker's; this judges one parsed line alone, for the writer and verify.

const HEX64 = /^[0-9a-f]{64}$/;

const OUTCOMES_V1: readonly string[] = ['success', 'failure', 'conflict', 'skipped'];
/**
 * `unknown`: the write may or may not have landed. Written by the run itself (its answer lost, no
 * read could tell), it leaves its intent open: a later apply reads the org and settles it as after
 * a kill -9. Written by such a settling (`recoveredBy`: what it read cannot tell either), it closes
 * the intent for good: live state only moves further away, so no later read would tell more.
 */
const OUTCOMES_V2: readonly string[] = [...OUTCOMES_V1, 'succeeded (recovered)', 'not applied', 'unknown'];

/** What an outcome's `confirmedBy` may say (record.ts AuditConfirmation). */
const CONFIRMATIONS: readonly unknown[] = ['read'];

function commonProblem(r: Record<string, unknown>): string | null {
  if (!Number.isSafeInteger(r.seq) || (r.seq as number) < 1) return 'seq is missing or not a positive integer';
  for (const k of ['timestamp', 'actor', 'planId', 'address', 'action'] as const) {
    if (typeof r[k] !== 'string') return `${k} is missing or not a string`;
  }
  for (const k of ['commit', 'resourceId', 'correlationId'] as const) {
    if (r[k] !== null && typeof r[k] !== 'string') return `${k} is missing or not a string or null`;
  }
  for (const k of ['before', 'after'] as const) {
    if (r[k] !== null && (typeof r[k] !== 'object' || Array.isArray(r[k]))) return `${k} is missing or not an object or null`;
  }
  if (r.error !== undefined && typeof r.error !== 'string') return 'error is not a string';
  if (typeof r.prevHash !== 'string' || !HEX64.test(r.prevHash)) return 'prevHash is missing or not 64 hex digits';
  if (typeof r.hash !== 'string' || !HEX64.test(r.hash)) return 'hash is missing or not 64 hex digits';
  return null;
}

export function shapeProblemV1(r: Record<string, unknown>): string | null {
  const common = commonProblem(r);
  if (common) return common;
  if (typeof r.outcome !== 'string' || !OUTCOMES_V1.includes(r.outcome)) return 'outcome is missing or unknown';
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `{runId, repository?}`, as `ci` and `recoveredBy.ci` are written. */
function isCiRun(v: unknown): boolean {
  return isObject(v) && typeof v.runId === 'string' && (v.repository === undefined || typeof v.repository === 'string');
}

export function shapeProblemV2(r: Record<string, unknown>): string | null {
  const common = commonProblem(r);
  if (common) return common;
  if (r.type !== 'intent' && r.type !== 'outcome') return 'type is missing or not "intent" or "outcome"';
  if (r.type === 'intent' && r.format !== 2) return 'an intent is not format 2';
  if (r.alg !== 'sha256' && r.alg !== 'hmac-sha256') return 'alg is missing or not "sha256" or "hmac-sha256"';
  if (r.org !== null && !(isObject(r.org) && typeof r.org.id === 'string' && typeof r.org.host === 'string')) {
    return 'org is missing or not {id, host} or null';
  }
  if (r.environment !== undefined && typeof r.environment !== 'string') return 'environment is not a string';
  if (r.dirty !== undefined && r.dirty !== true) return 'dirty is not true';
  if (r.ci !== undefined && !isCiRun(r.ci)) return 'ci is not {runId, repository?}';
  for (const k of ['before', 'after'] as const) {
    const s = r[k];
    if (s === null) continue;
    if (!isObject(s) || !('version' in s) || !('hash' in s) || !('content' in s)) return `${k} is not {version, hash, content} or null`;
  }
  if (r.cascade !== undefined) {
    const ok = Array.isArray(r.cascade) && r.cascade.every((s) => isObject(s) && typeof s.address === 'string' && 'version' in s && 'hash' in s && 'content' in s);
    if (!ok) return 'cascade is not a list of {address, version, hash, content}';
  }
  if (r.type === 'intent') {
    // Absent is not null: an intent holds `outcome: null` until its outcome record follows.
    if (r.outcome === undefined) return 'outcome is missing (an intent holds "outcome": null)';
    if (r.outcome !== null) return 'an intent has an outcome';
    if (r.intent !== undefined) return 'an intent names an intent';
    if (r.confirmedBy !== undefined) return 'an intent has confirmedBy';
    const run = r.run;
    if (!isObject(run) || typeof run.id !== 'string' || typeof run.host !== 'string' || !Number.isSafeInteger(run.pid) || (run.started !== undefined && typeof run.started !== 'string')) {
      return 'run is missing or not {id, host, pid, started?}';
    }
  } else {
    if (typeof r.outcome !== 'string' || !OUTCOMES_V2.includes(r.outcome)) return 'outcome is missing or unknown';
    if (r.intent !== null && !(Number.isSafeInteger(r.intent) && (r.intent as number) >= 1)) return 'intent is missing or not a seq or null';
    if (r.run !== undefined) return 'an outcome has a run';
    // Only a success this run saw is claimed, and said how it was known; a recovery's is read by definition.
    if (r.confirmedBy !== undefined) {
      if (!CONFIRMATIONS.includes(r.confirmedBy)) return 'confirmedBy is not "read"';
      if (r.outcome !== 'success') return 'confirmedBy on an outcome that is not "success"';
    }
    const recovered = r.outcome === 'succeeded (recovered)' || r.outcome === 'not applied';
    if (recovered && (r.intent === null || !isObject(r.recoveredBy))) return `a "${r.outcome}" outcome names no intent or no recoveredBy`;
    if (r.outcome === 'unknown' && r.intent === null) return 'an "unknown" outcome names no intent';
    // Format 3 is the unknown outcome's own: an older promptctl then says to upgrade.
    if ((r.outcome === 'unknown') !== (r.format === 3)) return r.format === 3 ? 'a format-3 record is not an "unknown" outcome' : 'an "unknown" outcome is not format 3';
    // An unknown outcome may name the run that settled its intent as unknown (see OUTCOMES_V2).
    if (!recovered && r.outcome !== 'unknown' && r.recoveredBy !== undefined) return 'recoveredBy on an outcome that was not recovered';
    if (r.recoveredBy !== undefined) {
      const by = r.recoveredBy;
      if (!isObject(by) || typeof by.actor !== 'string' || (by.commit !== null && typeof by.commit !== 'string') || typeof by.planId !== 'string') return 'recoveredBy is not {actor, commit, planId, ci?}';
      // Only a run in CI names one, and older promptctls named none.
      if (by.ci !== undefined && !isCiRun(by.ci)) return 'recoveredBy.ci is not {runId, repository?}';
    }
  }
  return null;
}
