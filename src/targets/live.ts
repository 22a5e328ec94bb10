// The live org as plan needs it, from every API surface, read in a handful of calls whatever
// its size: LLM Gateway templates (versions and traffic expanded; for plan, apply and drift in the
// digest view, each version's content taken from git where its hash says it is git's, and a
// template holding another read again whole: llmgateway/digests.ts) and filters; AI Studio guides
// with their latest and production versions (two reads a guide at most: there is no listing of
// versions); AI Studio summary settings. Guides and summary settings are two surfaces, read and
// judged apart: the platform gives them separate rights (the SDK's AIStudioApi asks
// aiStudio:guide:view for getGuides, aiStudio:summaryConfig:view for
// getConversationsSummariesSettings), and only guides sit behind a feature toggle (the Terraform
// provider's guide/resource_genesyscloud_guide_utils.go GuideFtIsEnabled), so an org may serve one
// and refuse the other. A surface the org does not serve at all (its listing answers 404) is
// reported as unavailable rather than failing the read: plan decides whether that matters. A
// surface that answers otherwise (403 to a client without its rights, a 5xx where the feature is
// off) fails the read, unless the caller collects it (readLiveParts: plan fails only if git uses it).
// For a promotion check, only what it names of the previous org (readPromotionSource).
import type { AiStudioApi } from './aistudio/api.js';
import type { WireGuide, WireGuideVersion, WireSummarySetting } from './aistudio/wire.js';
import type { GatewayApi } from './llmgateway/api.js';
import type { WireFilter, WireTemplate } from './llmgateway/wire.js';
import { fromDigests, readAllAgain, type GitVersionContent, type LeftAloneUnread } from './llmgateway/digests.js';
import { TOKEN_PATH } from '../genesys/conventions.js';
import { GUIDES_BASE } from './aistudio/paths.js';

/**
 * An API surface: what one set of rights and one listing serve, which an org may serve, refuse
 * or lack apart from the others (AI Studio is two: guides and summary settings).
 */
export type Surface = 'llmgateway' | 'guides' | 'summarysettings';

/** Every surface, in reading order. */
export const SURFACES: readonly Surface[] = ['llmgateway', 'guides', 'summarysettings'];

/** Which surfaces a read asks for (each absent one: yes). */
export type SurfaceNeed = Partial<Record<Surface, boolean>>;

/** A guide with the versions plan compares against. */
export interface LiveGuide extends WireGuide {
  /** The newest version, whatever its state (latestSavedVersion). */
  latest?: WireGuideVersion;
  /** The newest ProductionReady version, when it is not the latest. */
  production?: WireGuideVersion;
  /**
   * Its versions were not read (`latest` and `production` absent whatever it holds): a guide git
   * neither defines nor ever defined, which a plan leaves alone by its name (GuideVersionNeed).
   */
  versionsUnread?: true;
}

/**
 * Which listed guides' versions a read needs, by name (undefined: every guide's). Each costs up
 * to two reads: an org's hundreds of guides made in Genesys, which a plan only names as left
 * alone, would cost as many requests against its rate limit on every run.
 */
export type GuideVersionNeed = (guides: readonly WireGuide[]) => Promise<ReadonlySet<string> | undefined>;

/** What a read of every surface may leave out. */
export interface LiveReadScope {
  guideVersions?: GuideVersionNeed;
  /**
   * The content git holds for each prompt version (once the files have loaded): the templates are
   * then listed in the digest view, and a version whose content hash matches git's takes git's
   * content instead of reading it (llmgateway/digests.ts). Absent: listed whole.
   */
  gitVersions?: () => Promise<GitVersionContent>;
  /** With gitVersions: a template git holds no version of that the plan leaves alone, its versions' content unread (not promptctl's). */
  leftAlone?: LeftAloneUnread;
}

export interface LiveState {
  /** LLM Gateway: every template, with `versions` and `traffic` expanded. */
  templates: WireTemplate[];
  filters: WireFilter[];
  /** AI Studio (absent: not read). */
  guides?: LiveGuide[];
  summarySettings?: WireSummarySetting[];
  /** Surfaces the target does not serve (their listings answer 404). */
  unavailable?: Surface[];
}

export interface Targets {
  gateway: GatewayApi;
  aistudio?: AiStudioApi;
}

/** A surface whose listing the server refused with an HTTP answer other than 404. */
export interface SurfaceFailure {
  surface: Surface;
  /** The target's ApiError. */
  error: unknown;
  /**
   * The call refused was the read of a guide's version, not the listing: a right of its own (the
   * SDK's getGuideVersion asks aiStudio:guideVersion:view), which a client that lists guides may lack.
   */
  versionRead?: true;
}

/** Reads what `need` names (default: every surface the targets have); any refusal but a 404 fails it. */
export async function readLiveState(t: Targets, need: SurfaceNeed = {}, scope: LiveReadScope = {}): Promise<LiveState> {
  const { live, failed } = await readLiveParts(t, need, scope);
  if (failed[0]) throw failed[0].error;
  return live;
}

