// promptctl status [TEMPLATE]: what the gateway served since --since, per template and version
// (from the analytics aggregates query), and for a split each other version against the baseline
// (the route with the largest weight) with 95 % intervals and a verdict (src/evals/stats.ts and
// src/evals/comparison.ts say how they are computed).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { ApiError } from '../genesys/errors.js';
import type { GatewayApi } from '../targets/llmgateway/api.js';
import type { ConfigResult } from '../load/index.js';
import type { AnalyticsQuery, AnalyticsResult, WireTemplate, WireVersion } from '../targets/llmgateway/wire.js';
import { liveRoutes } from '../model/routing.js';
import type { TestCalls } from '../evals/types.js';
import type { TemplateModelChanged } from '../evals/comparison.js';
import { EXIT, UserError } from '../util/errors.js';
import { announceTarget, assertDirGiven, DEFAULT_DIR, jsonFailureOnFormat, learnConfiguredSecrets, noSuchTemplate, withTarget } from './common.js';
import type { CliContext } from './context.js';
import { servedTemplates } from './target.js';
import { applySteps } from './next-commands.js';

interface StatusFlags {
  since: string;
  format: 'text' | 'markdown' | 'json';
  includeTests?: boolean;
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('per version since --since: calls, share vs weight, errors, blocked, latency, tokens, cost; for a split, each version against the largest route with a verdict')
    .argument('[template]', "one template (default: all), by name, or by the id status names one no longer on the target by")
    .option('--since <when>', 'a duration back from now (30m, 24h, 7d, 2w) or an ISO-8601 date or date-time (UTC unless it names an offset)', '7d')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    // With json, stdout is a document even when status fails (an unknown template, a bad --since, an unreachable target): {error, diagnostics}.
    .on('option:format', jsonFailureOnFormat(ctx))
    .option('--include-tests', 'count the calls promptctl test made too (left out by default: they pin versions and may get canned answers)')
    .action(async (template: string | undefined, flags: StatusFlags & { dir?: string }, cmd: Command) => {
      await assertDirGiven(ctx, cmd, flags.dir);
      ctx.exitCode = await runStatus(ctx, template, flags);
    });
}

