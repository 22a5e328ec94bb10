// What refuses an audit trail before anything is appended to it, apart from a broken chain (the
// walk's, chain-file.ts): with the key set, a trail none of whose records is keyed (keyed records
// after a forgery would vouch for it, DESIGN §5); and an absent trail beside which a sink's cursor
// says it took records of one (the trail moved aside without its cursors).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { noneKeyed, UNKEYED_CAUSES } from './chain-walker.js';
import { sinkProblem, type HttpAuditSink } from './sink.js';
import { cursorsBeside, refuseCutOff } from './sink-cursor.js';

/** A trail that the key cannot vouch for is not appended to (apply says "nothing was applied" after it). */
export class UnkeyedTrailError extends UserError {}

/** The refusal of `path`, RECORDS records none of them keyed, with the key set and no --allow-unkeyed. */
export function unkeyedTrail(path: string, records: number): UnkeyedTrailError {
  const them = records === 1 ? 'it' : 'them';
  return new UnkeyedTrailError(
    `${path}: not keyed: ${noneKeyed(records)}: ${UNKEYED_CAUSES}; promptctl will not append keyed records after ${them}, which would vouch for ${them}. ` +
      `If the key was set after ${records === 1 ? 'this record' : 'these records'}, run again with --allow-unkeyed (until an apply has written the first keyed record: an apply with nothing to change writes none; from then on the trail must stay keyed); ` +
      `if not, keep the file as evidence and compare it with the HTTP sink or an older copy`,
  );
}

/**
 * Refuses an absent trail (`file` does not exist) beside which a configured sink's cursor says it
 * took records: the trail was removed or moved aside without its cursors. apply asks this before
 * it plans, where it would open an existing trail, so that nothing is asked that would be refused
 * (the trail itself is begun only once there is a change to record). Sinks disabled for this run
 * are not asked, as openAuditLog does not resume them.
 */
export async function refuseAbsentTrail(file: string, opts: { sinks?: HttpAuditSink[]; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const env = opts.env ?? process.env;
  const path = resolve(file);
  if (existsSync(path)) return;
  const all = opts.sinks ?? [];
  await refuseAbsent(path, all.filter((s) => sinkProblem(s, env) === null), all);
}

/** The same, for the sinks this run resumes (`sinks`), every configured one's cursor (`all`) named. */
export function refuseAbsent(path: string, sinks: readonly HttpAuditSink[], all: readonly HttpAuditSink[]): Promise<void> {
  return sinks.length === 0 ? Promise.resolve() : cursorsBeside(path, all).then((beside) => refuseCutOff(path, sinks, null, false, beside));
}
