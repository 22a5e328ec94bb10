// Version labels: the one semver grammar (MAJOR.MINOR.PATCH[-pre]), its precedence order, and
// what to say about a near miss; and a guide version's label, MAJOR.MINOR as Genesys numbers them.
// Checked on raw data too, because the classic mistake, an unquoted 1.10, never reaches the model
// as a string.

/**
 * A version label as promptctl accepts it: semver without build metadata, numeric pre-release
 * identifiers without leading zeros (semver §9: "rc.01" is refused).
 */
export const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?$/;

interface Parsed {
  core: [number, number, number];
  pre: string | null;
}

/** The parts of a semver label (build metadata tolerated and ignored); null when it is not one. */
export function parseSemver(s: string): Parsed | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(s);
  if (!m) return null;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ?? null };
}

/**
 * The order of version labels: semver precedence (a pre-release before its release, pre-release
 * identifiers per semver §11). Labels that are not semver sort last, by text.
 */
export function compareVersionLabels(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : byCodeUnit(a, b);
  for (let i = 0; i < 3; i += 1) {
    const d = pa.core[i]! - pb.core[i]!;
    if (d !== 0) return d;
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === null) return 1;
  if (pb.pre === null) return -1;
  return comparePrerelease(pa.pre, pb.pre);
}

/**
 * The newest of `labels` in compareVersionLabels' order, or undefined when there is none: the
 * version that answers a template's calls when no traffic split routes them.
 */
export function newestVersionLabel(labels: Iterable<string>): string | undefined {
  let newest: string | undefined;
  for (const label of labels) if (newest === undefined || compareVersionLabels(label, newest) > 0) newest = label;
  return newest;
}

/** The next patch release of a plain release label ("1.2.3" → "1.2.4"); undefined otherwise. */
export function nextPatch(label: string): string | undefined {
  const p = parseSemver(label);
  return p && p.pre === null && !label.includes('+') ? `${p.core[0]}.${p.core[1]}.${p.core[2] + 1}` : undefined;
}

function comparePrerelease(a: string, b: string): number {
  const xs = a.split('.');
  const ys = b.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i += 1) {
    const x = xs[i];
    const y = ys[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return byCodeUnit(x, y);
  }
  return 0;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface VersionProblem {
  rule: 'version/not-string' | 'version/not-semver' | 'version/not-guide-label';
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
    // A number with no semver spelling (1e3, 0x10, .inf) gets no example made of itself.
    const suggestion = suggestSemver(written);
    const full = SEMVER.test(written)
      ? ''
      : SEMVER.test(suggestion)
        ? ` (and give all three parts, e.g. "${suggestion}")`
        : ' (a version label is MAJOR.MINOR.PATCH[-prerelease], e.g. "1.2.0")';
    return {
      rule: 'version/not-string',
      message: `${field} must be a quoted string: ${reads}. Quote it: ${field}: "${written}"${full}`,
    };
  }
  if (typeof value !== 'string') {
    return { rule: 'version/not-string', message: `${field} must be a quoted string such as "1.0.0"` };
  }
  if (SEMVER.test(value)) {
    if (value.length <= MAX_LABEL_CHARS) return undefined;
    // A semantic version all the same: "not a semantic version" sent the user looking for a typo.
    return { rule: 'version/not-semver', message: `${field} "${clip(value)}" is too long: ${value.length} characters (at most ${MAX_LABEL_CHARS})` };
  }
  const build = /^(.*)(\+[0-9A-Za-z.-]*)$/.exec(value);
  if (build && SEMVER.test(build[1]!)) {
    return {
      rule: 'version/not-semver',
      message: `${field} "${clip(value)}" carries build metadata "${clip(build[2]!)}", which a version label may not have (did you mean "${clip(build[1]!)}"?)`,
    };
  }
  const hint = suggestSemver(value);
  return {
    rule: 'version/not-semver',
    message: `${field} "${clip(value)}" is not a semantic version MAJOR.MINOR.PATCH[-prerelease]${hint !== value && SEMVER.test(hint) ? ` (did you mean "${hint}"?)` : ' (e.g. "1.2.0")'}`,
  };
}

/** The longest version label (schemas/common.schema.json semver's maxLength, the TrafficSplit routes' too). */
export const MAX_LABEL_CHARS = 64;

/** A guide version's label as Genesys numbers them (DESIGN §3b): MAJOR.MINOR, "1.0", "2.0". */
export const GUIDE_VERSION_LABEL = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/**
 * What is wrong with a guide version label (a guide test's `responses:` match), or undefined if
 * nothing; `raw` as checkVersionLabel's. Its likely fix keeps MAJOR.MINOR of what was written.
 */
export function checkGuideVersionLabel(value: unknown, raw: string | undefined, field: string): VersionProblem | undefined {
  if (typeof value === 'number') {
    const written = raw !== undefined && raw.trim() !== '' ? raw.trim() : String(value);
    const reads = written !== String(value) ? `YAML reads the unquoted ${written} as the number ${value}` : `YAML reads the unquoted ${written} as a number`;
    const hint = suggestGuideLabel(written);
    const full = GUIDE_VERSION_LABEL.test(written) ? '' : hint !== undefined ? ` (a guide version label is MAJOR.MINOR, e.g. "${hint}")` : ' (a guide version label is MAJOR.MINOR, e.g. "2.0")';
    return { rule: 'version/not-string', message: `${field} must be a quoted string: ${reads}. Quote it: ${field}: "${GUIDE_VERSION_LABEL.test(written) ? written : (hint ?? written)}"${full}` };
  }
  if (typeof value !== 'string') return { rule: 'version/not-string', message: `${field} must be a quoted string such as "2.0"` };
  if (GUIDE_VERSION_LABEL.test(value) && value.length <= 64) return undefined;
  const hint = suggestGuideLabel(value);
  return {
    rule: 'version/not-guide-label',
    message: `${field} "${clip(value)}" is not a guide version label: Genesys numbers a guide's versions MAJOR.MINOR${hint !== undefined ? ` (did you mean "${hint}"?)` : ' ("1.0", "2.0")'}`,
  };
}

/**
 * Whether the embedded emulator ever labels a guide version `label`: it numbers them 1.0, 2.0, …
 * (targets/aistudio/assumptions.ts E1, E2), so "2.5" or "0.0" is no label it gives.
 */
export function emulatorGuideLabel(label: string): boolean {
  return /^[1-9][0-9]*\.0$/.test(label);
}

/** A guide label near a miss: "v2", "2.0.0" → "2.0"; undefined when nothing is near. */
function suggestGuideLabel(v: string): string | undefined {
  const m = /^[vV]?(\d+)(?:\.(\d+))?(?:\.0)?$/.exec(v.trim());
  return m ? `${Number(m[1])}.${Number(m[2] ?? 0)}` : undefined;
}

/** A plausible semver spelling of a near-miss: "v1.2" → "1.2.0". */
function suggestSemver(v: string): string {
  let s = v.trim().replace(/^[vV](?=\d)/, '');
  // A date (calendar versioning, 2024-01-01) is its year, month and day, not 2024.0.0 with a
  // pre-release "01-01".
  const date = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (date) return `${Number(date[1])}.${Number(date[2])}.${Number(date[3])}`;
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(-.+)?$/.exec(s);
  // Numeric pre-release identifiers lose their leading zeros ("rc.01" → "rc.1").
  const pre = (p: string | undefined): string => (p ? p.replace(/(?<=[-.])0+(?=[0-9]+(?:\.|$))/g, '') : '');
  if (m) s = `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}${pre(m[4])}`;
  return s;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
