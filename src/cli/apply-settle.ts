// What an apply settles before it changes anything: the changes an earlier run left open in the
// audit trail (intents with no outcome: a kill, a crash), judged by what the org holds now (DESIGN
// §5, apply/recovery.ts), and the CI run its records name.
import type { AuditCiRun, AuditLog, AuditOrg } from '../audit/log.js';
import { settleOpenIntents } from '../apply/recovery.js';
import type { GitProvenance } from '../git/index.js';
import { SURFACE_NAMES, addressOfId, idIsParents, liveResourceIds, liveSnapshots, midwayOf, surfaceOfAddress, surfacesServing } from '../kinds/index.js';
import { readLiveParts, type Surface } from '../targets/live.js';
import { visibleName } from '../util/escapes.js';
import { ApiError } from '../genesys/errors.js';
import type { CliContext } from './context.js';
import type { OpenTarget } from './target.js';

/** The CI run applying (GitHub Actions'), which its records name: their `ci`, and `recoveredBy.ci` when settling. */
export function ciRunOf(git: GitProvenance): { ci?: AuditCiRun } {
  return git.runId !== undefined ? { ci: { runId: git.runId, ...(git.repository !== undefined ? { repository: git.repository } : {}) } } : {};
}

/**
 * Settles, from the live state just read, the changes an interrupted earlier run left open, for the
 * run of plan `planId` on `org`. Returns how many it settled: the org may have moved on from a
 * read made before (an earlier run's publish job ending meanwhile).
 */
export async function settleInterrupted(ctx: CliContext, audit: AuditLog, target: OpenTarget, git: GitProvenance, run: { org: AuditOrg | null; planId: string }): Promise<number> {
  if (audit.pendingIntents().length === 0) return 0;
  // Read again: the first read may have begun before the trail was opened (files and target
  // load together), and an intent is settled only by what the org holds after it was written.
  // Only the surfaces the open intents are on: one the org refuses (AI Studio to a gateway-only
  // client; guides where the feature is off, beside summary settings it serves) holds none of them. An intent on a surface that is refused or not served, or of a kind
  // this promptctl does not know, stays open: nothing read can say how it ended.
  const ours = audit.pendingIntents().filter((i) => !run.org || !i.org || i.org.id === run.org.id);
  // Another org's are that org's to settle: said once per org, so that the trail's open intents
  // are never passed over without a word.
  const others = new Map<string, { host: string; n: number }>();
  for (const i of audit.pendingIntents()) {
    if (ours.includes(i) || !i.org) continue;
    const o = others.get(i.org.id) ?? { host: i.org.host, n: 0 };
    o.n += 1;
    others.set(i.org.id, o);
  }
  for (const [id, o] of others) {
    ctx.info(`audit: ${o.n} change${o.n === 1 ? '' : 's'} an earlier run left open on another org (${visibleName(o.host)}, org ${visibleName(id)}): left open; an apply to that org settles ${o.n === 1 ? 'it' : 'them'}`);
  }
  const need = surfacesServing(ours.map((i) => i.address));
  const { live, failed } = await readLiveParts({ gateway: target.api, aistudio: target.aistudio }, need);
  const unread = new Set<Surface>([...(live.unavailable ?? []), ...failed.map((f) => f.surface)]);
  // No AI Studio client: neither of its surfaces was read.
  if (!target.aistudio) for (const s of ['guides', 'summarysettings'] as const) unread.add(s);
  const readable = (address: string): boolean => {
    const surface = surfaceOfAddress(address);
    return surface !== undefined && need[surface] && !unread.has(surface);
  };
  const resourceIds = liveResourceIds(live);
  const settled = await settleOpenIntents(audit, liveSnapshots(live), {
    resourceIds,
    addressOf: addressOfId(resourceIds),
    idIsParents,
    org: run.org,
    by: { actor: git.actor, commit: git.commit, planId: run.planId, ...ciRunOf(git) },
    midway: midwayOf,
    readable: (i) => readable(i.address),
  });
  for (const i of ours) {
    if (readable(i.address)) continue;
    const surface = surfaceOfAddress(i.address);
    // A read that failed is said with its status: a 403 is a refusal, a 5xx or a dropped connection is not.
    const failure = surface === undefined ? undefined : failed.find((f) => f.surface === surface);
    const why =
      surface === undefined
        ? 'a kind this promptctl does not know'
        : failure
          ? `the target's answer to the read of ${SURFACE_NAMES[surface]} was ${readFailure(failure.error)}`
          : `the target does not serve ${SURFACE_NAMES[surface]}`;
    // The address as the trail holds it: anyone may have written it, and a live name may be anything.
    ctx.info(`audit: ${visibleName(i.address)} from an earlier run: left open (${why}; a later apply that can read it settles it)`);
  }
  for (const s of settled) {
    // Settled as unknown for good: why, and that only a person can find out now. Any other
    // outcome with a note says what its record says: a 'not applied' that left a Draft or an
    // empty guide live (partly applied), or an object changed by someone else since.
    const why =
      s.outcome === 'unknown' ? ` (what was read cannot tell${s.note ? `: ${visibleName(s.note)}` : ''}; check it by hand)` : s.note ? ` (${visibleName(s.note)})` : '';
    ctx.info(`audit: ${visibleName(s.address)} from an earlier run: ${s.outcome}${why}`);
  }
  return settled.length;
}

/** A failed read's answer in a few words: its status ("403 missing.any.permissions"), or the transport's failure. */
function readFailure(err: unknown): string {
  if (err instanceof ApiError) return err.status > 0 ? `${err.status} ${err.code}` : `no answer (${err.code})`;
  return 'no answer';
}