/**
 * readLiveState, with each surface the server refused (a 403 to a client without its rights, a
 * 5xx where the feature is off) set apart instead of failing the read: whether that matters
 * depends on what git defines. Anything else (the network, a 401) still fails it.
 */
export async function readLiveParts(t: Targets, need: SurfaceNeed = {}, scope: LiveReadScope = {}): Promise<{ live: LiveState; failed: SurfaceFailure[] }> {
  const want = (s: Surface) => (need[s] ?? true) && (s === 'llmgateway' || t.aistudio !== undefined);
  const parts = await Promise.all([
    want('llmgateway') ? refusedApart('llmgateway', () => servedOr('llmgateway', () => readGateway(t.gateway, scope.gitVersions, scope.leftAlone))) : undefined,
    want('guides') ? refusedApart('guides', () => servedOr('guides', () => readGuides(t.aistudio!, scope.guideVersions))) : undefined,
    want('summarysettings') ? refusedApart('summarysettings', () => servedOr('summarysettings', async () => ({ summarySettings: await t.aistudio!.listSummarySettings() }))) : undefined,
  ]);
  const live: LiveState = { templates: [], filters: [] };
  const failed: SurfaceFailure[] = [];
  for (const r of parts) {
    if (!r) continue;
    if ('failed' in r) failed.push(r.failed);
    else if ('unavailable' in r) live.unavailable = [...(live.unavailable ?? []), ...r.unavailable].sort();
    else Object.assign(live, r);
  }
  return { live, failed };
}

/** `read`'s answer, or the refusal apart when the server answered the surface's read with an HTTP error. */
async function refusedApart<T extends object>(surface: Surface, read: () => Promise<T>): Promise<T | { failed: SurfaceFailure }> {
  try {
    return await read();
  } catch (err) {
    if (isRefusal(err)) return { failed: { surface, error: err, ...(isGuideVersionRead(err) ? { versionRead: true as const } : {}) } };
    throw err;
  }
}

async function readGateway(api: GatewayApi, gitVersions?: () => Promise<GitVersionContent>, leftAlone?: LeftAloneUnread): Promise<{ templates: WireTemplate[]; filters: WireFilter[] }> {
  const whole = () => api.listTemplates({ expand: ['versions', 'traffic'] });
  if (!gitVersions) {
    const [templates, filters] = await Promise.all([whole(), api.listFilters()]);
    return { templates, filters };
  }
  const [digests, filters] = await Promise.all([
    // A server that refuses the view as a parameter it does not know (400) is read whole.
    api.listTemplateDigests().catch((err: unknown) => (isBadRequest(err) ? undefined : Promise.reject(err))),
    api.listFilters(),
  ]);
  if (!digests) return { templates: await whole(), filters };
  const { templates, unread } = fromDigests(digests, await gitVersions(), leftAlone);
  if (readAllAgain(unread.length, templates.length)) return { templates: await whole(), filters };
  const gone = new Set<number>();
  await Promise.all(
    unread.map(async (i) => {
      const t = templates[i]!;
      // The template read again whole, its split and its own fields with its versions: one read of
      // it, as the listing's page was, never the listing's split beside a later read's versions
      // (a version published and routed in between would be planned as unrouted, the split as
      // unchanged). A 404: the template was deleted since it was listed (never "the org has no gateway").
      const read = await api.getTemplate(t.id, { expand: ['versions', 'traffic'] }).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
      if (read) templates[i] = read;
      else gone.add(i);
    }),
  );
  return { templates: gone.size === 0 ? templates : templates.filter((_, i) => !gone.has(i)), filters };
}

/** Every guide, with the versions `versionsOf` names (default: every guide's). */
async function readGuides(api: AiStudioApi, versionsOf?: GuideVersionNeed): Promise<{ guides: LiveGuide[] }> {
  const guides = await api.listGuides();
  const needed = versionsOf ? await versionsOf(guides) : undefined;
  const withVersions = await Promise.all(guides.map((g) => (needed && !needed.has(g.name) ? { ...g, versionsUnread: true as const } : guideWithVersions(api, g))));
  return { guides: withVersions.filter((g): g is LiveGuide => g !== undefined) };
}

/** What a promotion check reads of the previous org (plan/promotion.ts promotionReads says what). */
export interface PromotionSourceReads {
  templates: boolean;
  guides: readonly string[];
  summarySettings: readonly string[];
}

/**
 * The previous org as a promotion check needs it, and no more: templates with their versions
 * when versions are brought, and the named guides and summary settings. A read-only client
 * without rights to filters, or to other objects, is enough. A surface the org does not serve
 * (its listing answers 404) is `unavailable`, for the gateway as for guides and summary settings,
 * each apart.
 */
