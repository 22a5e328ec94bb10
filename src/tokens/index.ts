// Token counts and budgets for prompt versions (DESIGN §4, worst case). Pure: no I/O here; the
// persistent count cache is cache-file.ts, which the CLI loads and saves around a run.
import type { Config, PromptTemplate, PromptVersion } from '../model/types.js';
import { analyseVersion, type VersionTokenReport } from './worst-case.js';

export type { VersionTokenReport } from './worst-case.js';
export { tokenReport, budgetDiagnostics } from './budgets.js';

/** One version's counts and worst case. Throws when its model is unknown (see `resolveModel`). */
export function versionTokens(v: PromptVersion, template: PromptTemplate | undefined, config: Config): VersionTokenReport {
  return analyseVersion(v, template, config).report;
}
