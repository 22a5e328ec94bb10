// Token counts of AI Studio texts: a Guide's instruction, a SummarySetting's prompt. Genesys does
// not publish the tokenizer of the models behind AI Studio, so without a declared `model` they
// are counted with o200k_base and marked approximate everywhere they are reported. The text is
// counted as written: variable values are filled in by Genesys at run time and have no declared
// bound, so there is no worst case beyond the text itself. Pure but for the caller's memo.
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import { DEFAULT_WARN_AT } from '../model/normalize.js';
import type { DesiredState, Guide, SourceLocation, SummarySetting } from '../model/types.js';
import { addressOf } from '../model/types.js';
import type { EncodingName, TokenMemo } from './count.js';
import { resolveModel, suggestModel, type ModelInfo } from './registry.js';
import { aboveShare, groupThousands, percentOf } from '../util/numbers.js';
import { lookalikeNote } from '../util/lookalike.js';

/** The stand-in encoding for AI Studio texts without a declared model. */
export const AISTUDIO_DEFAULT_ENCODING: EncodingName = 'o200k_base';

export interface TextTokenReport {
  /** "Guide/Returns assistant", "SummarySetting/Voice wrap-up". */
  address: string;
  /** The declared model (a Guide's `model`), or null: counted with the stand-in encoding. */
  model: string | null;
  encoding: EncodingName;
  /** True when the encoding only approximates the real tokenizer (always, without a model). */
  approximate: boolean;
  /** The instruction (Guide) or prompt (SummarySetting), as written. */
  textTokens: number;
  /** The Guide's budget.maxPromptTokens, or null. */
  maxPromptTokens: number | null;
  /** The declared model's context window, or null when no model is declared. */
  contextWindow: number | null;
}

/** A guide whose declared model the registry does not know: not counted, and why (JSON `guidesNotCounted`). */
export interface NotCountedText {
  address: string;
  /** The model it declares. */
  model: string;
  /** Why, in words: `its model "gpt-9" is unknown`. */
  reason: string;
  /** The tokens/unknown-model error that explains it. */
  file: string;
  line: number;
  column: number;
}

export interface AiStudioTokenReport {
  guides: TextTokenReport[];
  summarySettings: TextTokenReport[];
  /** Guides left uncounted, by address; present when any. */
  notCounted?: NotCountedText[];
}

const byAddress = (a: { address: string }, b: { address: string }): number => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

/** The model a guide is counted for: its declared one (undefined when unknown), or the stand-in. */
function guideModel(g: Guide, state: DesiredState): ModelInfo | null | undefined {
  if (g.model === undefined) return null;
  return resolveModel(g.model, state.config);
}

function report(r: Guide | SummarySetting, text: string, model: ModelInfo | null, memo: TokenMemo): TextTokenReport {
  const encoding = model?.encoding ?? AISTUDIO_DEFAULT_ENCODING;
  return {
    address: addressOf(r),
    model: model ? model.id : null,
    encoding,
    approximate: model ? model.approximate : true,
    textTokens: memo.count(text, encoding),
    maxPromptTokens: r.kind === 'Guide' ? (r.budget?.maxPromptTokens ?? null) : null,
    contextWindow: model ? model.contextWindow : null,
  };
}

/** One guide's counts; undefined when its declared model is unknown. */
export function guideTokens(g: Guide, state: DesiredState, memo: TokenMemo): TextTokenReport | undefined {
  const model = guideModel(g, state);
  return model === undefined ? undefined : report(g, g.instruction, model, memo);
}

/**
 * Every guide (with a known or no model) and every summary setting with a prompt, sorted by
 * address; a guide whose model is unknown under `notCounted`, with why, so that no guide goes
 * unmentioned. One defined twice is one row, its first definition (the names/duplicate error is
 * at the second), as for versions (budgets.ts tokenReport): two rows of one address told nothing apart.
 */
export function aiStudioTokenReport(state: DesiredState, memo: TokenMemo): AiStudioTokenReport {
  const guides: TextTokenReport[] = [];
  const notCounted: NotCountedText[] = [];
  for (const g of firstOfEach(state.guides)) {
    const counted = guideTokens(g, state, memo);
    if (counted) guides.push(counted);
    else notCounted.push(unknownModelGuide(g));
  }
  const summarySettings = firstOfEach(state.summarySettings)
    .filter((s) => s.prompt !== undefined)
    .map((s) => report(s, s.prompt!, null, memo));
  const out: AiStudioTokenReport = { guides: guides.sort(byAddress), summarySettings: summarySettings.sort(byAddress) };
  if (notCounted.length > 0) out.notCounted = notCounted.sort(byAddress);
  return out;
}

/** A guide not counted for its unknown model, at the tokens/unknown-model error (its `spec.model`). */
function unknownModelGuide(g: Guide): NotCountedText {
  const at = g.locations['spec.model'] ?? g.source;
  return { address: addressOf(g), model: g.model!, reason: `its model "${g.model!}" is unknown`, file: at.file, line: at.line, column: at.column };
}

/** The first document of each name, in file order. */
function firstOfEach<T extends { name: string }>(documents: readonly T[]): T[] {
  const seen = new Set<string>();
  return documents.filter((d) => !seen.has(d.name) && seen.add(d.name));
}

const fmt = groupThousands;

function diag(at: SourceLocation, severity: Severity, rule: string, message: string): Diagnostic {
  return { file: at.file, line: at.line, column: at.column, severity, rule, message };
}

/** Unknown guide models, context windows and budgets of guides (the `tokens/` rule family). */
export function textBudgetDiagnostics(state: DesiredState, memo: TokenMemo): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const g of state.guides) {
    const model = guideModel(g, state);
    if (model === undefined) {
      const id = g.model!;
      const suggestion = suggestModel(id, state.config);
      const hint = suggestion ? `; did you mean "${suggestion}"?${lookalikeNote(id)}` : '; declare it under `models:` in promptctl.yaml, or leave model out for an approximate count';
      out.push(diag(g.locations['spec.model'] ?? g.source, 'error', 'tokens/unknown-model', `unknown model "${id}"${hint}`));
      continue;
    }
    const r = report(g, g.instruction, model, memo);
    const at = g.locations['spec.instruction'] ?? g.source;
    const approx = r.approximate ? ` (approximate: counted with ${r.encoding}${model ? '' : ', as Genesys does not publish its tokenizer'})` : '';
    const what = `instruction of ${fmt(r.textTokens)} tokens${approx}`;
    const warnAt = g.budget?.warnAt ?? DEFAULT_WARN_AT;
    if (model) {
      const window = `${model.id}'s context window of ${fmt(model.contextWindow)}`;
      if (r.textTokens > model.contextWindow) out.push(diag(at, 'error', 'tokens/context-window', `${what} exceeds ${window}`));
      else if (aboveShare(r.textTokens, model.contextWindow, warnAt)) {
        out.push(diag(at, 'warning', 'tokens/near-limit', `${what} is ${percentOf(r.textTokens, model.contextWindow)} of ${window} (warnAt ${warnAt})`));
      }
    }
    const budget = g.budget?.maxPromptTokens;
    if (budget !== undefined) {
      const name = `the budget of ${fmt(budget)} (budget.maxPromptTokens)`;
      if (r.textTokens > budget) out.push(diag(at, 'error', 'tokens/budget', `${what} exceeds ${name}`));
      else if (aboveShare(r.textTokens, budget, warnAt)) {
        out.push(diag(at, 'warning', 'tokens/near-limit', `${what} is ${percentOf(r.textTokens, budget)} of ${name} (warnAt ${warnAt})`));
      }
    }
  }
  return out;
}
