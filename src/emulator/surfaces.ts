// API surfaces the emulator can switch off (EmulatorOptions.surfaces) or refuse (EmulatorOptions.
// refuse): a switched-off surface answers 404 not.found for every one of its paths, as an org
// without it does (DESIGN §3b). AI Studio is two surfaces, guides and summary settings, since the
// real platform serves and refuses them apart (separate rights, aiStudio:guide:* and
// aiStudio:summaryConfig:*; guides alone behind a feature toggle); `aistudio` names both at once.
import { GUIDES_BASE, SUMMARY_SETTINGS_BASE } from '../targets/aistudio/paths.js';
import { ANALYTICS_PATH, API_BASE } from '../targets/llmgateway/paths.js';

export type Surface = 'llmgateway' | 'guides' | 'summarysettings';

/** A name for several surfaces at once: `aistudio` is guides and summary settings. */
export type SurfaceGroup = 'aistudio';

/** What a --surfaces list or an option's key may name. */
export type SurfaceName = Surface | SurfaceGroup;

/**
 * Which surfaces are served; each defaults to on. A surface's own key wins over its group's
 * (`{ aistudio: false, summarysettings: true }` serves summary settings alone of AI Studio).
 */
export type Surfaces = Partial<Record<SurfaceName, boolean>>;

export const SURFACES: readonly Surface[] = ['llmgateway', 'guides', 'summarysettings'];

const GROUPS: Record<SurfaceGroup, readonly Surface[]> = { aistudio: ['guides', 'summarysettings'] };

const PREFIXES: Record<Surface, readonly string[]> = {
  llmgateway: [API_BASE, ANALYTICS_PATH],
  guides: [GUIDES_BASE],
  summarysettings: [SUMMARY_SETTINGS_BASE],
};

/** The surface a request path belongs to, if any (login and platform paths belong to none). */
export function surfaceOf(pathname: string): Surface | undefined {
  for (const s of SURFACES) {
    if (PREFIXES[s].some((p) => pathname === p || pathname.startsWith(`${p}/`))) return s;
  }
  return undefined;
}

/** The group a surface belongs to, if any. */
function groupOf(s: Surface): SurfaceGroup | undefined {
  return (Object.keys(GROUPS) as SurfaceGroup[]).find((g) => GROUPS[g].includes(s));
}

/** What a per-surface setting (on/off, a refusal's status) says of `s`: its own key, else its group's. */
export function settingOf<V>(settings: Partial<Record<SurfaceName, V>> | undefined, s: Surface): V | undefined {
  if (!settings) return undefined;
  const group = groupOf(s);
  return settings[s] ?? (group ? settings[group] : undefined);
}

/** Whether the path belongs to a surface that is switched off. */
export function surfaceOff(surfaces: Surfaces | undefined, pathname: string): boolean {
  const s = surfaceOf(pathname);
  return s !== undefined && settingOf(surfaces, s) === false;
}

/** The routes of the surfaces that are on (a route's literal head tells its surface). */
export function servedRoutes<R extends { segments: string[] }>(routes: R[], surfaces: Surfaces | undefined): R[] {
  return routes.filter((r) => !surfaceOff(surfaces, `/${r.segments.join('/')}`));
}

/**
 * The surfaces named in a comma-separated list (the form of `promptctl emulator --surfaces
 * llmgateway,summarysettings`; `aistudio` names guides and summary settings both): those named are
 * on, the others off. Throws a RangeError naming the known names for an unknown one.
 */
export function parseSurfaces(list: string): Surfaces {
  const named = list.split(',').map((s) => s.trim()).filter(Boolean);
  const known: readonly string[] = [...SURFACES, ...Object.keys(GROUPS)];
  const unknown = named.filter((s) => !known.includes(s));
  if (unknown.length > 0) throw new RangeError(`unknown surface ${unknown.join(', ')}: the surfaces are ${known.join(', ')}`);
  const on = new Set(named.flatMap((n) => (n in GROUPS ? GROUPS[n as SurfaceGroup] : [n as Surface])));
  return Object.fromEntries(SURFACES.map((s) => [s, on.has(s)])) as Surfaces;
}
