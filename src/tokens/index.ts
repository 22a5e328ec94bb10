// Token counts and budgets for prompt versions (DESIGN §4, worst case) and for AI Studio texts
// (texts.ts). Pure: no I/O and no module state here; counts go through the caller's TokenMemo
// (count.ts), and the persistent count cache is cache-file.ts, which the CLI loads into and saves
// from that memo around a run.
import type { Config, PromptTemplate, PromptVersion } from '../model/types.js';
import { createTokenMemo, type TokenMemo } from './count.js';
import { analyseVersion, type VersionTokenReport } from './worst-case.js';

export type { VersionTokenReport } from './worst-case.js';
export { createTokenMemo, type TokenMemo, type TokenMemoStats } from './count.js';
export { tokenReport, budgetDiagnostics, malformedModel } from './budgets.js';
export { notCountedVersions, type NotCountedVersion, type LeftOut, type LoadOutcome } from './not-counted.js';
export { aiStudioTokenReport, guideTokens, AISTUDIO_DEFAULT_ENCODING, type AiStudioTokenReport, type NotCountedText, type TextTokenReport } from './texts.js';

/**
 * One version's counts and worst case. Throws when its model is unknown (see `resolveModel`).
 * Without a `memo`, a fresh one serves this call alone (nothing is shared or kept).
 */
export function versionTokens(
  v: PromptVersion,
  template: PromptTemplate | undefined,
  config: Config,
  memo: TokenMemo = createTokenMemo(),
): VersionTokenReport {
  return analyseVersion(v, template, config, memo).report;
}

/** `versionTokens` bound to `memo`: the token counter the plan engine takes (kinds' TokenCounter). */
export function versionTokenCounter(
  memo: TokenMemo,
): (v: PromptVersion, template: PromptTemplate | undefined, config: Config) => VersionTokenReport {
  return (v, template, config) => analyseVersion(v, template, config, memo).report;
}
