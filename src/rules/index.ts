// All semantic rules over the desired state. Pure: the same state gives the same diagnostics.
import type { Diagnostic } from '../model/diagnostic.js';
import { defaultConfig } from '../model/normalize.js';
import type { DesiredState, PromptTemplate, PromptVersion, SafetyFilter } from '../model/types.js';
import { checkFilters } from './filters.js';
import { checkInjection } from './injection.js';
import { checkNames } from './names.js';
import { checkPii } from './pii.js';
import { checkPlaceholders, checkVersionPlaceholders } from './placeholders.js';
import { checkReferences } from './references.js';
import { checkSecrets } from './secrets.js';
import { checkTraffic } from './traffic.js';
import { checkVariables } from './variables.js';
import type { RuleContext } from './util.js';

export type { RuleContext } from './util.js';

export function runRules(state: DesiredState, ctx: RuleContext = {}): Diagnostic[] {
  return [
    ...checkNames(state),
    ...checkReferences(state, ctx),
    ...checkVariables(state),
    ...checkPlaceholders(state),
    ...checkTraffic(state, ctx),
    ...checkFilters(state),
    ...checkInjection(state),
    ...checkSecrets(state),
    ...checkPii(state),
  ];
}

/**
 * A version whose document failed the schema (or whose `{file: ...}` text could not be read)
 * elsewhere than its text: only the usable texts are set, the rest are "". It is not part of the
 * desired state (no references, duplicates or budgets), but its own text is still checked, so one
 * run reports every problem.
 */
export interface TextOnlyVersion {
  version: PromptVersion;
  /** spec.variables is schema-valid (or absent): placeholders can be checked against it. */
  variablesKnown: boolean;
  /** Both systemInstruction and userTemplate are usable: "declared but unused" can be judged. */
  allTextKnown: boolean;
}

/**
 * The rules that look only inside one document's own text (injection, secrets, PII, placeholders
 * and variable declarations), for documents that could not join the desired state. `others` are
 * templates and filters whose description is usable (scanned for secrets).
 */
export function runTextRules(versions: readonly TextOnlyVersion[], others: readonly (PromptTemplate | SafetyFilter)[] = []): Diagnostic[] {
  const state: DesiredState = {
    templates: others.filter((r): r is PromptTemplate => r.kind === 'PromptTemplate'),
    versions: versions.map((t) => t.version),
    splits: [],
    filters: others.filter((r): r is SafetyFilter => r.kind === 'SafetyFilter'),
    config: defaultConfig(),
    files: [],
  };
  const known = { ...state, versions: versions.filter((t) => t.variablesKnown).map((t) => t.version) };
  return [
    ...checkVariables(known),
    ...versions.flatMap((t) => checkVersionPlaceholders(t.version, { unused: t.allTextKnown, variables: t.variablesKnown })),
    ...checkInjection(state),
    ...checkSecrets(state),
    ...checkPii(state),
  ];
}
