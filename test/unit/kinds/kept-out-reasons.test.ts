// Planning one environment, a live object whose document git keeps to other environments is said
// to be kept out, whatever becomes of it: deleted, pending, or left alone (unlabelled, or an AI
// Studio object promptctl cannot tell it made). "not in git" would be untrue of it.
import { describe, expect, it } from 'vitest';
import { absentFromGit, keptOutWords, notInGit } from '../../../src/kinds/labels.js';
import { aiStudioAbsentFromGit, type Ownership } from '../../../src/kinds/ownership.js';

const ctx = { keptOut: { environment: 'prod', addresses: new Map([['SafetyFilter/guard', ['dev', 'staging']]]) } };
const KEPT = "kept out of prod by its document's metadata.environments (dev, staging)";

describe('kept out of the environment', () => {
  it('is said for the address git keeps out, and only for it', () => {
    expect(keptOutWords(ctx, 'SafetyFilter/guard')).toBe(KEPT);
    expect(notInGit(ctx, 'SafetyFilter/guard')).toBe(KEPT);
    expect(notInGit(ctx, 'SafetyFilter/other')).toBe('not in git');
    expect(notInGit({}, 'SafetyFilter/guard')).toBe('not in git');
  });

  it('is the reason an unlabelled object is left alone', () => {
    expect(absentFromGit(true, {}, KEPT)).toEqual({ fate: 'kept', reason: `${KEPT}; not labelled managed-by: promptctl` });
    expect(absentFromGit(true, {})).toEqual({ fate: 'kept', reason: 'not in git; not labelled managed-by: promptctl' });
  });

  it('is the reason for an AI Studio object, owned or not, history read or not', () => {
    const owned: Ownership = { source: 'git history', complete: true, names: { Guide: ['g'] } };
    expect(aiStudioAbsentFromGit(true, owned, 'Guide', 'g', KEPT)).toEqual({ fate: 'delete', reason: `pruned: ${KEPT}` });
    expect(aiStudioAbsentFromGit(true, undefined, 'Guide', 'g', KEPT).reason).toMatch(new RegExp(`^${KEPT.replace(/[()]/g, '\\$&')}; promptctl cannot tell whether it made it`));
    expect(aiStudioAbsentFromGit(true, owned, 'Guide', 'other', KEPT).reason).toMatch(new RegExp(`^${KEPT.replace(/[()]/g, '\\$&')}, and git history never defined it`));
  });
});
