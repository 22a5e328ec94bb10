// promptctl promote TEMPLATE VERSION [--weight N] [--env NAME] and promptctl rollback TEMPLATE
// [--env NAME] (DESIGN §4, §6): rewrite one TrafficSplit in git, with the smallest edit (only the
// weights that change), print the diff, and leave the commit and the pull request to the user.
// promote routes N % (default 100) to VERSION and scales the others to share the rest (a template
// without a split yet gets one, starting from its newest version, which answers every call); rollback
// routes everything back to the last version that held 100 %, found in the prompts directory's git history.
// With --env, the routes of that environment: its own override, or the document's when no other
// environment shares them, or a new override (spec.environments.<name>.routes) when some do.
// Both make the promotion check (DESIGN §6) on the versions the edit gives more traffic: refused in
// a protected environment while the previous one has not run them, a warning elsewhere.
import { readFile, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { environmentNames, environmentState } from '../model/environments.js';
import type { DesiredState, PromptTemplate, TrafficSplit } from '../model/types.js';
import { EXIT, UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { didYouMean } from '../util/suggest.js';
import { shellWord, visibleLines, visibleName } from '../util/escapes.js';
import { locate, where as locationText } from '../rules/util.js';
import { formatText } from '../views/diagnostics.js';
import { describeWeights, renderFileEdit } from '../views/file-edit.js';
import type { RevisionHeader } from '../export/promote.js';
import type { CliContext } from './context.js';
import { checkPrevious } from './environments.js';
import { DEFAULT_DIR } from './common.js';
import { dirFlag, targetFlags } from './next-commands.js';

interface EditFlags {
  dir: string;
  weight?: string;
  dryRun?: boolean;
}

export function registerPromote(program: Command, ctx: CliContext): void {
  program
    .command('promote')
    .description('route N% (default 100) of a template to VERSION in its TrafficSplit, scaling the other weights; edits the YAML, prints the diff, applies nothing')
    .argument('<template>', 'the template whose split to change')
    .argument('<version>', 'the version to promote (declared by a PromptVersion)')
    .option('--weight <n>', 'the share of traffic VERSION gets, 0 to 100', '100')
    .option('--dir <dir>', 'prompts directory', DEFAULT_DIR)
    .option('--dry-run', 'print the diff without writing the file')
    .action(async (template: string, version: string, flags: EditFlags) => {
      ctx.exitCode = await runPromote(ctx, template, version, flags);
    });
}

export function registerRollback(program: Command, ctx: CliContext): void {
  program
    .command('rollback')
    .description('route all traffic of a template back to the last version that held 100%, found in git history; edits the YAML, prints the diff, applies nothing')
    .argument('<template>', 'the template whose split to roll back')
    .option('--dir <dir>', 'prompts directory', DEFAULT_DIR)
    .option('--dry-run', 'print the diff without writing the file')
    .action(async (template: string, flags: EditFlags) => {
      ctx.exitCode = await runRollback(ctx, template, flags);
    });
}

/** The weight flag: a whole number 0..100. */
export function parseWeight(value: string | undefined): number {
  const v = (value ?? '100').trim().replace(/%$/, '');
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 100) throw new UserError(`--weight must be a whole number from 0 to 100, not "${value}"`);
  return n;
}

/** What both commands start from: the split (as the environment has it) and where its routes live. */
interface SplitContext {
  union: DesiredState;
  state: DesiredState;
  split: TrafficSplit;
  file: string;
  text: string;
  /** The routes to edit, and whether they must be created as an override. */
  target: { kind: 'document' } | { kind: 'override'; env: string };
  create: boolean;
  /**
   * The template has no TrafficSplit yet (promote only): one is added to the end of the template's
   * file, `split` holding the routing it has without one (its newest version answers every call).
   */
  newSplit?: { environments?: string[]; base?: { version: string; weight: number }[] };
  /** What the edit does beyond the weights (whose routes it changes): said only when it is made. */
  notes: string[];
}

async function splitContext(ctx: CliContext, template: string, dir: string, doing: string, mayCreate = false): Promise<SplitContext> {
  const env = ctx.environment?.name;
  // What is edited is git: say so first, with the environment.
  ctx.info(`target: git working tree (${dir.replace(/\/+$/, '')}/)${env ? `, environment ${env}` : ''}`);
  const { loadProject } = await import('../load/index.js');
  const loaded = await loadProject({ dir, cwd: ctx.cwd, tokenMemo: ctx.tokenMemo, knownSecrets: ctx.knownSecrets, secretOf: ctx.secretOf });
  ctx.learnConfigSecrets((loaded.union ?? loaded.state)?.config);
  for (const d of loaded.diagnostics) if (d.severity === 'error') ctx.info(formatText(d));
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
  // validate of these files: a bare one reads prompts/. Every environment's (no --env), as they were loaded here.
  if (errors > 0 || !loaded.state) throw new UserError(`${errors || 'invalid'} error${errors === 1 ? '' : 's'} in ${visibleName(dir)}: nothing was ${doing} (run \`promptctl validate${dirFlag(dir)}\`)`);
  const union = loaded.state;
  const state = env ? environmentState(union, env) : union;
  const split = state.splits.find((s) => s.template === template);
  const declared = state.templates.find((t) => t.name === template);
  if (!split && mayCreate && declared && !union.splits.some((s) => s.template === template)) return newSplitContext(ctx, union, state, declared, env);
  if (!split) {
    // Defined, but its metadata.environments leave this environment out: say that, not a near name.
    const elsewhere = env && union.splits.find((s) => s.template === template);
    if (elsewhere) {
      const at = visibleName(locationText(locate(elsewhere, 'metadata.environments')));
      throw new UserError(
        `the TrafficSplit of template "${visibleName(template)}" is limited to ${elsewhere.environments?.join(', ') ?? 'other environments'} by its metadata.environments at ${at}, so environment ${env} does not have it (add ${env} there first); nothing was ${doing}`,
      );
    }
    const names = state.splits.map((s) => s.template);
    const where = env ? ` in environment ${env}` : '';
    throw new UserError(`no TrafficSplit of template "${visibleName(template)}"${where}${didYouMean(template, names)}${names.length ? `; splits${where}: ${names.join(', ')}` : ''}; nothing was ${doing}`);
  }
  const own = union.splits.find((s) => s.template === template)!;
  const { routesTarget } = await import('../export/promote.js');
  const { target, create, sharing } = routesTarget(own, env, environmentNames(union.config));
  const notes: string[] = [];
  if (create) {
    notes.push(`note: ${sharing.join(', ')} share${sharing.length === 1 ? 's' : ''} the split's routes with ${env}: adding spec.environments.${env}.routes, so only ${env} changes`);
  } else if (!env) {
    // The split's own routes are those of every environment without an override of them: named,
    // so that a change to prod's traffic made without --env is not a surprise.
    const kept = Object.keys(own.overrides ?? {}).filter((e) => own.overrides![e]!.routes);
    const takers = environmentNames(union.config).filter((e) => !kept.includes(e) && environmentState(union, e).splits.some((s) => s.template === template));
    const guarded = takers.filter((e) => union.config.environments[e]?.protected);
    if (kept.length > 0 || takers.length > 0) {
      const taking = takers.length > 0 ? `: those of ${takers.join(', ')}${guarded.length > 0 ? ` (${guarded.join(', ')} protected)` : ''}` : '';
      const keeping = kept.length > 0 ? `; ${kept.join(', ')} keep${kept.length === 1 ? 's' : ''} its override` : '';
      notes.push(`note: without --env the split's own routes change${taking}${keeping}`);
    }
  }
  const text = await readFile(resolve(ctx.cwd, split.source.file), 'utf8');
  return { union, state, split, file: split.source.file, text, target, create, notes };
}

/**
 * A template without a TrafficSplit: its calls go to its newest version (DESIGN §3), which is the
 * routing promote starts from; the split is added to the end of the template's own file, in the
 * environments the template is in. With --env, when other environments have the template too, the
 * document's routes keep their routing as it is (their newest version at 100 %) and the
 * environment gets routes of its own (spec.environments.<name>.routes), so only it changes.
 */
async function newSplitContext(ctx: CliContext, union: DesiredState, state: DesiredState, template: PromptTemplate, env: string | undefined): Promise<SplitContext> {
  const { newestVersionLabel } = await import('../util/semver.js');
  const newest = (s: DesiredState): string | undefined => newestVersionLabel(s.versions.filter((v) => v.template === template.name).map((v) => v.version));
  const routesOf = (s: DesiredState) => {
    const v = newest(s);
    return v ? [{ version: v, weight: 100 }] : [];
  };
  const file = template.source.file;
  const split: TrafficSplit = { kind: 'TrafficSplit', template: template.name, strategy: 'random', routes: routesOf(state), source: template.source, locations: {} };
  const text = await readFile(resolve(ctx.cwd, file), 'utf8');
  const context: SplitContext = { union, state, split, file, text, target: { kind: 'document' }, create: false, newSplit: template.environments ? { environments: template.environments } : {}, notes: [] };
  const others = env ? environmentNames(union.config).filter((e) => e !== env && environmentState(union, e).templates.some((t) => t.name === template.name)) : [];
  if (others.length === 0) return context;
  // The others' calls go to their own newest version: the document can keep that only if it is one version.
  const theirs = [...new Set(others.map((e) => newest(environmentState(union, e)) ?? '(none)'))];
  if (theirs.length !== 1 || theirs[0] === '(none)') {
    throw new UserError(
      `template "${template.name}" has no TrafficSplit yet, and the other environments that have it (${others.join(', ')}) do not all answer with the same newest version (${theirs.join(', ')}): add the split by hand, with routes for each; nothing was changed`,
    );
  }
  const note = `note: ${others.join(', ')} ${others.length === 1 ? 'has' : 'have'} the template too: the new split keeps ${others.length === 1 ? 'its' : 'their'} calls on ${theirs[0]} (the newest version, as now) and ${env} gets spec.environments.${env}.routes`;
  return { ...context, target: { kind: 'override', env: env! }, create: true, newSplit: { ...context.newSplit, base: [{ version: theirs[0]!, weight: 100 }] }, notes: [note] };
}

/** Writes (unless --dry-run) and shows the edit. */
async function finishEdit(ctx: CliContext, s: SplitContext, routes: { version: string; weight: number }[], flags: EditFlags, what: string): Promise<number> {
  const { appendSplit, editSplit } = await import('../export/split-edit.js');
  // A new split: its document added (with the routes the other environments keep, when only one
  // environment's change), then, for that environment, its own routes as for any split.
  const before = s.newSplit ? appendSplit(s.text, s.split.template, s.newSplit.base ?? routes, s.newSplit.environments) : s.text;
  const after = s.newSplit && !s.newSplit.base ? before : editSplit(before, s.file, s.split.template, s.target, routes, s.create);
  await refuseInvalidEdit(ctx, flags.dir, resolve(ctx.cwd, s.file), after, what);
  // Said here, not when the split was found: a run refused, or with nothing to change, adds no routes.
  for (const note of s.notes) ctx.info(note);
  // Through a symbolic link (to a file in the prompts directory, as the loader allows): the file
  // it leads to, so the link stays a link.
  if (!flags.dryRun) await writeFileAtomic(await realpath(resolve(ctx.cwd, s.file)), after);
  ctx.out(renderFileEdit(s.file, s.text, after, ctx.style));
  const env = ctx.environment ? ` in ${ctx.environment.name}` : '';
  ctx.info(`${what}: TrafficSplit/${s.split.template}${env}: ${describeWeights(s.split.routes, routes)}`);
  ctx.info(
    flags.dryRun
      ? `--dry-run: ${visibleName(s.file)} was not written`
      : `${visibleName(s.file)} updated; nothing was applied. Review the diff, commit it and open a pull request (its plan shows what merge will apply).`,
  );
  return EXIT.ok;
}

/**
 * The files as they would be after the edit must still be valid, in every environment (a test
 * may exercise the split, a budget may count its versions): otherwise nothing is written, and a
 * later rollback is not left refusing to run on files this command broke.
 */
async function refuseInvalidEdit(ctx: CliContext, dir: string, file: string, text: string, what: string): Promise<void> {
  const { loadProject } = await import('../load/index.js');
  const loaded = await loadProject({ dir, cwd: ctx.cwd, tokenMemo: ctx.tokenMemo, knownSecrets: ctx.knownSecrets, secretOf: ctx.secretOf, texts: new Map([[file, text]]) });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0 && loaded.state) return;
  for (const d of errors) ctx.info(formatText(d));
  throw new UserError(`${what} would leave ${errors.length || 'invalid'} error${errors.length === 1 ? '' : 's'} in ${visibleName(dir)} (listed above): nothing was changed`);
}

