// Config.spec.audit.http: each sink's URL as the audit log will use it, checked at its line by
// validate, where before an unusable sink was only turned off (with a warning) during apply; and
// its signing key's variable (DESIGN §5: a sink gets each record with an HMAC-SHA256 signature
// header), without which every record would reach it unsigned. And the trail's file, audit.file,
// which apply writes and locks beside: one no file system takes failed apply as an internal error.
import type { Diagnostic } from '../model/diagnostic.js';
import type { Config, SourceLocation } from '../model/types.js';
import { unusablePath } from '../util/inside.js';
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
    if (!sink.secretEnv) {
      out.push(
        diagnostic(
          at(`spec.audit.http.${i}.url`),
          'error',
          'config/audit-sink',
          `audit sink ${i + 1}: no secretEnv: each record is posted with an X-Promptctl-Signature header, HMAC-SHA256 with the key in the variable secretEnv names; without one its receiver would get records anyone could have sent: add secretEnv: NAME and set NAME`,
        ),
      );
    }
  });
  return out;
}

/** `spec.audit.file` that no file system takes (the check `{file:}` references get: file-ref/invalid), at its value. */
export function checkAuditFile(config: Config): Diagnostic[] {
  const src = config.source;
  const file = config.audit.file;
  const unusable = file === undefined ? undefined : unusablePath(file);
  if (!src || !unusable) return [];
  const at = config.locations?.['spec.audit.file'] ?? src;
  return [diagnostic(at, 'error', 'config/audit-file', `spec.audit.file contains ${unusable}, which no file system takes in a path: apply could not write the audit trail there; name another file`)];
}
