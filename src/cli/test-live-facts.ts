// What `promptctl test` reads of the target before its calls (DESIGN §7): the facts its results
// cache is keyed by and that say which cases cannot run yet (a version or guide the target does not
// hold, or holds with other content than git's), and the warning for a part it cannot read, which
// turns caching off for that part's tests alone (or, a guide listing refused, their cases). A
// failure every call would meet too (the sign-in, the host unreachable) ends the run here instead.
import { TOKEN_PATH } from '../genesys/conventions.js';
import { ApiError } from '../genesys/errors.js';
import type { DesiredState } from '../model/types.js';
import { messageOf } from '../util/errors.js';
import { oneLine } from '../util/escapes.js';
import type { CliContext } from './context.js';
import { describeTarget, type OpenTarget } from './target.js';
import type { LiveFacts } from '../evals/live-facts.js';
import type { PlannedTest } from '../evals/render.js';

/**
 * A failure every call of the run would meet too: the sign-in refused or not reachable, the API
 * host refusing connections or not found, or not answering a listing at all (timed out on every
 * attempt: a call that times out is only its own error, evals/calls.ts, so a target that answers
 * nothing would otherwise spend the whole wait on each call). The run stops at it instead of
 * starting its calls.
 */
function everyCallFails(err: unknown): boolean {
  return err instanceof ApiError && (err.path === TOKEN_PATH || err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'ETIMEDOUT');
}

/**
 * What the target serves, for the results cache's keys and for which cases cannot run yet: the
 * gateway's templates and filters when a template test runs, the named guides when a guide test
 * does (nothing else, so no right beyond the tests' own is needed); with `state`, also the tested
 * versions and guides the target holds with other content than git's. A part that cannot be read
 * is said once (not after an interrupt); its calls are made and not cached (a result keyed by git
 * alone could stand for what is no longer live).
 */
export async function readLiveFacts(ctx: CliContext, target: OpenTarget, tests: readonly PlannedTest[], signal?: AbortSignal, state?: DesiredState): Promise<LiveFacts> {
  const [{ readLiveState, readNamedGuides }, { liveFacts, guidesRunUnpublished }] = await Promise.all([import('../targets/live.js'), import('../evals/live-facts.js')]);
  const guides = [...new Set(tests.filter((t) => t.kind === 'guide').flatMap((t) => ('guide' in t.test.target ? [t.test.target.guide] : [])))];
  let guidesRefused = false;
  const unread = (what: string) => (err: unknown) => {
    // Interrupted: the read was given up (and then cut off by the target's close), not refused.
    if (signal?.aborted) return undefined;
    if (everyCallFails(err)) throw err;
    if (refusedGuides(what, err)) guidesRefused = true;
    // The target's words (its error's message and code): an ESC in them must not reach the terminal.
    ctx.info(`warning: cannot read the target's ${what} (${oneLine(messageOf(err))}): ${whatFollows(what, err)}`);
    return undefined;
  };
  const [gateway, named] = await Promise.all([
    tests.some((t) => t.kind === 'template') ? readLiveState({ gateway: target.api }, { guides: false, summarysettings: false }).catch(unread('templates and filters')) : undefined,
    guides.length > 0 ? readNamedGuides(target.aistudio, guides).catch(unread('guides')) : undefined,
  ]);
  const facts = liveFacts({
    ...(gateway && !gateway.unavailable?.includes('llmgateway') ? { templates: gateway.templates, filters: gateway.filters } : {}),
    ...(named && !named.unavailable?.includes('guides') ? { guides: named.guides ?? [] } : {}),
  });
  if (guidesRefused) facts.guidesRefused = true;
  // Named by the answers just read: an emulator started with other canned answers answers otherwise.
  // Not the embedded one's: its answers are the tests' own, in each key for its target alone
  // (render.ts), so one test's edited answers leave another target's results cached.
  const answers = describeTarget(ctx.env, ctx.environment).target.kind === 'embedded' ? undefined : target.cannedAnswers?.();
  if (answers !== undefined) facts.cannedAnswers = answers;
  // A tested guide or version the target holds with other content than git's: its cases would
  // test the org's text under git's name (not run, render.ts).
  if (state && (named?.guides || gateway?.templates)) {
    const { filtersNotAsInGit, guidesNotAsInGit, guidesTestedInProduction, versionsNotAsInGit } = await import('../kinds/as-in-git.js');
    const other = named?.guides ? guidesNotAsInGit(state, named.guides) : new Map<string, string>();
    if (other.size > 0) facts.guidesNotAsInGit = other;
    const inProduction = named?.guides ? guidesTestedInProduction(state, named.guides) : new Map<string, string>();
    if (inProduction.size > 0) facts.guideVersions = inProduction;
    const unpublished = named?.guides ? guidesRunUnpublished(named.guides, inProduction, other) : new Map();
    if (unpublished.size > 0) facts.guidesRunUnpublished = unpublished;
    const tested = new Set(tests.flatMap((t) => ('template' in t.test.target ? [t.test.target.template] : [])));
    const differs = gateway?.templates ? versionsNotAsInGit(state, gateway.templates, tested) : new Set<string>();
    if (differs.size > 0) facts.versionsNotAsInGit = differs;
    // The filters the calls meet: the target's, which a test would otherwise pass as git's.
    const filters = gateway?.templates && gateway.filters ? filtersNotAsInGit(state, gateway.templates, gateway.filters, tested) : new Map();
    if (filters.size > 0) facts.filtersNotAsInGit = filters;
  }
  return facts;
}

/**
 * What an unread part of the target means for its tests. A guide listing refused (403: a client
 * without aiStudio:guide:view) refuses each guide case's lookup too, so no call of theirs is made
 * (evals/calls.ts lookupFailed says it per case); any other failure may pass by the time a case
 * looks its guide up, and then every call is made, none cached.
 */
function whatFollows(what: string, err: unknown): string {
  if (refusedGuides(what, err)) return 'their cases cannot run with this client, and each says why in the report';
  return 'their tests make every call and keep no cached result this run';
}

/** The guides listing refused (403): no guide case can be looked up with this client. */
function refusedGuides(what: string, err: unknown): boolean {
  return what === 'guides' && err instanceof ApiError && err.status === 403;
}