export async function runPromote(ctx: CliContext, template: string, version: string, flags: EditFlags): Promise<number> {
  const weight = parseWeight(flags.weight);
  const s = await splitContext(ctx, template, flags.dir, 'changed', true);
  const declared = s.state.versions.filter((v) => v.template === template).map((v) => v.version);
  if (!declared.includes(version)) {
    const where = ctx.environment ? ` in environment ${ctx.environment.name}` : '';
    // Declared, but its metadata.environments leave this environment out: say that, not a near name.
    const elsewhere = ctx.environment && s.union.versions.find((v) => v.template === template && v.version === version);
    if (elsewhere) {
      const at = visibleName(locationText(locate(elsewhere, 'metadata.environments')));
      throw new UserError(
        `version ${version} of template "${template}" is limited to ${elsewhere.environments?.join(', ') ?? 'other environments'} by its metadata.environments at ${at}, so environment ${ctx.environment!.name} does not have it (add ${ctx.environment!.name} there first); nothing was changed`,
      );
    }
    throw new UserError(`template "${template}" has no version ${visibleName(version)}${where}${didYouMean(version, declared)}${declared.length ? `; declared: ${declared.join(', ')}` : ''}; nothing was changed`);
  }
  const { scaleWeights } = await import('../export/promote.js');
  // 0 % to a version the split does not route is what it routes already: no 0 % route is added.
  const unrouted = weight === 0 && !s.split.routes.some((r) => r.version === version);
  const held = s.split.routes.length === 1 && s.split.routes[0]!.version === version;
  if (s.newSplit && (unrouted || held)) {
    // No split: the newest version answers every call. Giving it all of them changes nothing; giving it less leaves the rest to no other version.
    if (unrouted || weight === 100) {
      ctx.info(`template "${template}" has no TrafficSplit: its newest version, ${s.split.routes[0]?.version ?? 'none'}, answers every call; ${version} gets ${weight}% already: nothing to change`);
      return EXIT.ok;
    }
    throw new UserError(
      `template "${template}" has no TrafficSplit: its newest version, ${version}, answers every call, and no other version would take the other ${100 - weight}% (promote the version that should, with --weight ${100 - weight}); nothing was changed`,
    );
  }
  const routes = scaleWeights(s.split.routes, version, weight);
  if (unrouted || JSON.stringify(routes) === JSON.stringify(s.split.routes.map((r) => ({ version: r.version, weight: r.weight })))) {
    ctx.info(`TrafficSplit/${template} already routes ${weight}% to ${version}: nothing to change`);
    return EXIT.ok;
  }
  if (s.newSplit) s.notes.push(`note: template "${template}" has no TrafficSplit yet (its newest version answers every call): adding one to ${visibleName(s.file)}`);
  await refuseUnrun(ctx, s, routes, version, 'promoted');
  return finishEdit(ctx, s, routes, flags, `promote ${version} to ${weight}%`);
}

