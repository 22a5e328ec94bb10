// Version labels: semver strings. Checked on the raw data (before the model exists), because
// the classic mistake, an unquoted 1.10, never reaches the model as a string.

export const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

export interface VersionProblem {
  rule: 'version/not-string' | 'version/not-semver';
  message: string;
}

/**
 * What is wrong with a version label, or undefined if nothing. `raw` is the scalar as written in
 * the YAML source (it shows what a number was before YAML read it).
 */
export function checkVersionLabel(value: unknown, raw: string | undefined, field = 'version'): VersionProblem | undefined {
  if (typeof value === 'number') {
    const written = raw !== undefined && raw.trim() !== '' ? raw.trim() : String(value);
    const reads = written !== String(value) ? `YAML reads the unquoted ${written} as the number ${value}` : `YAML reads the unquoted ${written} as a number`;
    const full = SEMVER.test(written) ? '' : ` (and give all three parts, e.g. "${suggest(written)}")`;
    return {
      rule: 'version/not-string',
      message: `${field} must be a quoted string: ${reads}. Quote it: ${field}: "${written}"${full}`,
    };
  }
  if (typeof value !== 'string') {
    return { rule: 'version/not-string', message: `${field} must be a quoted string such as "1.0.0"` };
  }
  if (SEMVER.test(value) && value.length <= 64) return undefined;
  const build = /^(.*)(\+[0-9A-Za-z.-]*)$/.exec(value);
  if (build && SEMVER.test(build[1]!)) {
    return {
      rule: 'version/not-semver',
      message: `${field} "${clip(value)}" carries build metadata "${clip(build[2]!)}", which a version label may not have (did you mean "${clip(build[1]!)}"?)`,
    };
  }
  const hint = suggest(value);
  return {
    rule: 'version/not-semver',
    message: `${field} "${clip(value)}" is not a semantic version MAJOR.MINOR.PATCH[-prerelease]${hint !== value && SEMVER.test(hint) ? ` (did you mean "${hint}"?)` : ' (e.g. "1.2.0")'}`,
  };
}

/** A plausible semver spelling of a near-miss: "v1.2" → "1.2.0". */
function suggest(v: string): string {
  let s = v.trim().replace(/^[vV](?=\d)/, '');
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(-.+)?$/.exec(s);
  if (m) s = `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}${m[4] ?? ''}`;
  return s;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
