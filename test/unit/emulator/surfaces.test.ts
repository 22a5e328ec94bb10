// Which surface a path belongs to, and the --surfaces list.
import { describe, expect, it } from 'vitest';
import { parseSurfaces, servedRoutes, surfaceOf, surfaceOff } from '../../../src/emulator/surfaces.js';

describe('emulator surfaces', () => {
  it('knows the surface of a path by its head', () => {
    expect(surfaceOf('/api/v2/guides')).toBe('aistudio');
    expect(surfaceOf('/api/v2/guides/abc/versions/1.0')).toBe('aistudio');
    expect(surfaceOf('/api/v2/conversations/summaries/settings/x')).toBe('aistudio');
    expect(surfaceOf('/api/v2/llmgateway/prompttemplates')).toBe('llmgateway');
    expect(surfaceOf('/api/v2/analytics/llmgateway/aggregates/query')).toBe('llmgateway');
    expect(surfaceOf('/api/v2/guidesx')).toBeUndefined();
    expect(surfaceOf('/api/v2/organizations/me')).toBeUndefined();
    expect(surfaceOff({ aistudio: false }, '/api/v2/guides')).toBe(true);
    expect(surfaceOff({ aistudio: false }, '/api/v2/llmgateway/invocations')).toBe(false);
    expect(surfaceOff(undefined, '/api/v2/guides')).toBe(false);
  });

  it('drops the routes of a switched-off surface', () => {
    const routes = [{ segments: ['api', 'v2', 'guides'] }, { segments: ['api', 'v2', 'llmgateway', 'prompttemplates'] }];
    expect(servedRoutes(routes, { llmgateway: false })).toEqual([routes[0]]);
    expect(servedRoutes(routes, {})).toEqual(routes);
  });

  it('reads a --surfaces list', () => {
    expect(parseSurfaces('llmgateway, aistudio')).toEqual({ llmgateway: true, aistudio: true });
    expect(parseSurfaces('aistudio')).toEqual({ llmgateway: false, aistudio: true });
    expect(() => parseSurfaces('aistudio,guides')).toThrow(/unknown surface guides: the surfaces are llmgateway, aistudio/);
  });
});