/**
 * The weights the environment's org routes the template's calls by now (undefined when it cannot be
 * read, or holds no such template), and the org's id, which the promotion check compares the
 * previous environment's with: one sign-in for both.
 */
async function liveWeights(ctx: CliContext, template: string): Promise<{ weights?: Map<string, number>; orgId?: string }> {
  const { openTarget, targetContext } = await import('./target.js');
  try {
    const target = await openTarget(targetContext(ctx, { environment: ctx.environment }), { quick: true, readOnly: true });
    try {
      const [listed, org] = await Promise.all([target.api.listTemplates({ name: template, expand: ['traffic'] }), target.api.organization()]);
      const t = listed.find((x) => x.name === template);
      return { ...(t ? { weights: new Map((t.traffic?.routes ?? []).map((r) => [r.version, r.weight])) } : {}), ...(org?.id ? { orgId: org.id } : {}) };
    } finally {
      await target.close();
    }
  } catch {
    return {};
  }
}

/**
 * Promotion (DESIGN §6): more traffic for a version the previous environment never ran (the one
 * promoted or rolled back to, or another scaled up when its weight goes down, as plan checks it)
 * is a warning (on stderr), or where the environment is protected, refused before the file is
 * written: the plan of the edit would be refused there for it anyway. `version`: the one named
 * when the check blocks none by name; `verb`: what the versions blocked cannot be there.
 */
