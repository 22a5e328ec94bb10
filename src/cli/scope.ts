// `plan --changed-since REF`: which addresses the changed files define, plus what those
// resources reference. Pure.
import { addressOf, type DesiredState, type Resource } from '../model/types.js';

/**
 * The addresses to plan, or null for "everything" (a changed config file can change any plan).
 * `changed` holds paths relative to cwd with `/` separators, as src/git's changedFiles gives them.
 */
export function changedScope(state: DesiredState, changed: readonly string[]): Set<string> | null {
  const files = new Set(changed.map(normalise));
  if (state.config.source && files.has(normalise(state.config.source.file))) return null;

  const scope = new Set<string>();
  const all: Resource[] = [...state.templates, ...state.versions, ...state.splits, ...state.filters];
  for (const r of all) {
    if (!definedIn(r, files)) continue;
    scope.add(addressOf(r));
    for (const ref of referencesOf(r)) scope.add(ref);
  }
  return scope;
}

/** Whether a resource's document, or a `{file: ...}` text it reads, is among the changed files. */
function definedIn(r: Resource, files: Set<string>): boolean {
  if (files.has(normalise(r.source.file))) return true;
  if (r.kind === 'PromptVersion' && r.textFiles) {
    return Object.values(r.textFiles).some((f) => files.has(normalise(f)));
  }
  return false;
}

function referencesOf(r: Resource): string[] {
  switch (r.kind) {
    case 'PromptTemplate':
      return [];
    case 'PromptVersion':
      return [`PromptTemplate/${r.template}`];
    case 'TrafficSplit':
      return [`PromptTemplate/${r.template}`, ...r.routes.map((x) => `PromptVersion/${r.template}@${x.version}`)];
    case 'SafetyFilter':
      return (r.appliesTo?.templates ?? []).map((t) => `PromptTemplate/${t}`);
  }
}

function normalise(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}
