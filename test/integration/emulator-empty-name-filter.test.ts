// An empty `name=` on the template, filter and guide listings (a client or a form leaving the
// field unset) matched nothing, while every other empty parameter (`status=`, `sortBy=`, paging) is
// taken as absent: a listing asked with `name=` answered total 0 on an org full of objects. An empty
// `name` (and a guide's `nameContains`) is now absent too, over real HTTP; so is a summary
// setting's empty `language=`, which matched nothing the same way.
import { beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { paths as studio } from '../../src/targets/aistudio/paths.js';
import { emulatorForFile, filterBody } from './emulator-fixture.js';

const api = emulatorForFile({ aiStudio: { newGuideDraft: false } });

beforeAll(async () => {
  await api.template('empty-name-a');
  await api.template('empty-name-b');
  expect((await api.post(paths.filters(), filterBody('empty-name-filter', 30))).status).toBe(201);
  expect((await api.post(studio.guides(), { name: 'Empty name guide', source: 'Manual' })).status).toBe(200);
});

/** The names a listing answers. */
async function names(uri: string): Promise<string[]> {
  const r = await api.get(uri);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.entities.map((e: { name: string }) => e.name);
}

describe('an empty text filter on a listing is absent, as other empty parameters are', () => {
  it('templates: name= lists every template, as no name does', async () => {
    expect(await names(`${paths.templates()}?name=`)).toEqual(['empty-name-a', 'empty-name-b']);
    expect(await names(`${paths.templates()}?name=empty-name-b`)).toEqual(['empty-name-b']);
  });

  it('templates: view= is the full view, as no view is (it was refused, 400, the one empty parameter that was)', async () => {
    const full = await api.get(`${paths.templates()}?name=empty-name-a`);
    const empty = await api.get(`${paths.templates()}?name=empty-name-a&view=`);
    expect(empty.status, JSON.stringify(empty.body)).toBe(200);
    expect(empty.body.entities).toEqual(full.body.entities);
    expect((await api.get(`${paths.templates()}?view=full`)).status).toBe(400);
  });

  it('filters: name= lists every filter', async () => {
    expect(await names(`${paths.filters()}?name=`)).toEqual(await names(paths.filters()));
    expect(await names(`${paths.filters()}?name=`)).toContain('empty-name-filter');
  });

  it('guides: name= and nameContains= list every guide, beside status= and sortBy=', async () => {
    expect(await names(`${studio.guides()}?name=&status=&sortBy=`)).toEqual(['Empty name guide']);
    expect(await names(`${studio.guides()}?nameContains=`)).toEqual(['Empty name guide']);
    expect(await names(`${studio.guides()}?name=other`)).toEqual([]);
  });

  it('summary settings: language= lists every setting, as name= does', async () => {
    expect((await api.post(studio.summarySettings(), { name: 'Empty language', language: 'en-US', summaryType: 'Detailed' })).status).toBeLessThan(300);
    expect(await names(`${studio.summarySettings()}?language=`)).toEqual(['Empty language']);
    expect(await names(`${studio.summarySettings()}?name=&language=en-us`)).toEqual(['Empty language']);
    expect(await names(`${studio.summarySettings()}?language=fr-FR`)).toEqual([]);
  });
});