async function refuseUnrun(ctx: CliContext, s: SplitContext, routes: readonly { version: string; weight: number }[], version: string, verb: 'promoted' | 'rolled back to'): Promise<void> {
  const template = s.split.template;
  if (!ctx.environment?.previous) return;
  const was = new Map(s.split.routes.map((r) => [r.version, r.weight]));
  // More traffic than the target gives it now, as plan judges it: a version the org already routes
  // (a hotfix routed there by hand) gains none by the edit (a review: promote refused what the
  // plan of the same edit took). The weight git gave it stands where the org cannot be read.
  const live = await liveWeights(ctx, template);
  const rising = routes.filter((r) => r.weight > Math.max(was.get(r.version) ?? 0, live.weights?.get(r.version) ?? 0));
  if (rising.length === 0) return;
  const { versionAddress } = await import('../model/address.js');
  const { contentHash } = await import('../kinds/PromptVersion/index.js');
  // The content git gives that label here: the previous environment must have run that, not only the label.
  const wanted = rising.map((r) => {
    const dV = s.state.versions.find((v) => v.template === template && v.version === r.version)!;
    return { template, version: r.version, address: versionAddress(template, r.version), why: 'routed' as const, hash: contentHash(dV) };
  });
  const problems = await checkPrevious(ctx, wanted, s.union, live.orgId);
  if (problems.length === 0) return;
  for (const p of problems) ctx.info(`error: ${visibleName(p.address)}: ${visibleLines(p.message)}`);
  const blocked = wanted.filter((w) => problems.some((p) => p.address === w.address)).map((w) => w.version);
  const names = blocked.length > 0 ? blocked : [version];
  throw new UserError(
    `environment ${ctx.environment!.name} is protected: ${names.join(', ')} cannot be ${verb} there before ${ctx.environment!.previous} has run ${names.length === 1 ? 'it' : 'them'}; nothing was changed`,
  );
}

