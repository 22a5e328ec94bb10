// A prompt diff's hunk headers follow the unified format (as git and GNU diff write them): a range
// of no lines names the line before it, so new text is "@@ -0,0 +1,N @@", not "-1,0" (jsdiff's
// structuredPatch gives the raw start; its own formatPatch makes this adjustment).
import { describe, expect, it } from 'vitest';
import { textDiff } from '../../../src/views/textdiff.js';

const hunks = (before: string, after: string, context = 3) => textDiff(before, after, context).lines.filter((l) => l.kind === 'hunk').map((l) => l.text);

describe('hunk ranges', () => {
  it('an empty side is 0,0', () => {
    expect(hunks('', 'a\nb\n')).toEqual(['@@ -0,0 +1,2 @@']);
    expect(hunks('a\nb\n', '')).toEqual(['@@ -1,2 +0,0 @@']);
  });

  it('lines inserted or removed with no context name the line before them', () => {
    expect(hunks('a\nb\n', 'a\nx\nb\n', 0)).toEqual(['@@ -1,0 +2,1 @@']);
    expect(hunks('a\nx\nb\n', 'a\nb\n', 0)).toEqual(['@@ -2,1 +1,0 @@']);
  });

  it('other ranges are as before', () => {
    expect(hunks('a\nb\nc\n', 'a\nB\nc\n')).toEqual(['@@ -1,3 +1,3 @@']);
  });
});
