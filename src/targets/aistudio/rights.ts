// The permission each AI Studio call asks of the OAuth client, as the official SDK's AIStudioApi
// documents them ("Requires ALL permissions", docs/AIStudioApi.md), so a refused call (403) names
// what to grant. PATCH of a guide and the summary settings' writes are read off the pattern of the
// others and the platform's summaryConfig permission family (view, add, edit, delete): assumed.
// DESIGN §3b's permission list omits aiStudio:guideJob:add/view and aiStudio:guideSessionTurn:add,
// which the SDK's docs name and this table asks for (README's Credentials section lists them).
import { GUIDES_BASE, SUMMARY_SETTINGS_BASE } from './paths.js';

const SEGMENT = '[^/]+';
const RIGHTS: ReadonlyArray<{ method: string; path: RegExp; right: string }> = [
  { method: 'GET', path: route(''), right: 'aiStudio:guide:view' },
  { method: 'POST', path: route(''), right: 'aiStudio:guide:add' },
  { method: 'GET', path: route('/G'), right: 'aiStudio:guide:view' },
  { method: 'PATCH', path: route('/G'), right: 'aiStudio:guide:edit' },
  { method: 'DELETE', path: route('/G/jobs'), right: 'aiStudio:guideJob:add' },
  { method: 'GET', path: route('/G/jobs/G'), right: 'aiStudio:guideJob:view' },
  { method: 'POST', path: route('/G/versions'), right: 'aiStudio:guideVersion:add' },
  { method: 'GET', path: route('/G/versions/G'), right: 'aiStudio:guideVersion:view' },
  { method: 'PATCH', path: route('/G/versions/G'), right: 'aiStudio:guideVersion:edit' },
  { method: 'POST', path: route('/G/versions/G/jobs'), right: 'aiStudio:guideVersionJob:add' },
  { method: 'GET', path: route('/G/versions/G/jobs/G'), right: 'aiStudio:guideVersionJob:view' },
  { method: 'POST', path: route('/G/sessions/G/turns'), right: 'aiStudio:guideSessionTurn:add' },
  { method: 'GET', path: settings(''), right: 'aiStudio:summaryConfig:view' },
  { method: 'POST', path: settings(''), right: 'aiStudio:summaryConfig:add' },
  { method: 'GET', path: settings('/G'), right: 'aiStudio:summaryConfig:view' },
  { method: 'PUT', path: settings('/G'), right: 'aiStudio:summaryConfig:edit' },
  { method: 'DELETE', path: settings('/G'), right: 'aiStudio:summaryConfig:delete' },
];

/** The permission an AI Studio call needs; undefined for any other call (the LLM Gateway contract names none). */
export function requiredRight(method: string | undefined, path: string | undefined): string | undefined {
  if (method === undefined || path === undefined) return undefined;
  const bare = path.split('?')[0]!;
  return RIGHTS.find((r) => r.method === method.toUpperCase() && r.path.test(bare))?.right;
}

function route(rest: string): RegExp {
  return new RegExp(`^${GUIDES_BASE}${rest.replace(/G/g, SEGMENT)}$`);
}

function settings(rest: string): RegExp {
  return new RegExp(`^${SUMMARY_SETTINGS_BASE}${rest.replace(/G/g, SEGMENT)}$`);
}