export async function runStatus(ctx: CliContext, name: string | undefined, flags: StatusFlags & { dir?: string }): Promise<number> {
  const { parseSince, statusQuery, percentileQuery, buildStatus, originHonoured } = await import('../evals/stats.js');
  let interval: ReturnType<typeof parseSince>;
  try {
    interval = parseSince(flags.since, Date.now());
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  const label = await announceTarget(ctx);
  // It prints the org's template names: a sink's key one holds is masked too.
  const configRead = await learnConfiguredSecrets(ctx, flags.dir ?? DEFAULT_DIR);
  // Status only reads: an embedded org with no state yet is read as empty, and not created.
  const report = await withTarget(ctx, async ({ api }) => {
    const templates = await servedTemplates(api, { expand: ['traffic'], ...(name ? { name } : {}) }, 'report on');
    let only = name ? templates.filter((t) => t.name === name) : templates;
    // A template no longer on the target is still reported by the name the audit trail gives it
    // (as status without a name shows it): its calls are still in the interval. So is one of the
    // name deleted and made again since, beside the one now live.
    // Read once: what names the former template also names its calls below.
    const former = name ? await formerNames(ctx, configRead) : undefined;
    let formerIds = former ? new Set([...idsNamed(former.names, name!)].filter((id) => !only.some((t) => t.id === id))) : undefined;
    // Asked for by the id the report names it by: a template gone with no trail here to name it
    // has no other, and a live one is the same template by either.
    let byId = false;
    if (name && only.length === 0 && formerIds!.size === 0) {
      const all = await api.listTemplates();
      // A UUID in any case (copied from elsewhere upper-cased) is the same id.
      const live = all.find((t) => sameId(t.id, name));
      if (live) only = [await api.getTemplate(live.id, { expand: ['traffic'] })];
      else if (TEMPLATE_ID.test(name)) [formerIds, byId] = [new Set([name.toLowerCase()]), true];
      else throw await noSuchTemplate(ctx, flags.dir ?? DEFAULT_DIR, name, all.map((t) => t.name));
    }
    // The calls of the ids asked for: the one live and those gone (several ids: every template's calls are read).
    const wanted = formerIds && formerIds.size > 0 ? new Set([...formerIds, ...only.map((t) => t.id)]) : undefined;
    const templateId = name && !wanted && only.length > 0 ? only[0]!.id : undefined;
    const query = async (liveOnly: boolean) => Promise.all([api.queryAnalytics(statusQuery(interval, templateId, liveOnly)), latencyOf(api, percentileQuery(interval, templateId, liveOnly))]);
    let testCalls: TestCalls = flags.includeTests ? 'included' : 'excluded';
    let answered: Awaited<ReturnType<typeof query>>;
    try {
      answered = await query(testCalls === 'excluded');
    } catch (err) {
      // A target whose analytics do not know the origin dimension (400, 422) is asked again without
      // it; a query refused for another reason is refused again, and that refusal is the error.
      if (testCalls !== 'excluded' || !(err instanceof ApiError) || (err.status !== 400 && err.status !== 422)) throw err;
      testCalls = 'indistinguishable';
      answered = await query(false);
    }
    // A target that took the origin filter without knowing it (its groups do not say their origin)
    // counted every call: said so, not "left out" (a review, through a server ignoring the predicate).
    if (testCalls === 'excluded' && !originHonoured(answered[0])) testCalls = 'indistinguishable';
    const [all, percentiles] = answered;
    // Of every template's calls (a former one is not asked for by id: it may have had several), the named one's.
    const result = wanted ? { ...all, results: all.results.filter((r) => r.group.templateId !== undefined && (wanted.has(r.group.templateId) || wanted.has(r.group.templateId.toLowerCase()))) } : all;
    if (name && only.length === 0 && result.results.length === 0) {
      throw new UserError(
        byId
          ? `no prompt template "${name}" on the target, and no call was made to a template of that id since ${flags.since}`
          : `no prompt template "${name}" on the target: the audit trail names one deleted since, and no call was made to it since ${flags.since}`,
      );
    }
    const gone = new Set(result.results.map((r) => r.group.templateId).filter((id): id is string => id !== undefined && !only.some((t) => t.id === id)));
    const names = former ?? (await formerNames(ctx, configRead, gone));
    const models = await routedModels(api, only, result, interval.start);
    return buildStatus(
      result,
      only.map((t) => ({
        id: t.id,
        name: t.name,
        ...(t.traffic ? { split: { strategy: t.traffic.strategy, routes: t.traffic.routes.map((r) => ({ version: r.version, weight: r.weight })) } } : {}),
        ...(models.has(t.id) ? models.get(t.id)! : {}),
      })),
      { target: label, interval: statusQuery(interval).interval, since: flags.since, testCalls, ...(names.trail !== undefined ? { trail: names.trail } : {}) },
      percentiles,
      names.names,
    );
  }, { readOnly: true });
  const { renderStatus } = await import('../views/status.js');
  // An empty target's hint names the apply of this run's --env and --dir, not the default target's;
  // none where git defines no template (applying makes none).
  const dir = flags.dir ?? DEFAULT_DIR;
  const noneInGit = report.templates.length === 0 && flags.format !== 'json' && (await definesNoTemplate(ctx, dir));
  ctx.outAs(flags.format, renderStatus(report, flags.format, ctx.style, { applySteps: applySteps(ctx, dir), ...(noneInGit ? { gitDefinesNoTemplate: true } : {}) }));
  return EXIT.ok;
}

/**
 * Whether git (the prompts directory, as this run's environment reads it) surely defines no prompt
 * template: false when it does, or when that cannot be told (the directory cannot be read, a
 * directory not listed, or an error in a file no document of another kind accounts for).
 */
async function definesNoTemplate(ctx: CliContext, dir: string): Promise<boolean> {
  const { loadProject } = await import('../load/index.js');
  const environment = ctx.environment?.name;
  const loaded = await loadProject({ dir, cwd: ctx.cwd, tokenMemo: ctx.tokenMemo, ...(environment !== undefined ? { environment } : {}) }).catch(() => undefined);
  const state = loaded?.state;
  if (!loaded || !state || loaded.unlisted) return false;
  if (state.templates.length > 0 || state.versions.length > 0) return false;
  const gateway = new Set(['PromptTemplate', 'PromptVersion']);
  if (loaded.leftOut.some((d) => gateway.has(d.kind))) return false;
  // An error elsewhere than in a document left out of another kind or the Config may hide one.
  const accounted = new Set([loaded.configFile, ...loaded.leftOut.map((d) => d.firstError.file)]);
  return !loaded.diagnostics.some((d) => d.severity === 'error' && !accounted.has(d.file));
}

/**
 * What the templates in `ids` (no longer on the target; without: every one it names) were called, from the audit trail apply
 * writes (`trail`, unless no id was asked for): the analytics name a template only by its id, which says nothing to the reader. None
 * when there is no trail here (a CI runner's checkout): the id is said then.
 */
async function formerNames(ctx: CliContext, configRead: ConfigResult | undefined, ids?: ReadonlySet<string>): Promise<{ names: Map<string, string>; trail?: { file: string; exists: boolean } }> {
  if (ids?.size === 0) return { names: new Map() };
  const [{ DEFAULT_AUDIT_FILE }, { namesInTrail }] = await Promise.all([import('../audit/log.js'), import('../audit/names.js')]);
  // The prompts directory's promptctl.yaml as learnConfiguredSecrets read it (undefined with --env).
  const file = ctx.environment?.auditFile ?? configRead?.config.audit.file ?? DEFAULT_AUDIT_FILE;
  const text = await readFile(resolve(ctx.cwd, file), 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'ENOTDIR' ? undefined : ''));
  // The trail as the config spells it: a template it does not name is said to be unnamed there, or
  // the trail absent (a CI checkout that did not restore it), so no reader looks for a file not there.
  return { names: namesInTrail(text ?? '', 'PromptTemplate', ids), trail: { file, exists: text !== undefined } };
}

