// The worst-case prompt size of one version (DESIGN §4): the fixed text of its system instruction
// and user template counted piece by piece (each stretch between placeholders on its own, so two
// pieces a value separates in every call are never counted as if they joined into fewer tokens),
// every placeholder filled to its variable's bound, plus the chat framing (chat-framing.ts, the
// emulator's too). Pure but for the caller's token memo, which only remembers counts.
import type { Config, PromptTemplate, PromptVersion, Variable } from '../model/types.js';
import { DEFAULT_VARIABLE_TOKENS } from '../model/normalize.js';
import type { EncodingName, TokenMemo } from './count.js';
import { resolveModel, type ModelInfo } from './registry.js';
import { versionAddress } from '../model/address.js';
import { chatFramingTokens, versionRoles } from './chat-framing.js';

export interface VersionTokenReport {
  address: string;
  model: string;
  encoding: 'o200k_base' | 'cl100k_base';
  approximate: boolean;
  /**
   * The system instruction's fixed text, counted piece by piece: the text split at its
   * placeholders (which the variables' bounds fill), each piece counted on its own and summed,
   * plus one token for each side of a placeholder that touches text (fixedPiecesTokens).
   */
  systemTokens: number;
  /** The user template's fixed text, counted piece by piece as systemTokens. */
  userTemplateTokens: number;
  fewShotTokens: number;
  worstCasePromptTokens: number;
  maxTokens: number | null;
  contextWindow: number;
  costPer1kCalls?: number;
  /**
   * Without maxTokens, the output a call may take is the model's maximum, or what the context
   * window leaves after the worst-case prompt where that is less (`assumedOutputFrom` says which):
   * the cost assumes it (this many tokens), or, where the model names no maximum, there is no cost
   * (`outputUnbounded`).
   */
  assumedOutputTokens?: number;
  assumedOutputFrom?: 'maxOutputTokens' | 'contextWindow';
  outputUnbounded?: true;
  /**
   * The family whose encoding, context window, output limit and prices a dated snapshot or alias
   * id was counted and priced with (gpt-4o for gpt-4o-2024-05-13): nothing declares the id itself.
   */
  pricedAs?: string;
  /**
   * The worst case with every string variable its maxLength bounds at MAX_TOKENS_PER_CHARACTER
   * tokens a character (beyond DESIGN §4, which counts one): the gateway checks maxLength in
   * characters, and a character may take up to 4 tokens. Present when such a variable is used.
   */
  anyScriptWorstCasePromptTokens?: number;
}

/**
 * The most tokens one character (code point) can take, in both encodings: tiktoken's BPE works on
 * UTF-8 bytes and every byte is a token of its own, so a character is never more tokens than its
 * bytes (at most 4), and "𓀀" (U+13000) repeated is 4 tokens each in o200k_base and cl100k_base
 * (test/unit/tokens/any-script.test.ts). A merge across characters only lowers the count.
 */
export const MAX_TOKENS_PER_CHARACTER = 4;

/** `{{name}}`, tolerating inner spaces as template engines do. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export interface VersionAnalysis {
  report: VersionTokenReport;
  model: ModelInfo;
  /** Indexes into `variables` that fell back to `defaultVariableTokens` and are used at least once. */
  unboundedVariables: number[];
  /**
   * Each declared variable used: its index, the tokens its placeholders add to the worst case, and
   * the field its bound is read from (none: its type or the default bounds it).
   */
  variableTokens: { index: number; tokens: number; field?: BoundField }[];
  /**
   * The worst case at MAX_TOKENS_PER_CHARACTER a character of each string variable bounded by its
   * maxLength, and those variables (index, tokens their placeholders then add); absent without one.
   */
  anyScript?: { worstCasePromptTokens: number; variables: { index: number; tokens: number }[] };
}

/** The model id a version runs on: its own, else its template's. */
export function modelIdOf(v: PromptVersion, template: PromptTemplate | undefined): string | undefined {
  return v.model ?? template?.model;
}

/**
 * Tokens of a text's fixed pieces, the stretches before, between and after its placeholders, each
 * counted on its own (through the memo) and summed, plus one token on each side of a placeholder
 * that touches text or another placeholder: an upper bound of what every call sends besides the
 * values' own bounds. Not the text with its placeholders deleted: the pieces on either side of a
 * placeholder would then join ("Dear . Order ." reads ". " as one token) into fewer tokens than a
 * call sends once a value sits between them. And a value re-splits what it touches: "Ref" and
 * "the" send "Refthe" (3 tokens, not 1 + 1), "<" and ".NET" send "<.NET" (3, not 1 + 1), "x  "
 * and "1" send "x  1" (4, not 2 + 1): one more token a side covers every such join (checked over
 * random pieces and values of letters, digits, blanks, line breaks, punctuation, CJK and emoji, in
 * both encodings; test/unit/tokens/worst-case.test.ts).
 */
