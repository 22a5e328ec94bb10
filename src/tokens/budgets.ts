// Token diagnostics for a whole desired state: unknown models (also those the schema refused as
// no model id at all), unbounded variables, context windows, template budgets (DESIGN §4), and
// limits a maxLength at 4 tokens a character would pass (tokens/any-script). Pure but for the
// caller's token memo.
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import type { Config, DesiredState, PromptTemplate, PromptVersion, SourceLocation } from '../model/types.js';
import { resolveModel, suggestModel } from './registry.js';
import { DEFAULT_VARIABLE_TOKENS, DEFAULT_WARN_AT } from '../model/normalize.js';
import type { TokenMemo } from './count.js';
import { analyseVersion, MAX_TOKENS_PER_CHARACTER, modelIdOf, type VersionAnalysis, type VersionTokenReport } from './worst-case.js';
import { templateAddress, versionAddress } from '../model/address.js';
import { textBudgetDiagnostics } from './texts.js';
import { aboveShare, groupThousands, percentOf } from '../util/numbers.js';
import { lookalikeNote } from '../util/lookalike.js';
import { andList } from '../util/plural.js';

const fmt = groupThousands;

function diag(at: SourceLocation, severity: Severity, rule: string, message: string): Diagnostic {
  return { file: at.file, line: at.line, column: at.column, severity, rule, message };
}

function templatesByName(state: DesiredState): Map<string, PromptTemplate> {
  const byName = new Map<string, PromptTemplate>();
  // First definition wins; a duplicate is the uniqueness rule's error.
  for (const t of state.templates) if (!byName.has(t.name)) byName.set(t.name, t);
  return byName;
}

const compareAddress = (a: VersionTokenReport, b: VersionTokenReport): number =>
  a.address < b.address ? -1 : a.address > b.address ? 1 : 0;

/** Analyses every version whose model is known, sorted by address. */
export function analyseAll(state: DesiredState, memo: TokenMemo): { version: PromptVersion; analysis: VersionAnalysis }[] {
  const templates = templatesByName(state);
  const out: { version: PromptVersion; analysis: VersionAnalysis }[] = [];
  for (const v of state.versions) {
    const template = templates.get(v.template);
    const id = modelIdOf(v, template);
    if (id === undefined || !resolveModel(id, state.config)) continue;
    out.push({ version: v, analysis: analyseVersion(v, template, state.config, memo) });
  }
  return out.sort((a, b) => compareAddress(a.analysis.report, b.analysis.report));
}

/**
 * Every version's token report (versions with an unknown model are left out), sorted by address.
 * A version defined twice is reported once, as its first definition (the names/duplicate error is
 * at the second, which not-counted.ts names): two rows of one address could not be told apart, and
 * the second was counted on the first definition's template.
 */
export function tokenReport(state: DesiredState, memo: TokenMemo): VersionTokenReport[] {
  // The first definition of each address in file order, counted or not (a first with an unknown
  // model leaves its address uncounted rather than have the second stand in for it).
  const first = new Map<string, PromptVersion>();
  for (const v of state.versions) {
    const address = versionAddress(v.template, v.version);
    if (!first.has(address)) first.set(address, v);
  }
  return analyseAll(state, memo)
    .filter((x) => first.get(x.analysis.report.address) === x.version)
    .map((x) => x.analysis.report);
}

function unknownModel(id: string, at: SourceLocation, state: DesiredState): Diagnostic {
  const suggestion = suggestModel(id, state.config);
  // A near id may be another real model (gpt-5.1 → gpt-4.1): taking it would swap the model sent
  // to the gateway. Declaring the id stays the other way out (a review), but for an id spelt with a
  // look-alike letter, which no model has.
  const lookalike = lookalikeNote(id);
  const declare = lookalike === '' ? ` If "${id}" is the model you mean, declare it under \`models:\` in promptctl.yaml` : '';
  const hint = suggestion ? `; did you mean "${suggestion}"?${lookalike}${declare}` : '; declare it under `models:` in promptctl.yaml';
  return diag(at, 'error', 'tokens/unknown-model', `unknown model "${id}"${hint}`);
}

/**
 * tokens/unknown-model for a `model` the schema refused as no model id at all (empty, blank,
 * `__proto__`, `gpt 4o`): surely unknown, since `models:` in promptctl.yaml is held to the same
 * spelling, so it is said as an unknown model is, once, with the same suggestion (the schema said
 * "not valid: a model id known to the registry", twice for ""). Declaring it would not help:
 * what an id may be is said instead. `guide`: a Guide may leave its model out.
 */
