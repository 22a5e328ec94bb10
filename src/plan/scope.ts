// `plan --changed-since REF`: which addresses the changed files define, and defined at REF,
// plus what those resources reference. Pure.
import { addressOf, type AnyResource, type DesiredState } from '../model/types.js';
import { templateAddress, versionAddress } from '../model/address.js';

/**
 * The addresses to plan, or null for "everything" (a changed config file can change any plan).
 * `changed` holds paths relative to cwd with `/` separators, as src/git's changedSince gives them;
 * `before`, the addresses the changed files defined at REF: a document removed or moved since
 * (its live object is then deleted, or left pending) is planned with the rest. `configFile`: where
 * the config is read from (promptctl.yaml, relative to cwd), named whether or not it holds one now:
 * a config deleted since REF, or emptied, leaves the state no source to name it by.
 */
export function changedScope(
  state: DesiredState,
  changed: readonly string[],
  before: readonly string[] = [],
  configFile: string | undefined = state.config.source?.file,
): Set<string> | null {
  const files = new Set(changed.map(normalise));
  if (configFile !== undefined && files.has(normalise(configFile))) return null;

  const scope = new Set<string>(before);
  const all: AnyResource[] = [...state.templates, ...state.versions, ...state.splits, ...state.filters, ...state.guides, ...state.summarySettings];
  for (const r of all) {
    if (!definedIn(r, files)) continue;
    scope.add(addressOf(r));
    for (const ref of referencesOf(r)) scope.add(ref);
  }
  return scope;
}

/** Whether a resource's document, or a `{file: ...}` text it reads, is among the changed files. */
function definedIn(r: AnyResource, files: Set<string>): boolean {
  if (files.has(normalise(r.source.file))) return true;
  // A version's texts, a guide's instruction, a summary setting's prompt.
  const texts = 'textFiles' in r ? r.textFiles : undefined;
  return texts !== undefined && Object.values(texts).some((f) => files.has(normalise(f)));
}

function referencesOf(r: AnyResource): string[] {
  switch (r.kind) {
    case 'PromptTemplate':
      return [];
    case 'PromptVersion':
      return [templateAddress(r.template)];
    case 'TrafficSplit':
      return [templateAddress(r.template), ...r.routes.map((x) => versionAddress(r.template, x.version))];
    case 'SafetyFilter':
      return (r.appliesTo?.templates ?? []).map(templateAddress);
    case 'Guide':
    case 'SummarySetting':
      return [];
  }
}

function normalise(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}
