// The shape of what promptctl reads from a target (targets/answer-shapes.ts): what passes, and how
// a problem is named (the object by its name, else its id or label; the field as a path; what it
// is against what it must be), escaped for a terminal.
import { describe, expect, it } from 'vitest';
import { ANSWER_SHAPES } from '../../../src/targets/answer-shapes.js';

const filter = { id: 'f1', name: 'pii-guard', priority: 1, categories: ['pii'], action: 'block_and_log', thresholds: { pii: 0.5 }, falsePositiveTolerance: 0.1, version: 1 };

describe('answer shapes', () => {
  it('pass an object with the fields promptctl relies on, whatever else the server adds, and absent or null optional ones', () => {
    expect(ANSWER_SHAPES.filter.problem({ ...filter, selfUri: '/x', somethingNew: { a: 1 } })).toBeUndefined();
    expect(ANSWER_SHAPES.filter.problem({ ...filter, labels: null, appliesTo: null, description: null })).toBeUndefined();
    expect(ANSWER_SHAPES.guideVersion.problem({ version: '1.0' })).toBeUndefined();
    expect(ANSWER_SHAPES.template.problem({ id: 't', name: 'a', version: 1, traffic: null })).toBeUndefined();
  });

  it('name what is missing, null or of another type, with the path to it', () => {
    const { categories: _, ...withoutCategories } = filter;
    expect(ANSWER_SHAPES.filter.problem(withoutCategories)).toBe('safety filter "pii-guard" without categories');
    expect(ANSWER_SHAPES.filter.problem({ ...filter, categories: null })).toBe('safety filter "pii-guard" whose categories is null, not a list');
    expect(ANSWER_SHAPES.filter.problem({ ...filter, thresholds: { pii: '0.5' } })).toBe('safety filter "pii-guard" whose thresholds.pii is a string, not a number');
    expect(ANSWER_SHAPES.filter.problem({ ...filter, version: 1.5 })).toBe('safety filter "pii-guard" whose version is the number 1.5, not an integer');
    expect(ANSWER_SHAPES.template.problem({ id: 't', name: 'a', version: 1, traffic: { strategy: 'random', routes: [{ version: '1.0.0', weight: true }], version: 1 } })).toBe(
      'prompt template "a" whose traffic.routes[0].weight is true, not a number',
    );
    expect(ANSWER_SHAPES.guide.problem({ id: 'g', name: 'x', latestSavedVersion: { version: 1 } })).toBe('guide "x" whose latestSavedVersion.version is the integer 1, not a string');
  });

  it('name an object by its id or version label when it has no name, and escape what a terminal would obey', () => {
    expect(ANSWER_SHAPES.guide.problem({ id: 'g-1' })).toBe('guide "g-1" without name');
    expect(ANSWER_SHAPES.guideVersion.problem({ version: '2.0', variables: 'x' })).toBe('guide version "2.0" whose variables is a string, not a list');
    expect(ANSWER_SHAPES.summarySetting.problem({})).toBe('summary setting (unnamed) without id');
    expect(ANSWER_SHAPES.summarySetting.problem({ id: 's', name: 'a\u001b[2Jb\nc', language: 5 })).toBe('summary setting "a\\u001b[2Jb\\u000ac" whose language is the integer 5, not a string');
  });
});
