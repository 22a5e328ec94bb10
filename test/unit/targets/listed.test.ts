// What export compares of two reads of the org: each listing's ids and names, so a torn read (a
// deleted object kept, a live one lost), a rename and a listing read in one and not the other all
// tell two reads apart, and the order the server listed them in does not.
import { describe, expect, it } from 'vitest';
import { listedIn, listingsApart, listingsHeld } from '../../../src/targets/listed.js';
import type { LiveState } from '../../../src/targets/live.js';

const live = (templates: Array<[string, string]>, extra: Partial<LiveState> = {}): LiveState =>
  ({ templates: templates.map(([id, name]) => ({ id, name })), filters: [], ...extra }) as unknown as LiveState;

describe('listingsApart', () => {
  const all = ['templates', 'filters'] as const;
  it('agrees on the same objects in another order', () => {
    expect(listingsApart(listedIn(live([['1', 'a'], ['2', 'b']]), all), listedIn(live([['2', 'b'], ['1', 'a']]), all))).toEqual([]);
  });
  it('tells apart a read that kept a deleted object and lost a live one, and a rename', () => {
    const before = listedIn(live([['1', 'a'], ['2', 'b']]), all);
    expect(listingsApart(before, listedIn(live([['2', 'b'], ['3', 'c']]), all))).toEqual(['templates']);
    expect(listingsApart(before, listedIn(live([['1', 'a'], ['2', 'z']]), all))).toEqual(['templates']);
  });
  it('tells apart a listing one read holds and the other does not', () => {
    expect(listingsApart({ templates: [] }, { templates: [], guides: [] })).toEqual(['guides']);
  });
});

describe('listingsHeld', () => {
  it('leaves out the gateway refused or not served, and AI Studio listings a read lacks', () => {
    expect(listingsHeld(live([]), [])).toEqual(['templates', 'filters']);
    expect(listingsHeld(live([], { guides: [] }), ['llmgateway'])).toEqual(['guides']);
    expect(listingsHeld(live([], { summarySettings: [], unavailable: ['llmgateway'] }), [])).toEqual(['summarySettings']);
  });
});