export function malformedModel(id: string, at: SourceLocation, config: Pick<Config, 'models'>, guide: boolean): Diagnostic {
  const orLeaveOut = guide ? ', or leave model out for an approximate count' : '';
  if (id.trim() === '') {
    return diag(at, 'error', 'tokens/unknown-model', `unknown model "${id}": no model is named; write one, such as "gpt-4o", or one declared under \`models:\` in promptctl.yaml${orLeaveOut}`);
  }
  const suggestion = suggestModel(id, config);
  const hint = suggestion
    ? `; did you mean "${suggestion}"?${lookalikeNote(id)}`
    : `: a model id begins with a letter or digit and holds only letters, digits and . _ : / - (such as "gpt-4o")${orLeaveOut}`;
  return diag(at, 'error', 'tokens/unknown-model', `unknown model "${id.length > 60 ? `${id.slice(0, 60)}…` : id}"${hint}`);
}

export function budgetDiagnostics(state: DesiredState, memo: TokenMemo): Diagnostic[] {
  const out: Diagnostic[] = [];
  const templates = templatesByName(state);

  for (const t of state.templates) {
    if (!resolveModel(t.model, state.config)) out.push(unknownModel(t.model, t.locations['spec.model'] ?? t.source, state));
  }
  for (const v of state.versions) {
    // A version that inherits an unknown model was reported at its template's `spec.model`.
    if (v.model !== undefined && !resolveModel(v.model, state.config)) {
      out.push(unknownModel(v.model, v.locations['spec.model'] ?? v.source, state));
    }
  }

  const defaultTokens = state.config.defaultVariableTokens ?? DEFAULT_VARIABLE_TOKENS;
  for (const { version: v, analysis } of analyseAll(state, memo)) {
    const { report, model } = analysis;
    for (const index of analysis.unboundedVariables) {
      const variable = v.variables[index]!;
      const at = v.locations[`spec.variables.${index}.name`] ?? v.locations[`spec.variables.${index}`] ?? v.source;
      out.push(
        diag(
          at,
          'warning',
          'tokens/unbounded-variable',
          `variable "${variable.name}" has no maxTokens or maxLength; the worst case assumes ${fmt(defaultTokens)} tokens (defaultVariableTokens)`,
        ),
      );
    }
    out.push(...limitDiagnostics(v, templates.get(v.template), analysis));
  }
  out.push(...textBudgetDiagnostics(state, memo));
  return out;
}

function limitDiagnostics(v: PromptVersion, template: PromptTemplate | undefined, analysis: VersionAnalysis): Diagnostic[] {
  const { report, model } = analysis;
  const out: Diagnostic[] = [];
  // Where and how to say it are worked out only for a version that has something to report. The
  // context window holds the reply too: its maxTokens may be the part to cut.
  const at = (withOutput = false) => largestPartLocation(v, analysis, withOutput);
  const approx = model.approximate ? ' (approximate)' : '';
  const worst = report.worstCasePromptTokens;
  const warnAt = template?.budget?.warnAt ?? DEFAULT_WARN_AT;

  // Context window: the prompt and the reply it may ask for must both fit.
  const needed = worst + (v.maxTokens ?? 0);
  const what = () => `worst-case prompt ${fmt(worst)} tokens${approx}` + (v.maxTokens ? ` + maxTokens ${fmt(v.maxTokens)}` : '');
  const windowName = () => `${model.id}'s context window of ${fmt(model.contextWindow)}`;
  if (needed > model.contextWindow) {
    out.push(diag(at(true), 'error', 'tokens/context-window', `${what()} exceeds ${windowName()}`));
  } else if (aboveShare(needed, model.contextWindow, warnAt)) {
    out.push(diag(at(true), 'warning', 'tokens/near-limit', `${what()} is ${percentOf(needed, model.contextWindow)} of ${windowName()} (warnAt ${warnAt})`));
  }

  const budget = template?.budget?.maxPromptTokens;
  const errs = needed > model.contextWindow || (budget !== undefined && worst > budget);
  if (budget !== undefined) {
    const budgetName = () => `the budget of ${fmt(budget)} (${templateAddress(v.template)} budget.maxPromptTokens)`;
    const prompt = () => `worst-case prompt ${fmt(worst)} tokens${approx}`;
    if (worst > budget) {
      out.push(diag(at(), 'error', 'tokens/budget', `${prompt()} exceeds ${budgetName()}`));
    } else if (aboveShare(worst, budget, warnAt)) {
      out.push(diag(at(), 'warning', 'tokens/near-limit', `${prompt()} is ${percentOf(worst, budget)} of ${budgetName()} (warnAt ${warnAt})`));
    }
  }

  // Beyond DESIGN: a prompt within its limits at one token a character that a call of 4 a
  // character takes past them. Said only where the DESIGN worst case does not already err.
  if (!errs && analysis.anyScript) {
    const found = anyScriptDiagnostic(v, analysis, analysis.anyScript, budget);
    if (found) out.push(found);
  }

  // The gateway rejects or caps a reply limit above what the model can produce.
  if (v.maxTokens !== undefined && model.maxOutputTokens !== undefined && v.maxTokens > model.maxOutputTokens) {
    out.push(
      diag(
        v.locations['spec.maxTokens'] ?? v.source,
        'warning',
        'tokens/max-output',
        `maxTokens ${fmt(v.maxTokens)} exceeds ${model.id}'s maximum output of ${fmt(model.maxOutputTokens)} tokens`,
      ),
    );
  }
  return out;
}

