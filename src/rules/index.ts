// All semantic rules over the desired state. Pure: the same state gives the same diagnostics.
import type { Diagnostic } from '../model/diagnostic.js';
import { defaultConfig } from '../model/normalize.js';
import type { DesiredState, Guide, PromptTemplate, PromptVersion, PromptTest, SafetyFilter, SummarySetting } from '../model/types.js';
import { checkFilters } from './filters.js';
import { checkGuides } from './guides.js';
import { checkHiddenText } from './hidden-text.js';
import { checkInjection } from './injection.js';
import { checkLabels } from './labels.js';
import { checkNames } from './names.js';
import { checkPii } from './pii.js';
import { checkGuidePlaceholders, checkPlaceholders, checkVersionPlaceholders } from './placeholders.js';
import { checkReferences } from './references.js';
import { checkSecrets, withoutCredentials } from './secrets.js';
import { checkSummarySettings } from './summaries.js';
import { checkTests } from './tests.js';
import { checkTraffic } from './traffic.js';
import { checkVariables } from './variables.js';
import type { KnownSecret, RuleContext } from './util.js';

export type { RuleContext } from './util.js';

/**
 * Every rule's findings, their messages as the rules wrote them: another rule than
 * secrets/detected may quote a credential (`{{ghp_…}}` is also an undeclared placeholder). The
 * caller masks them once, with the rest of what it reports: the loader does, over every
 * diagnostic of a run (load/loader.ts). A caller with nothing else to report uses `runRules`.
 */
export function ruleFindings(state: DesiredState, ctx: RuleContext = {}): Diagnostic[] {
  return [
    ...checkNames(state),
    ...checkLabels(state),
    ...checkReferences(state, ctx),
    ...checkVariables(state),
    ...checkPlaceholders(state),
    ...checkTraffic(state, ctx),
    ...checkFilters(state),
    ...checkGuides(state),
    ...checkSummarySettings(state),
    ...checkTests(state, ctx),
    ...checkInjection(state),
    ...checkHiddenText(state),
    ...checkSecrets(state, ctx.knownSecrets),
    ...checkPii(state),
  ];
}

/** `ruleFindings` with no message repeating a credential (withoutCredentials), for a caller that prints them as they are. */
export function runRules(state: DesiredState, ctx: RuleContext = {}): Diagnostic[] {
  return withoutCredentials(ruleFindings(state, ctx), ctx.knownSecrets);
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

/** A guide outside the desired state (as TextOnlyVersion): its instruction is still checked. */
export interface TextOnlyGuide {
  guide: Guide;
  /** spec.variables is schema-valid (or absent): references can be checked against it. */
  variablesKnown: boolean;
  /** The instruction is usable: "declared but unused" can be judged. */
  allTextKnown: boolean;
}

/**
 * The rules that look only inside one document's own text (injection, hidden characters, secrets,
 * PII, placeholders and variable declarations), for documents that could not join the desired state. `others` are
 * templates and filters whose description is usable (scanned for secrets); `aiStudio` guides and
 * summary settings whose instruction or prompt is usable, and tests (their names, inputs and canned
 * answers scanned for secrets). Messages as written, like `ruleFindings`.
 */
export function textRuleFindings(
  versions: readonly TextOnlyVersion[],
  others: readonly (PromptTemplate | SafetyFilter)[] = [],
  aiStudio: { guides?: readonly TextOnlyGuide[]; summarySettings?: readonly SummarySetting[]; tests?: readonly PromptTest[] } = {},
  knownSecrets: readonly KnownSecret[] = [],
): Diagnostic[] {
  const guides = aiStudio.guides ?? [];
  const state: DesiredState = {
    templates: others.filter((r): r is PromptTemplate => r.kind === 'PromptTemplate'),
    versions: versions.map((t) => t.version),
    splits: [],
    filters: others.filter((r): r is SafetyFilter => r.kind === 'SafetyFilter'),
    guides: guides.map((g) => g.guide),
    summarySettings: [...(aiStudio.summarySettings ?? [])],
    tests: [...(aiStudio.tests ?? [])],
    config: defaultConfig(),
    files: [],
  };
  const known = { ...state, versions: versions.filter((t) => t.variablesKnown).map((t) => t.version) };
  return [
    ...checkVariables(known),
    ...versions.flatMap((t) => checkVersionPlaceholders(t.version, { unused: t.allTextKnown, variables: t.variablesKnown })),
    // Its data actions are not carried here (only the text and variables): their calls are not judged.
    ...guides.flatMap((g) => checkGuidePlaceholders(g.guide, { unused: g.allTextKnown, variables: g.variablesKnown, actions: false })),
    ...checkInjection(state),
    ...checkHiddenText(state),
    ...checkSecrets(state, knownSecrets),
    ...checkPii(state),
  ];
}

/** `textRuleFindings` with no message repeating a credential (as `runRules`). */
export function runTextRules(...args: Parameters<typeof textRuleFindings>): Diagnostic[] {
  return withoutCredentials(textRuleFindings(...args), args[3]);
}
