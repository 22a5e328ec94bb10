// Identities are unique across all files: the later occurrence is reported, naming the earlier.
// Names are one visible line, and a metadata.name that names nothing is said to be ignored.
import type { Diagnostic } from '../model/diagnostic.js';
import { addressOf, type Addressable, type DesiredState, type SourceLocation } from '../model/types.js';
import { diagnostic, locate, where } from './util.js';
import { invisibleIn } from './invisible.js';
import { describeRun } from './hidden-text.js';
import { foldLookalikes, formNote, lookalikeNote } from '../util/lookalike.js';

/** The field that carries a resource's identity (where a duplicate is reported). */
function identityPath(r: Addressable): string {
  switch (r.kind) {
    case 'PromptTemplate':
    case 'SafetyFilter':
    case 'Guide':
    case 'SummarySetting':
    case 'PromptTest':
      return 'metadata.name';
    case 'PromptVersion':
      return 'spec.version';
    case 'TrafficSplit':
      return 'spec.template';
  }
}

export function checkNames(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  // The first of each address; where it is is looked up only for a duplicate (reading a
  // resource's locations works them out: load/lazy-locations.ts).
  const seen = new Map<string, Addressable>();
  // The first of each free-text name as it looks (look-alikes folded to ASCII, composed: NFC), for
  // names that differ only so.
  const looks = new Map<string, Addressable>();
  const all: Addressable[] = [
    ...state.templates,
    ...state.versions,
    ...state.splits,
    ...state.filters,
    ...state.guides,
    ...state.summarySettings,
    ...state.tests,
  ];
  // Report against file order, so "later" means later in the sorted file list.
  all.sort((a, b) => compareLocations(a.source, b.source));
  for (const r of all) {
    const control = 'name' in r ? controlCharacter(r.name) : undefined;
    if (control) {
      out.push(diagnostic(locate(r, identityPath(r)), 'error', 'names/control-character', `${r.kind} name contains a control character (${control}): names are printed in plans, logs and terminals`));
    }
    // The schema takes metadata.name on every kind; these two are addressed by their spec, so a
    // name there (often copied from a template) would be read as theirs while nothing uses it.
    if ((r.kind === 'PromptVersion' || r.kind === 'TrafficSplit') && r.metadataName !== undefined) {
      const by = r.kind === 'PromptVersion' ? 'spec.template and spec.version' : 'spec.template (one split per template)';
      out.push(
        diagnostic(locate(r, 'metadata.name'), 'warning', 'names/ignored', `metadata.name "${r.metadataName}" is ignored: a ${r.kind} is named by its ${by}, here ${addressOf(r)}; remove metadata.name`),
      );
    }
    // A free-text name (Guide, SummarySetting) may hold any character: one no reader sees makes
    // it another object than the name it prints as, in the plan and in AI Studio alike. Warnings:
    // such a name may be an org's own, adopted by export, and it is still the object's identity.
    const hidden = freeText(r) && !control ? invisibleIn(r.name, 1).findings[0] : undefined;
    if (hidden && freeText(r)) {
      const message = `${r.kind} name "${r.name}" holds ${describeRun(hidden)}, which no reader sees: it names another object than the one it reads as; remove it`;
      out.push(diagnostic(locate(r, identityPath(r)), 'warning', 'names/invisible-character', message));
    }
    const address = identityKey(r);
    const first = seen.get(address);
    if (!first) {
      seen.set(address, r);
      const look = freeText(r) ? `${r.kind}/${foldLookalikes(r.name).toLowerCase()}` : undefined;
      const twin = look === undefined ? undefined : looks.get(look);
      if (look !== undefined && twin === undefined) looks.set(look, r);
      if (twin && freeText(twin) && freeText(r)) {
        const note = lookalikeNote(r.name) || lookalikeNote(twin.name).replace('(it holds', '(that one holds') || formNote(r.name, twin.name);
        out.push(
          diagnostic(
            locate(r, identityPath(r)),
            'warning',
            'names/lookalike',
            `${r.kind} "${r.name}" looks the same as "${twin.name}" at ${where(locate(twin, identityPath(twin)))}${note}: two objects no reader can tell apart; write both alike, or rename one`,
          ),
        );
      }
      continue;
    }
    const at = locate(r, identityPath(r));
    // Documents kept to environments that do not overlap still name one object (environments.ts
    // `singleEnvironmentDiagnostics`): the message says so, or the clash looks like a mistake of ours.
    const apart = disjointEnvironments(first, r);
    const earlier = `${where(locate(first, identityPath(first)))}${apart ? ` (kept to ${apart[0].join(', ')}; this one to ${apart[1].join(', ')})` : ''}`;
    const what =
      r.kind === 'TrafficSplit'
        ? `template "${r.template}" already has a TrafficSplit at ${earlier} (one split per template${apart ? ': routes that differ by environment go in its spec.environments' : ''})`
        : r.kind === 'PromptVersion'
          ? `version ${r.version} of template "${r.template}" is already defined at ${earlier}; add a new version instead${apart ? ' (a label is one content in every environment: promotion compares them)' : ''}`
          : 'name' in first && first.name !== r.name
            ? `${r.kind} "${r.name}" differs only in case from "${first.name}" at ${earlier}; rename one (AI Studio is taken to compare these names without case)`
            : `${r.kind} "${r.name}" is already defined at ${earlier}${apart ? ": a name is one object in every environment; say what differs by environment in one document (a split's spec.environments) or give the other a name of its own" : ''}`;
    out.push(diagnostic(at, 'error', 'names/duplicate', what));
  }
  return out;
}

/** The environments two documents are kept to, when both name theirs and none is in both. */
function disjointEnvironments(a: Addressable, b: Addressable): [string[], string[]] | undefined {
  const x = a.environments;
  const y = b.environments;
  if (!x || !y || x.some((e) => y.includes(e))) return undefined;
  return [x, y];
}

/** Whether `r` is named by free text (any characters), not a name its schema holds to ASCII. */
function freeText(r: Addressable): r is Extract<Addressable, { kind: 'Guide' | 'SummarySetting' }> {
  return r.kind === 'Guide' || r.kind === 'SummarySetting';
}

/** C0 and C1 control characters and DEL (tab included: a name is one visible line). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The first control character in `name`, as "U+001B", if it has one (also for PromptTest case names: rules/tests.ts). */
export function controlCharacter(name: string): string | undefined {
  const control = CONTROL.exec(name);
  return control ? `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/**
 * What makes two documents one object: the address, with AI Studio names compared without case
 * (as the emulator does, E4 in targets/aistudio/assumptions.ts: the second create of "Returns" and
 * "returns" is refused as a duplicate halfway through an apply). A name in another Unicode form
 * (NFD `é`) is another object there, and a look-alike here: the user's bytes are the name.
 */
function identityKey(r: Addressable): string {
  return r.kind === 'Guide' || r.kind === 'SummarySetting' ? `${r.kind}/${r.name.toLowerCase()}` : addressOf(r);
}

function compareLocations(a: SourceLocation, b: SourceLocation): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
