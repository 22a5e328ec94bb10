// API surfaces the emulator can switch off (EmulatorOptions.surfaces): a switched-off surface
// answers 404 not.found for every one of its paths, as an org without it does (DESIGN §3b).
import { AISTUDIO_PREFIXES } from '../targets/aistudio/paths.js';
import { ANALYTICS_PATH, API_BASE } from '../targets/llmgateway/paths.js';

export type Surface = 'llmgateway' | 'aistudio';

/** Which surfaces are served; each defaults to on. */
export type Surfaces = Partial<Record<Surface, boolean>>;

export const SURFACES: readonly Surface[] = ['llmgateway', 'aistudio'];

const PREFIXES: Record<Surface, readonly string[]> = {
  llmgateway: [API_BASE, ANALYTICS_PATH],
  aistudio: AISTUDIO_PREFIXES,
};

/** The surface a request path belongs to, if any (login and platform paths belong to none). */
export function surfaceOf(pathname: string): Surface | undefined {
  for (const s of SURFACES) {
    if (PREFIXES[s].some((p) => pathname === p || pathname.startsWith(`${p}/`))) return s;
  }
  return undefined;
}

/** Whether the path belongs to a surface that is switched off. */
export function surfaceOff(surfaces: Surfaces | undefined, pathname: string): boolean {
  const s = surfaceOf(pathname);
  return s !== undefined && surfaces?.[s] === false;
}

/** The routes of the surfaces that are on (a route's literal head tells its surface). */
export function servedRoutes<R extends { segments: string[] }>(routes: R[], surfaces: Surfaces | undefined): R[] {
  return routes.filter((r) => !surfaceOff(surfaces, `/${r.segments.join('/')}`));
}

/**
 * The surfaces named in a comma-separated list (the form of `promptctl emulator --surfaces
 * llmgateway,aistudio`): those named are on, the others off. Throws a RangeError naming the
 * known surfaces for an unknown one.
 */
export function parseSurfaces(list: string): Surfaces {
  const named = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = named.filter((s) => !(SURFACES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new RangeError(`unknown surface ${unknown.join(', ')}: the surfaces are ${SURFACES.join(', ')}`);
  return Object.fromEntries(SURFACES.map((s) => [s, named.includes(s)])) as Surfaces;
}
