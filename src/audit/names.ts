// The names an audit trail gives the live objects it recorded, by their ids: what `status` calls a
// template that is no longer on the target, which the analytics name only by id. Pure.
import { recordsMentioning } from './trail-lines.js';

/**
 * The name each id of `ids` (without: every id) has in the trail's records of `kind`
 * (`PromptTemplate`): the last record's. A line that is not a record (torn, defaced) names nothing.
 */
export function namesInTrail(text: string, kind: string, ids?: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  const prefix = `${kind}/`;
  for (const record of recordsMentioning(text, prefix)) {
    const { resourceId, address } = record;
    if (typeof resourceId !== 'string' || typeof address !== 'string' || (ids !== undefined && !ids.has(resourceId)) || !address.startsWith(prefix)) continue;
    out.set(resourceId, address.slice(prefix.length));
  }
  return out;
}
