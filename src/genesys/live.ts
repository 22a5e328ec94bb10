// The live org as plan needs it, read in a handful of calls whatever its size: templates with
// their versions and traffic expanded (pages fetched concurrently), and every safety filter.
import type { GatewayApi, LiveState } from './api.js';

export async function readLiveState(api: GatewayApi): Promise<LiveState> {
  const [templates, filters] = await Promise.all([
    api.listTemplates({ expand: ['versions', 'traffic'] }),
    api.listFilters(),
  ]);
  return { templates, filters };
}
