// Config.spec.audit.http: each sink's URL as the audit log will use it, checked at its line by
// validate, where before an unusable sink was only turned off (with a warning) during apply.
import type { Diagnostic } from '../model/diagnostic.js';
import type { Config, SourceLocation } from '../model/types.js';
import { sinkUrlProblem } from '../util/net.js';
import { diagnostic } from './util.js';

export function checkAuditSinks(config: Config): Diagnostic[] {
  const src = config.source;
  if (!src) return [];
  const at = (path: string): SourceLocation => config.locations?.[path] ?? src;
  const out: Diagnostic[] = [];
  config.audit.http.forEach((sink, i) => {
    const problem = sinkUrlProblem(sink.url);
    if (problem) out.push(diagnostic(at(`spec.audit.http.${i}.url`), 'error', 'config/audit-sink', `audit sink ${i + 1}: ${problem}`));
  });
  return out;
}
