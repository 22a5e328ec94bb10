// The registry of resource kinds: one line per kind. The plan engine plans through it (in this
// order: filters before the templates they guard; the AI Studio kinds after the gateway's), the
// executor applies through it, and the clients' "did my write land?" checks come from the same
// canonical forms.
import { parseAddress, type AnyResourceKind } from '../model/address.js';
import type { AiStudioWriteChecks } from '../targets/aistudio/client.js';
import type { GatewayWriteChecks } from '../targets/llmgateway/client.js';
import type { SurfaceFailure } from '../targets/live.js';
import { GuideKind, guideLanded, landed as guideVersionLanded } from './Guide/index.js';
import type { Kind, LiveState, Midway, Snapshot, Surface } from './kind.js';
import type { Canonical } from './canonical.js';
import { landed as templateLanded, PromptTemplateKind } from './PromptTemplate/index.js';
import { landed as versionLanded, PromptVersionKind } from './PromptVersion/index.js';
import { landed as filterLanded, SafetyFilterKind } from './SafetyFilter/index.js';
import { landed as summaryLanded, SummarySettingKind } from './SummarySetting/index.js';
import { landed as trafficLanded, TrafficSplitKind } from './TrafficSplit/index.js';

export const KINDS: Readonly<Record<AnyResourceKind, Kind<never>>> = {
  SafetyFilter: SafetyFilterKind as Kind<never>,
  PromptTemplate: PromptTemplateKind as Kind<never>,
  PromptVersion: PromptVersionKind as Kind<never>,
  TrafficSplit: TrafficSplitKind as Kind<never>,
  Guide: GuideKind as Kind<never>,
  SummarySetting: SummarySettingKind as Kind<never>,
};

/** The kinds in planning order: each may depend on what those before it planned. */
export const PLANNING_ORDER: readonly Kind<never>[] = Object.values(KINDS);

export function kindOf(kind: AnyResourceKind): Kind<never> {
  return KINDS[kind];
}

/**
 * How a surface is called in messages ("does not serve the AI Studio guides API"). AI Studio is
 * named by its part: an org may serve its guides and refuse its summary settings, or the reverse.
 */
export const SURFACE_NAMES: Readonly<Record<Surface, string>> = {
  llmgateway: 'LLM Gateway',
  guides: 'AI Studio guides',
  summarysettings: 'AI Studio summary settings',
};

/** What a surface's listing lists, in messages ("refused to list its AI Studio guides"). */
export const SURFACE_OBJECTS: Readonly<Record<Surface, string>> = {
  llmgateway: 'LLM Gateway objects',
  guides: 'AI Studio guides',
  summarysettings: 'AI Studio summary settings',
};

/**
 * The right a client needs to list a surface, where the platform names one (the SDK's AIStudioApi:
 * getGuides, getConversationsSummariesSettings); the LLM Gateway contract names none.
 */
export const SURFACE_LIST_RIGHT: Readonly<Partial<Record<Surface, string>>> = {
  guides: 'aiStudio:guide:view',
  summarysettings: 'aiStudio:summaryConfig:view',
};

/**
 * What a refused read of a surface read, in messages ("refused to read its AI Studio guides'
 * versions"), and the right it needs: the listing's, or for a guide's version the SDK's
 * getGuideVersion right, which is not the listing's (a client may list guides and not read them).
 */
export function refusedRead(f: Pick<SurfaceFailure, 'surface' | 'versionRead'> & { error?: unknown }): { verb: 'list' | 'read'; objects: string; right: string | undefined } {
  // The permission the refused call named on its error (targets/aistudio/rights.ts), else the surface's own.
  const named = (f.error as { right?: unknown } | undefined)?.right;
  const right = typeof named === 'string' ? named : undefined;
  if (f.versionRead) return { verb: 'read', objects: "AI Studio guides' versions", right: right ?? 'aiStudio:guideVersion:view' };
  return { verb: 'list', objects: SURFACE_OBJECTS[f.surface], right: right ?? SURFACE_LIST_RIGHT[f.surface] };
}

/** The kinds a surface serves, in registry order. */
export function surfaceKinds(surface: Surface): AnyResourceKind[] {
  return PLANNING_ORDER.filter((k) => k.surface === surface).map((k) => k.kind);
}

/** The gateway client's reconciliation checks, from the kinds' canonical forms. */
export const gatewayWriteChecks: GatewayWriteChecks = {
  template: templateLanded,
  filter: filterLanded,
  traffic: trafficLanded,
  version: versionLanded,
};