export function fixedPiecesTokens(text: string, encoding: EncodingName, memo: TokenMemo): number {
  let tokens = 0;
  let from = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    // Text before it: counted, and one token for the join. Another placeholder right before it
    // ("{{a}}{{b}}"): one token for that join, once.
    if (m.index > from) tokens += memo.count(text.slice(from, m.index), encoding) + 1;
    else if (from > 0) tokens++;
    from = m.index + m[0].length;
    // Text after it: one token for that join (the text is counted with the next piece).
    if (from < text.length && !startsWithPlaceholder(text, from)) tokens++;
  }
  if (from < text.length) tokens += memo.count(text.slice(from), encoding);
  return tokens;
}

/** PLACEHOLDER where it is asked for (sticky): made once, not once a placeholder (validate counts every version's). */
const PLACEHOLDER_AT = new RegExp(PLACEHOLDER.source, 'y');

/** Whether a placeholder starts at `at` (its join is counted once, as the one before it). */
function startsWithPlaceholder(text: string, at: number): boolean {
  PLACEHOLDER_AT.lastIndex = at;
  return PLACEHOLDER_AT.test(text);
}

/** Placeholder name → number of occurrences in the system instruction and user template. */
export function placeholderCounts(v: PromptVersion): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of [v.systemInstruction, v.userTemplate]) {
    for (const m of text.matchAll(PLACEHOLDER)) {
      const name = m[1]!;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Tokens a value of `variable` can take at most, and whether that is only the configured default.
 * A declared default is part of the bound: the gateway sends it, unchecked against maxTokens (and
 * against a maxLength that a `variables/default-too-long` error already reports), whenever a call
 * leaves the variable out.
 */
export function variableBound(
  variable: Variable,
  model: ModelInfo,
  defaultTokens: number,
  memo: TokenMemo,
): { tokens: number; unbounded: boolean; field?: BoundField } {
  const declared = declaredBound(variable, model, defaultTokens, memo);
  if (variable.default === undefined) return declared;
  return { ...declared, tokens: Math.max(declared.tokens, memo.count(String(variable.default), model.encoding)) };
}

/** The declaration field a variable's bound is read from, where one is. */
export type BoundField = 'maxTokens' | 'maxLength' | 'values';

/** The longest text of a JavaScript number: "-1.7976931348623157e+308". */
const NUMBER_TEXT_MAX = 24;

/** The bound the declaration states (enum values, maxTokens, a string's maxLength, boolean, number), else the configured default. */
function declaredBound(
  variable: Variable,
  model: ModelInfo,
  defaultTokens: number,
  memo: TokenMemo,
): { tokens: number; unbounded: boolean; field?: BoundField } {
  // An enum's values are all it can take: its bound is the longest of them in tokens, not its
  // maxLength (characters, which undercounts "🧿🧿🧿", 3 characters and 6 tokens) nor its maxTokens.
  if (variable.type === 'enum') return { tokens: enumBound(variable, model, memo), unbounded: false, field: 'values' };
  if (variable.maxTokens !== undefined) return { tokens: variable.maxTokens, unbounded: false, field: 'maxTokens' };
  // The gateway checks maxLength on strings and enums only: on a number or boolean it bounds nothing.
  if (variable.maxLength !== undefined && variable.type === 'string') {
    return { tokens: variable.maxLength, unbounded: false, field: 'maxLength' };
  }
  if (variable.type === 'boolean') {
    return { tokens: Math.max(memo.count('true', model.encoding), memo.count('false', model.encoding)), unbounded: false };
  }
  // A number is written as its JavaScript text, at most NUMBER_TEXT_MAX characters, none of them
  // more than one token.
  if (variable.type === 'number') return { tokens: NUMBER_TEXT_MAX, unbounded: false };
  return { tokens: defaultTokens, unbounded: true };
}

/**
 * The tokens of an enum's longest value the gateway takes: it refuses a value longer than the
 * enum's maxLength (in characters) or maxTokens (targets/llmgateway/variables.ts), which
 * variables/max-length reports of the values. An enum without values is variables/enum-values'
 * error, bounded by the values it will list: counted as nothing meanwhile, so no budget error
 * stands on a made-up bound.
 */
function enumBound(variable: Variable, model: ModelInfo, memo: TokenMemo): number {
  let most = 0;
  for (const value of variable.values ?? []) {
    if (variable.maxLength !== undefined && [...value].length > variable.maxLength) continue;
    const tokens = memo.count(value, model.encoding);
    if (variable.maxTokens !== undefined && tokens > variable.maxTokens) continue;
    most = Math.max(most, tokens);
  }
  return most;
}

/** Counts and bounds one version. Throws when its model is unknown: check `resolveModel` first. */
export function analyseVersion(
  v: PromptVersion,
  template: PromptTemplate | undefined,
  config: Config,
  memo: TokenMemo,
): VersionAnalysis {
  const modelId = modelIdOf(v, template);
  const model = modelId === undefined ? undefined : resolveModel(modelId, config);
  if (!model) {
    throw new Error(`${versionAddress(v.template, v.version)}: unknown model ${JSON.stringify(modelId ?? null)}`);
  }
  const enc = model.encoding;
  // A placeholder's own text is not sent: its variable's value is, counted below at its bound.
  const systemTokens = fixedPiecesTokens(v.systemInstruction, enc, memo);
  const userTemplateTokens = fixedPiecesTokens(v.userTemplate, enc, memo);
  let fewShotTokens = 0;
  for (const ex of v.fewShotExamples) fewShotTokens += memo.count(ex.input, enc) + memo.count(ex.output, enc);

  const defaultTokens = config.defaultVariableTokens ?? DEFAULT_VARIABLE_TOKENS;
  const occurrences = placeholderCounts(v);
  const unboundedVariables: number[] = [];
  const perVariable: VersionAnalysis['variableTokens'] = [];
  const anyScriptVariables: { index: number; tokens: number }[] = [];
  let anyScriptExtra = 0;
  let variableTokens = 0;
  for (const [name, times] of occurrences) {
    const index = v.variables.findIndex((x) => x.name === name);
    const variable = v.variables[index];
    // An undeclared placeholder is the placeholder rule's error; here it still takes the default.
    const bound: ReturnType<typeof variableBound> = variable ? variableBound(variable, model, defaultTokens, memo) : { tokens: defaultTokens, unbounded: false };
    if (bound.unbounded) unboundedVariables.push(index);
    if (variable) perVariable.push({ index, tokens: times * bound.tokens, ...(bound.field ? { field: bound.field } : {}) });
    variableTokens += times * bound.tokens;
    // maxLength counts characters, which the worst case takes as 1 token each (DESIGN §4): what the
    // gateway lets through may be up to 4 (a default longer in tokens still bounds it).
    if (variable?.maxLength !== undefined && bound.field === 'maxLength') {
      const most = times * Math.max(MAX_TOKENS_PER_CHARACTER * variable.maxLength, bound.tokens);
      if (most > times * bound.tokens) {
        anyScriptVariables.push({ index, tokens: most });
        anyScriptExtra += most - times * bound.tokens;
      }
    }
  }
  unboundedVariables.sort((a, b) => a - b);

  // The framing every call is billed: each message's 3 tokens and role, the reply's priming.
  const overhead = chatFramingTokens(versionRoles(v.fewShotExamples.length), enc, memo);
  const worst = systemTokens + userTemplateTokens + fewShotTokens + variableTokens + overhead;
  const maxTokens = v.maxTokens ?? null;

  const report: VersionTokenReport = {
    address: versionAddress(v.template, v.version),
    model: model.id,
    encoding: enc,
    approximate: model.approximate,
    systemTokens,
    userTemplateTokens,
    fewShotTokens,
    worstCasePromptTokens: worst,
    maxTokens,
    contextWindow: model.contextWindow,
  };
  if (model.pricedAs !== undefined) report.pricedAs = model.pricedAs;
  const anyScript = anyScriptVariables.length > 0 ? { worstCasePromptTokens: worst + anyScriptExtra, variables: anyScriptVariables } : undefined;
  if (anyScript) report.anyScriptWorstCasePromptTokens = anyScript.worstCasePromptTokens;
  const assumed = maxTokens === null ? assumedOutput(worst, model) : undefined;
  const output = maxTokens ?? assumed?.tokens;
  const priced = model.inputCostPer1M !== undefined && model.outputCostPer1M !== undefined;
  // Said only of a cost that assumed it: an unpriced model has none.
  if (priced && assumed !== undefined) {
    report.assumedOutputTokens = assumed.tokens;
    report.assumedOutputFrom = assumed.from;
  }
  if (priced && output === undefined) report.outputUnbounded = true;
  const cost = output === undefined ? undefined : costPer1kCalls(worst, output, model);
  if (cost !== undefined) report.costPer1kCalls = cost;
  return { report, model, unboundedVariables, variableTokens: perVariable, ...(anyScript ? { anyScript } : {}) };
}

/**
 * The output a call without maxTokens may take: the model's maximum output, or what its context
 * window leaves after the worst-case prompt where that is less (gpt-4: 8,192 tokens for prompt and
 * answer together), never below 0. Undefined where the model names no maximum output.
 */
export function assumedOutput(worstCasePrompt: number, model: ModelInfo): { tokens: number; from: 'maxOutputTokens' | 'contextWindow' } | undefined {
  if (model.maxOutputTokens === undefined) return undefined;
  const left = Math.max(0, model.contextWindow - worstCasePrompt);
  return left < model.maxOutputTokens ? { tokens: left, from: 'contextWindow' } : { tokens: model.maxOutputTokens, from: 'maxOutputTokens' };
}

/**
 * List-price cost of 1,000 worst-case calls that each answer with `outputTokens` (the version's
 * maxTokens, else what `assumedOutput` allows: a version without maxTokens is not free to answer),
 * in USD, 4 decimals.
 */
export function costPer1kCalls(promptTokens: number, outputTokens: number, model: ModelInfo): number | undefined {
  if (model.inputCostPer1M === undefined || model.outputCostPer1M === undefined) return undefined;
  const perCall = (promptTokens * model.inputCostPer1M + outputTokens * model.outputCostPer1M) / 1e6;
  return Math.round(perCall * 1000 * 1e4) / 1e4;
}
