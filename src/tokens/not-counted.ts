// The prompt versions `tokens` could not count, and why (DESIGN §4): a version whose document the
// load left out (a schema error beside a text that is fine, a YAML error), a loaded version
// whose template is not there or whose model is unknown, and the second definition of a version.
// Pure: what the load returned and the versions counted in, each version's reason and the error
// that explains it out.
import type { Diagnostic } from '../model/diagnostic.js';
import { formatAddress } from '../model/address.js';
import type { DesiredState, SourceLocation } from '../model/types.js';
import { byCodeUnits } from '../util/compare.js';

/**
 * A prompt version `tokens` could not count, and why: the error that says so is among the run's
 * diagnostics, at `file:line:column`. JSON key `notCounted`, present when any (DESIGN §4 fixes
 * `versions`; this is an optional field beside it).
 */
export interface NotCountedVersion {
  address: string;
  /** Why, in words: "its document did not load", "its model "x" is unknown", … */
  reason: string;
  /** The error that explains it. */
  file: string;
  line: number;
  column: number;
}

/** A document the load left out of the desired state (load's `LeftOutDocument`). */
export interface LeftOut {
  kind: string;
  /** `metadata.name`; a PromptVersion's template. */
  name?: string;
  /** A PromptVersion's address, when its template and version are readable. */
  address?: string;
  environments?: readonly string[];
  /** The first error inside it. */
  firstError: SourceLocation;
}

/** What `notCountedVersions` needs of a load (load's `LoadResult`). */
export interface LoadOutcome {
  state: DesiredState | null;
  union: DesiredState | null;
  /** Every problem, sorted by file, line and column. */
  diagnostics: readonly Diagnostic[];
  leftOut: readonly LeftOut[];
  /** promptctl.yaml as the diagnostics name it. */
  configFile: string;
  /** promptctl.yaml failed to load: the models it declares were not known. */
  configDropped: boolean;
}

/**
 * The versions of `loaded` not among `counted` (the reports' addresses), each at the error that
 * explains it, ordered by address. `environment`: the one the load was for (`--env`). Nothing
 * when the load has no error: then every version was counted.
 */
export function notCountedVersions(loaded: LoadOutcome, counted: readonly { address: string }[], environment: string | undefined): NotCountedVersion[] {
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return [];
  const out: NotCountedVersion[] = [];
  const { state, union } = loaded;
  const loadedVersions = new Set((union?.versions ?? []).map((v) => versionAddress(v.template, v.version)));
  const here = (d: LeftOut) => environment === undefined || d.environments === undefined || d.environments.includes(environment);
  for (const d of loaded.leftOut) {
    if (d.kind !== 'PromptVersion' || d.address === undefined || loadedVersions.has(d.address) || !here(d)) continue;
    out.push({ address: d.address, reason: 'its document did not load', ...where(d.firstError) });
  }
  if (state) {
    const countedAddresses = new Set(counted.map((r) => r.address));
    const templates = new Map(state.templates.map((t) => [t.name, t] as const));
    // Only a promptctl.yaml that did not load leaves its models unknown (one with a rule's error keeps them).
    const configError = loaded.configDropped ? errors.find((e) => e.file === loaded.configFile) : undefined;
    const seen = new Set<string>();
    for (const v of state.versions) {
      const address = versionAddress(v.template, v.version);
      const again = seen.has(address);
      seen.add(address);
      // A second definition (only the first can be counted): at names/duplicate's error, its spec.version.
      if (again) {
        out.push({ address, reason: 'it is defined again; only its first definition is counted', ...where(v.locations['spec.version'] ?? v.source) });
        continue;
      }
      if (countedAddresses.has(address)) continue;
      const template = templates.get(v.template);
      const id = v.model ?? template?.model;
      if (id === undefined) {
        const at = v.locations['spec.template'] ?? v.source;
        const unloaded = loaded.leftOut.find((d) => d.kind === 'PromptTemplate' && d.name === v.template && here(d));
        if (unloaded) out.push({ address, reason: `its template "${v.template}" did not load`, ...where(unloaded.firstError) });
        else if (union?.templates.some((t) => t.name === v.template)) out.push({ address, reason: `its template "${v.template}" is not in environment ${environment ?? ''}`.trimEnd(), ...where(at) });
        else out.push({ address, reason: `its template "${v.template}" is not defined`, ...where(at) });
        continue;
      }
      if (configError !== undefined) {
        out.push({ address, reason: `its model "${id}" is not known while promptctl.yaml has errors`, ...where(configError) });
        continue;
      }
      const at = v.model !== undefined ? (v.locations['spec.model'] ?? v.source) : (template!.locations['spec.model'] ?? template!.source);
      out.push({ address, reason: `its model "${id}" is unknown`, ...where(at) });
    }
  }
  return out.sort((a, b) => byCodeUnits(a.address, b.address));
}

const versionAddress = (template: string, version: string): string => formatAddress({ kind: 'PromptVersion', name: template, version });

function where(at: SourceLocation): SourceLocation {
  return { file: at.file, line: at.line, column: at.column };
}