/** The AI Studio client's reconciliation checks, from the kinds' canonical forms. */
export const aiStudioWriteChecks: AiStudioWriteChecks = {
  guide: guideLanded,
  guideVersion: guideVersionLanded,
  summarySetting: summaryLanded,
};

/** The half-done states an intent's write can leave (kinds' `midway`), to settle interrupted runs. */
export function midwayOf(intent: { address: string; before: { content?: unknown } | null; after: { content?: unknown } | null }): Midway[] {
  const address = parseAddress(intent.address);
  if (!address || !intent.after || !isKind(address.kind)) return [];
  return KINDS[address.kind].midway?.({ before: intent.before, after: intent.after }) ?? [];
}

/**
 * Whether a live object holds what an intent's write meant, where that write left fields for the
 * org to fill in (kinds' `holdsIntended`), to settle interrupted runs: false where the kind has none.
 */
export function holdsIntendedOf(intent: { address: string; after: { content?: unknown } | null }, live: Snapshot): boolean {
  const address = parseAddress(intent.address);
  const intended = intent.after?.content;
  if (!address || !isKind(address.kind) || !isCanonical(intended) || !isCanonical(live.content)) return false;
  return KINDS[address.kind].holdsIntended?.(intended, live.content) ?? false;
}

function isCanonical(v: unknown): v is Canonical {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The states an intent's object holds while a publish job its write starts runs (kinds' `publishing`), which settling waits on. */
export function publishingOf(intent: { address: string; before: { content?: unknown } | null; after: { content?: unknown } | null }): string[] {
  const address = parseAddress(intent.address);
  if (!address || !intent.after || !isKind(address.kind)) return [];
  return KINDS[address.kind].publishing?.({ before: intent.before, after: intent.after }) ?? [];
}

/** The surface that serves an address's kind; undefined for an address of no kind this promptctl knows. */
export function surfaceOfAddress(address: string): Surface | undefined {
  const kind = parseAddress(address)?.kind;
  return kind && isKind(kind) ? KINDS[kind].surface : undefined;
}

/**
 * The surfaces that serve these addresses, as readLiveState's `need` (to settle interrupted runs
 * without reading a surface the org may refuse). An address of no known kind asks for none: no
 * read can show an object of it (liveSnapshots knows only the kinds here).
 */
export function surfacesServing(addresses: Iterable<string>): Record<Surface, boolean> {
  const need: Record<Surface, boolean> = { llmgateway: false, guides: false, summarysettings: false };
  for (const a of addresses) {
    const surface = surfaceOfAddress(a);
    if (surface) need[surface] = true;
  }
  return need;
}

function isKind(kind: string): kind is AnyResourceKind {
  return Object.hasOwn(KINDS, kind);
}

/** Every live object by address, as audit records describe it (to settle interrupted runs). */
export function liveSnapshots(live: LiveState): Map<string, Snapshot> {
  const out = new Map<string, Snapshot>();
  for (const kind of PLANNING_ORDER) for (const [address, snap] of kind.snapshots(live)) out.set(address, snap);
  return out;
}

/** The id each live object's audit records carry (resourceId), by address. */
export function liveResourceIds(live: LiveState): Map<string, string> {
  const out = new Map<string, string>();
  for (const kind of PLANNING_ORDER) for (const [address, , id] of kind.snapshots(live)) out.set(address, id);
  return out;
}

/**
 * Where the live object of an address's kind with a given id is now (from liveResourceIds), to
 * find an interrupted run's object renamed since: a version by its template's id and its own label,
 * a split by its template's id, any other object by its own id.
 */
export function addressOfId(ids: ReadonlyMap<string, string>): (address: string, id: string) => string | undefined {
  const byIdentity = new Map<string, string>();
  for (const [address, id] of ids) {
    const key = identityKey(address, id);
    if (key !== undefined) byIdentity.set(key, address);
  }
  return (address, id) => {
    const key = identityKey(address, id);
    return key === undefined ? undefined : byIdentity.get(key);
  };
}

function identityKey(address: string, id: string): string | undefined {
  const a = parseAddress(address);
  if (!a) return undefined;
  return JSON.stringify([a.kind, id, a.kind === 'PromptVersion' ? a.version : null]);
}

/**
 * Whether the id audit records carry for an address's objects is their parent's, not their own: a
 * prompt version's is its template's, so it cannot tell a retired label made again apart.
 */
export function idIsParents(address: string): boolean {
  return parseAddress(address)?.kind === 'PromptVersion';
}
