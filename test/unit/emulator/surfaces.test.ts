// Which surface a path belongs to, and the --surfaces list.
import { describe, expect, it } from 'vitest';
import { parseSurfaces, servedRoutes, settingOf, surfaceOf, surfaceOff } from '../../../src/emulator/surfaces.js';

describe('emulator surfaces', () => {
  it('knows the surface of a path by its head', () => {
    expect(surfaceOf('/api/v2/guides')).toBe('guides');
    expect(surfaceOf('/api/v2/guides/abc/versions/1.0')).toBe('guides');
    expect(surfaceOf('/api/v2/conversations/summaries/settings/x')).toBe('summarysettings');
    expect(surfaceOf('/api/v2/llmgateway/prompttemplates')).toBe('llmgateway');
    expect(surfaceOf('/api/v2/analytics/llmgateway/aggregates/query')).toBe('llmgateway');
    expect(surfaceOf('/api/v2/guidesx')).toBeUndefined();
    expect(surfaceOf('/api/v2/organizations/me')).toBeUndefined();
    expect(surfaceOff({ aistudio: false }, '/api/v2/guides')).toBe(true);
    expect(surfaceOff({ aistudio: false }, '/api/v2/conversations/summaries/settings')).toBe(true);
    expect(surfaceOff({ aistudio: false }, '/api/v2/llmgateway/invocations')).toBe(false);
    expect(surfaceOff(undefined, '/api/v2/guides')).toBe(false);
  });

  it('switches guides and summary settings off apart, a surface\'s own key over aistudio\'s', () => {
    expect(surfaceOff({ guides: false }, '/api/v2/guides/abc')).toBe(true);
    expect(surfaceOff({ guides: false }, '/api/v2/conversations/summaries/settings')).toBe(false);
    expect(surfaceOff({ summarysettings: false }, '/api/v2/conversations/summaries/settings/x')).toBe(true);
    expect(surfaceOff({ summarysettings: false }, '/api/v2/guides')).toBe(false);
    expect(surfaceOff({ aistudio: false, summarysettings: true }, '/api/v2/conversations/summaries/settings')).toBe(false);
    expect(surfaceOff({ aistudio: false, summarysettings: true }, '/api/v2/guides')).toBe(true);
    expect(settingOf({ aistudio: 403, guides: 501 }, 'guides')).toBe(501);
    expect(settingOf({ aistudio: 403 }, 'summarysettings')).toBe(403);
    expect(settingOf({ aistudio: 403 }, 'llmgateway')).toBeUndefined();
  });

  it('drops the routes of a switched-off surface', () => {
    const routes = [{ segments: ['api', 'v2', 'guides'] }, { segments: ['api', 'v2', 'llmgateway', 'prompttemplates'] }];
    expect(servedRoutes(routes, { llmgateway: false })).toEqual([routes[0]]);
    expect(servedRoutes(routes, {})).toEqual(routes);
  });

  it('reads a --surfaces list', () => {
    expect(parseSurfaces('llmgateway, aistudio')).toEqual({ llmgateway: true, guides: true, summarysettings: true });
    expect(parseSurfaces('aistudio')).toEqual({ llmgateway: false, guides: true, summarysettings: true });
    expect(parseSurfaces('summarysettings')).toEqual({ llmgateway: false, guides: false, summarysettings: true });
    expect(parseSurfaces('llmgateway,guides')).toEqual({ llmgateway: true, guides: true, summarysettings: false });
    expect(() => parseSurfaces('aistudio,studio')).toThrow(/unknown surface studio: the surfaces are llmgateway, guides, summarysettings, aistudio/);
  });
});