export async function readPromotionSource(
  t: Required<Targets>,
  need: PromotionSourceReads,
): Promise<Pick<LiveState, 'templates' | 'guides' | 'summarySettings' | 'unavailable'>> {
  const [templates, guides, settings] = await Promise.all([
    need.templates ? readTemplates(t.gateway) : undefined,
    need.guides.length > 0 ? readNamedGuides(t.aistudio, need.guides) : undefined,
    need.summarySettings.length > 0 ? readNamedSummarySettings(t.aistudio, need.summarySettings) : undefined,
  ]);
  const out: Pick<LiveState, 'templates' | 'guides' | 'summarySettings' | 'unavailable'> = { templates: templates?.templates ?? [] };
  if (guides?.guides) out.guides = guides.guides;
  if (settings?.summarySettings) out.summarySettings = settings.summarySettings;
  const unavailable = [...new Set([templates, guides, settings].flatMap((r) => r?.unavailable ?? []))].sort();
  if (unavailable.length > 0) out.unavailable = unavailable;
  return out;
}

/**
 * The guides of these names alone, with their versions (what a promotion check needs of the
 * previous org: no listing of everything, no other surface). `unavailable` when the org does not
 * serve AI Studio guides.
 */
export function readNamedGuides(api: AiStudioApi, names: readonly string[]): Promise<Pick<LiveState, 'guides' | 'unavailable'>> {
  return servedOr('guides', async () => {
    const found = await Promise.all(
      names.map(async (name) => {
        const g = (await api.listGuides({ name })).find((x) => x.name === name);
        return g && guideWithVersions(api, g);
      }),
    );
    return { guides: found.filter((g): g is LiveGuide => g !== undefined) };
  });
}

/** Every template with its versions. `unavailable` when the org does not serve the LLM Gateway. */
function readTemplates(api: GatewayApi): Promise<Partial<Pick<LiveState, 'templates' | 'unavailable'>>> {
  return servedOr('llmgateway', async () => ({ templates: await api.listTemplates({ expand: ['versions'] }) }));
}

/** The summary settings of these names alone. `unavailable` when the org does not serve AI Studio summary settings. */
export function readNamedSummarySettings(api: AiStudioApi, names: readonly string[]): Promise<Pick<LiveState, 'summarySettings' | 'unavailable'>> {
  return servedOr('summarysettings', async () => {
    const found = await Promise.all(names.map(async (name) => (await api.listSummarySettings({ name })).find((s) => s.name === name)));
    return { summarySettings: found.filter((s): s is WireSummarySetting => s !== undefined) };
  });
}

/**
 * A guide with its latest and production versions. A version that answers 404 belongs to a guide
 * deleted while it was read: that guide is left out (a 404 here must not read as "the org has no
 * AI Studio guides").
 */
async function guideWithVersions(api: AiStudioApi, g: WireGuide): Promise<LiveGuide | undefined> {
  const version = (label: string) => api.getGuideVersion(g.id, label).catch((err: unknown) => (isNotFound(err) ? null : Promise.reject(err)));
  const latestLabel = g.latestSavedVersion?.version;
  const prodLabel = g.latestProductionReadyVersion?.version;
  const [latest, production] = await Promise.all([
    latestLabel ? version(latestLabel) : undefined,
    prodLabel && prodLabel !== latestLabel ? version(prodLabel) : undefined,
  ]);
  if (latest === null || production === null) return undefined;
  const out: LiveGuide = { ...g };
  if (latest) out.latest = latest;
  if (production) out.production = production;
  return out;
}

/** A target's 404 (an ApiError, known by shape: the core may know targets' types, not their code). */
function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; status?: number; path?: string };
  return e?.name === 'ApiError' && e.status === 404 && e.path !== TOKEN_PATH;
}

/** A target's error from reading a guide's version (GET /api/v2/guides/{id}/versions/{version}). */
function isGuideVersionRead(err: unknown): boolean {
  const e = err as { method?: string; path?: string };
  return e?.method === 'GET' && typeof e.path === 'string' && e.path.startsWith(`${GUIDES_BASE}/`) && e.path.includes('/versions/');
}

/** A target's 400 (an ApiError, known by shape). */
function isBadRequest(err: unknown): boolean {
  const e = err as { name?: string; status?: number };
  return e?.name === 'ApiError' && e.status === 400;
}

/**
 * A target's refusal of a read: an ApiError with an HTTP status, other than 401 and other than the
 * token request's (the credentials or the login URL, not the surface: they fail every command).
 */
function isRefusal(err: unknown): boolean {
  const e = err as { name?: string; status?: number; path?: string };
  return e?.name === 'ApiError' && typeof e.status === 'number' && e.status >= 400 && e.status !== 401 && e.path !== TOKEN_PATH;
}

/** `read`'s answer, or the surface as unavailable when the org does not serve it (its listing answers 404). */
async function servedOr<T extends object>(s: Surface, read: () => Promise<T>): Promise<T | { unavailable: Surface[] }> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return { unavailable: [s] };
    throw err;
  }
}