/** How many commits of the prompts directory rollback reads at a time, and at most. */
const HISTORY_PAGE = 50;
const HISTORY_LIMIT = 2000;

export async function runRollback(ctx: CliContext, template: string, flags: EditFlags): Promise<number> {
  const s = await splitContext(ctx, template, flags.dir, 'rolled back');
  const [{ dirHistory, isShallow, movedFrom, pathFromTop, textsBefore }, { answeredWithoutSplit, isUnknown, lastSoleVersion, passedOver, scaleWeights, soleVersion }] = await Promise.all([
    import('../git/history.js'),
    import('../export/promote.js'),
  ]);
  const env = ctx.environment?.name;
  const current = soleVersion(s.split.routes);
  const declared = new Set(s.state.versions.filter((v) => v.template === template).map((v) => v.version));
  // Versions git declares for other environments only: passed over as kept out of this one, not as gone.
  const keptTo = new Map(s.union.versions.filter((v) => v.template === template && !declared.has(v.version) && v.environments).map((v) => [v.version, v.environments!]));
  // The whole prompts directory's history (the split may have lived in another file before), read
  // a page at a time: commits touching any prompt outnumber the split's own, and the answer is
  // usually near the top. Where it begins with the directory moved in, on in the one it came from.
  const skipped: string[] = [];
  let read = 0;
  let found: ReturnType<typeof lastSoleVersion>['found'];
  // Before a commit that holds the split (and routes nothing at 100 % to another version), the
  // split may not have existed: then the template's newest version answered every call. That state
  // is newer than any older commit's 100 %, so each such commit's parent is read as it is passed
  // (one git grep and one cat-file; at most a page of them). A commit that left a file
  // that may hold the split broken is no such commit's "before": what it routed is unknown (the
  // loader refused it), so it is passed over, and the walk goes on to the state before it.
  let before: { version: string; addedBy: RevisionHeader } | undefined;
  let parentsRead = 0;
  // Git runs in the prompts directory: its repository, wherever the command runs from.
  const prompts = resolve(ctx.cwd, flags.dir);
  // The split's own file, as history names it: read in every state, whatever it holds then.
  const splitPath = await pathFromTop(ctx.cwd, ctx.env, s.file);
  let scope: { dirs: string | string[]; from?: string } = { dirs: '.' };
  let skip = 0;
  let oldest: string | undefined;
  while (!found && !before && read < HISTORY_LIMIT) {
    let page;
    try {
      page = await dirHistory(prompts, ctx.env, scope.dirs, { skip, max: HISTORY_PAGE, ...(scope.from ? { from: scope.from } : {}) });
    } catch (err) {
      throw new UserError(`rollback reads the git history of ${visibleName(flags.dir)}, and there is none: ${(err as Error).message}; nothing was rolled back`);
    }
    read += page.length;
    skip += page.length;
    if (page.length > 0) oldest = page[page.length - 1]!.commit;
    const history = page.map((r) => ({ commit: r.commit, date: r.date, subject: r.subject, texts: r.files.map((f) => f.text), paths: r.files.map((f) => f.path) }));
    const answer = lastSoleVersion(history, template, env, current, declared, keptTo, splitPath);
    skipped.push(...answer.skipped);
    // The commits that hold the split (or may: unknown) newer than the one found (if any), newest
    // first. One whose previous commit in the directory held it too, or may have, had it before
    // (or an unknown state): no need to read its parent.
    const held = new Set(answer.holding.map((h) => h.commit));
    const previous = new Map(history.map((r, i) => [r.commit, history[i + 1]?.commit]));
    for (const rev of answer.holding) {
      if (rev.commit === answer.found?.commit) break;
      if (held.has(previous.get(rev.commit) ?? '')) continue;
      if (parentsRead++ >= HISTORY_PAGE) break;
      const files = await textsBefore(prompts, ctx.env, rev.commit, scope.dirs, template, splitPath ? [splitPath] : []);
      const then = files && answeredWithoutSplit(files.map((f) => f.text), template, env, files.map((f) => f.path), splitPath);
      // Unknown: a file broken there came with an older commit of the directory, passed over and named when the walk reaches it.
      if (then === 'split' || isUnknown(then)) continue;
      // A root commit, or none of the template's versions in the directory before it (it came
      // with the commit, or the directory moved in: older pages read where it came from).
      if (!then || then === current) continue;
      if (!declared.has(then)) {
        skipped.push(passedOver(then, `before ${rev.commit.slice(0, 7)} added the split`, env, keptTo.get(then)));
        continue;
      }
      before = { version: then, addedBy: rev };
      break;
    }
    if (before) break;
    found = answer.found;
    if (found || page.length === HISTORY_PAGE) continue;
    const origin = oldest ? await movedFrom(prompts, ctx.env, oldest, scope.dirs) : undefined;
    if (!origin) break;
    scope = origin;
    skip = 0;
    oldest = undefined;
  }
  if (before) {
    const by = before.addedBy;
    // A commit that left the split unknown (broken) may or may not have added it: the state before it is the last one known.
    const what = by.unknown ? ' left a file of it that cannot be read (passed over: below), the last state known to hold no split' : ' added the split';
    ctx.info(`rolling back to ${before.version}: it answered every call before ${by.commit.slice(0, 7)} (${by.date.slice(0, 10)}, "${visibleName(by.subject)}")${what}`);
    if (skipped.length > 0) ctx.info(`passed over: ${skipped.join(', ')}`);
    const routes = scaleWeights(s.split.routes, before.version, 100);
    // Checked as promote is: the version held 100 % here once, but a protected environment's apply
    // refuses one the previous environment does not run now, so the edit would only be refused later.
    await refuseUnrun(ctx, s, routes, before.version, 'rolled back to');
    return finishEdit(ctx, s, routes, flags, `rollback to ${before.version}`);
  }
  if (!found) {
    const where = env ? ` in environment ${env}` : '';
    // A shallow clone (a CI checkout) holds only the newest commits: say so, not that none held 100 %.
    const shallow = read < HISTORY_LIMIT && (await isShallow(prompts, ctx.env)) ? '; the repository is a shallow clone, its history cut short: run `git fetch --unshallow` and rollback again' : '';
    throw new UserError(
      `no earlier commit of ${visibleName(s.file)} routes 100% of template "${template}"${where} to one version other than the current routes` +
        `${skipped.length ? ` (passed over: ${skipped.join(', ')})` : ''} (${read} commit${read === 1 ? '' : 's'} read${shallow}); nothing was rolled back.` +
        // Undoing a promote whose weights never reached 100 %: the two ways that still work.
        ` To route everything to one version, run \`promptctl promote ${shellWord(template)} VERSION --weight 100${targetFlags(ctx, flags.dir)}\` (routes now: ${s.split.routes.map((r) => `${r.version} ${r.weight}%`).join(', ')}), or git revert the commit that changed them`,
    );
  }
  // The subject is anyone's text: shown, never obeyed (a terminal escape in it would clear the screen or forge a line).
  ctx.info(`rolling back to ${found.version}: it held 100% at ${found.commit.slice(0, 7)} (${found.date.slice(0, 10)}, "${visibleName(found.subject)}")`);
  if (skipped.length > 0) ctx.info(`passed over: ${skipped.join(', ')}`);
  const routes = scaleWeights(s.split.routes, found.version, 100);
  await refuseUnrun(ctx, s, routes, found.version, 'rolled back to');
  return finishEdit(ctx, s, routes, flags, `rollback to ${found.version}`);
}