/**
 * tokens/any-script: the worst case with each string variable its maxLength bounds at
 * MAX_TOKENS_PER_CHARACTER a character exceeds the context window (with maxTokens) or the
 * budget. The gateway checks maxLength in characters, so such a value is let through and the call
 * refused by the model (context.length.exceeded) or billed past the budget. At the maxLength of
 * the variable that adds the most; undefined when it fits.
 */
function anyScriptDiagnostic(
  v: PromptVersion,
  analysis: VersionAnalysis,
  anyScript: NonNullable<VersionAnalysis['anyScript']>,
  budget: number | undefined,
): Diagnostic | undefined {
  const { model } = analysis;
  const worst = anyScript.worstCasePromptTokens;
  const limits: string[] = [];
  if (worst + (v.maxTokens ?? 0) > model.contextWindow) {
    const plus = v.maxTokens ? `with maxTokens ${fmt(v.maxTokens)} ` : '';
    limits.push(`${plus}above ${model.id}'s context window of ${fmt(model.contextWindow)}`);
  }
  if (budget !== undefined && worst > budget) limits.push(`above the budget of ${fmt(budget)} (${templateAddress(v.template)} budget.maxPromptTokens)`);
  if (limits.length === 0) return undefined;
  const carriers = anyScript.variables.map((x) => ({ ...x, variable: v.variables[x.index]! }));
  const names = carriers.map((c) => `"${c.variable.name}" (maxLength ${fmt(c.variable.maxLength ?? 0)})`);
  const most = carriers.reduce((a, b) => (b.tokens > a.tokens ? b : a));
  const prefix = `spec.variables.${most.index}`;
  const at = v.locations[`${prefix}.maxLength`] ?? v.locations[`${prefix}.name`] ?? v.locations[prefix] ?? v.source;
  const one = carriers.length === 1;
  const approx = model.approximate ? ' (approximate)' : '';
  return diag(
    at,
    'warning',
    'tokens/any-script',
    `${andList(names)} at ${MAX_TOKENS_PER_CHARACTER} tokens a character, as characters from U+10000 up (such as "𓀀") may take, ` +
      `make${one ? 's' : ''} the worst-case prompt ${fmt(worst)} tokens${approx}, ${andList(limits)}: the gateway checks maxLength in characters, ` +
      `so it lets such ${one ? 'a value' : 'values'} through; a maxTokens on ${one ? 'the variable' : 'each'} bounds it in tokens`,
  );
}

/**
 * Over-budget prompts are pointed at their largest part, where an author would start cutting: a
 * text, the few-shot examples, a variable's bound (its maxTokens or maxLength, taken as many times
 * as its placeholder appears; a variable of maxTokens 200,000 behind a one-line instruction is
 * what to cut, not the instruction) or, for the context window, the reply's maxTokens. On a tie
 * the text comes first.
 */
function largestPartLocation(v: PromptVersion, analysis: VersionAnalysis, withOutput: boolean): SourceLocation {
  const { report } = analysis;
  const parts: [SourceLocation | undefined, number][] = [
    [v.locations['spec.systemInstruction'], report.systemTokens],
    [v.locations['spec.userTemplate'], report.userTemplateTokens],
    [v.locations['spec.fewShotExamples'], report.fewShotTokens],
  ];
  for (const { index, tokens, field } of analysis.variableTokens) {
    const prefix = `spec.variables.${index}`;
    parts.push([v.locations[`${prefix}.${field ?? 'name'}`] ?? v.locations[`${prefix}.name`] ?? v.locations[prefix], tokens]);
  }
  if (withOutput && v.maxTokens !== undefined) parts.push([v.locations['spec.maxTokens'], v.maxTokens]);
  let best: SourceLocation | undefined;
  let most = -1;
  for (const [at, tokens] of parts) {
    if (at && tokens > most) {
      best = at;
      most = tokens;
    }
  }
  return best ?? v.source;
}