/** A template's id as the gateway makes them (a UUID): only such a name is looked for among the calls of templates gone. */
const TEMPLATE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a template's id is the id asked for: a UUID's letters in either case. */
function sameId(id: string, asked: string): boolean {
  return id === asked || (TEMPLATE_ID.test(asked) && id.toLowerCase() === asked.toLowerCase());
}

/** The ids `names` gives the name `name`. */
function idsNamed(names: ReadonlyMap<string, string>, name: string): Set<string> {
  return new Set([...names].filter(([, n]) => n === name).map(([id]) => id));
}

/**
 * The model each routed version runs (its own `model`, else the template's), by template id: for
 * the splits with calls on two routed versions or more, whose comparison judges cost rather than
 * tokens when the models differ (DESIGN §2: a version may override the model). One read of the
 * versions a split; a template whose versions cannot be read is left out (its verdict keeps to
 * tokens, and its cost line is shown all the same). A version's own model never changes, the
 * template's may: one modified since `start` says which versions take its model, whose calls may
 * have run another one than it names now.
 */
async function routedModels(
  api: GatewayApi,
  templates: readonly WireTemplate[],
  result: AnalyticsResult,
  start: number,
): Promise<Map<string, { models: Map<string, string>; modelChanged?: TemplateModelChanged }>> {
  const called = new Map<string, Set<string>>();
  for (const r of result.results) {
    if (r.group.templateId === undefined || r.group.version === undefined) continue;
    called.set(r.group.templateId, (called.get(r.group.templateId) ?? new Set()).add(r.group.version));
  }
  const out = new Map<string, { models: Map<string, string>; modelChanged?: TemplateModelChanged }>();
  for (const t of templates) {
    const routes = liveRoutes(t.traffic?.routes ?? []).filter((r) => called.get(t.id)?.has(r.version));
    if (routes.length < 2) continue;
    let versions: WireVersion[];
    try {
      versions = await api.listVersions(t.id);
    } catch (err) {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) continue;
      throw err;
    }
    const byLabel = new Map(versions.map((v) => [v.version, v.model ?? t.model]));
    const models = new Map(routes.filter((r) => byLabel.has(r.version)).map((r) => [r.version, byLabel.get(r.version)!]));
    const inheriting = new Set(versions.filter((v) => v.model === undefined && models.has(v.version)).map((v) => v.version));
    const changed = inheriting.size > 0 && modifiedSince(t, start);
    out.set(t.id, { models, ...(changed ? { modelChanged: { at: t.dateModified, model: t.model, inheriting } } : {}) });
  }
  return out;
}

/**
 * Whether a template was modified (not just created) at or after `start`: its model may then have
 * been another before. The write count or the dates say it was modified; a server giving neither
 * readable is taken at its word that the model is as named.
 */
export function modifiedSince(t: Pick<WireTemplate, 'version' | 'dateCreated' | 'dateModified'>, start: number): boolean {
  const modified = Date.parse(t.dateModified);
  if (Number.isNaN(modified) || modified < start) return false;
  return t.version > 1 || modified > Date.parse(t.dateCreated);
}

/**
 * Latency percentiles, when the target answers promptctl's optional `percentiles` (the emulator
 * does); a server that refuses the field (400, 422) leaves status with the mean.
 */
async function latencyOf(api: GatewayApi, query: AnalyticsQuery): Promise<Map<string, { p50: number; p95: number }>> {
  const { latencyPercentiles } = await import('../evals/stats.js');
  try {
    return latencyPercentiles(await api.queryAnalytics(query));
  } catch (err) {
    // 400 or 422: the field is not understood; anything else (a 5xx, a 401) is the target's failure.
    if (err instanceof ApiError && (err.status === 400 || err.status === 422)) return new Map();
    throw err;
  }
}

