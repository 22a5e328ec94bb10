// Line diffs of prompt text for the renderers and for immutable-version problems.
// The diff library is unbounded by default (20k distinct lines take minutes): every call passes
// maxEditLength (deterministic, unlike a timeout); when it gives up, the text is shown as replaced.
// A diff line's text is shown with its control characters as escapes (`shown`), and an added or
// removed line's trailing spaces and tabs and its characters drawn as a space or as nothing too
// (`shownChanged`): a whitespace-only edit is seen.
import { createTwoFilesPatch, structuredPatch } from 'diff';
import { shown, shownChanged } from '../util/escapes.js';

/** Beyond this many edits a diff is not worth reading: show old text removed, new text added. */
export const MAX_EDIT_LENGTH = 2000;

export interface DiffLine {
  kind: 'add' | 'del' | 'ctx' | 'hunk' | 'note';
  text: string; // without the +/-/space prefix
}

export interface TextDiff {
  lines: DiffLine[];
  /** true when the diff gave up (too many edits) and the text is shown as wholly replaced. */
  replaced: boolean;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // a final newline ends the last line
  return lines;
}

/** A hunk header in the unified format: a range of no lines names the line before it (`-0,0` for none). */
function hunkHeader(oldStart: number, oldLines: number, newStart: number, newLines: number): string {
  const range = (start: number, count: number): string => `${count === 0 ? start - 1 : start},${count}`;
  return `@@ -${range(oldStart, oldLines)} +${range(newStart, newLines)} @@`;
}

function replacedLines(before: string, after: string): DiffLine[] {
  const old = splitLines(before);
  const now = splitLines(after);
  return [
    { kind: 'hunk', text: hunkHeader(1, old.length, 1, now.length) },
    ...old.map((text): DiffLine => ({ kind: 'del', text: shownChanged(text) })),
    ...now.map((text): DiffLine => ({ kind: 'add', text: shownChanged(text) })),
  ];
}

export function textDiff(before: string, after: string, context = 3): TextDiff {
  const patch = structuredPatch('live', 'git', before, after, undefined, undefined, {
    context,
    maxEditLength: MAX_EDIT_LENGTH,
  });
  if (!patch) return { lines: replacedLines(before, after), replaced: true };
  const lines: DiffLine[] = [];
  for (const h of patch.hunks) {
    lines.push({ kind: 'hunk', text: hunkHeader(h.oldStart, h.oldLines, h.newStart, h.newLines) });
    for (const l of h.lines) {
      const prefix = l[0];
      const text = prefix === '+' || prefix === '-' ? shownChanged(l.slice(1)) : shown(l.slice(1));
      if (prefix === '+') lines.push({ kind: 'add', text });
      else if (prefix === '-') lines.push({ kind: 'del', text });
      else if (prefix === '\\') lines.push({ kind: 'note', text: l });
      else lines.push({ kind: 'ctx', text });
    }
  }
  return { lines, replaced: false };
}

/** A line longer than this is cut when a diff must be short (a capped markdown block). */
export const LONG_LINE = 600;

/**
 * `lines` with each line longer than `max` cut to `max` characters, the cut ends marked `…`: a
 * removed or added line around where it first differs from its counterpart (the removed and added
 * lines of one change, paired in order), so a one-word edit in a long paragraph stays in sight;
 * any other line from its start.
 */
export function clipLongLines(lines: readonly DiffLine[], max = LONG_LINE): DiffLine[] {
  const out = lines.map((l) => (l.kind === 'ctx' ? { ...l, text: clip(l.text, 0, max) } : l));
  for (let i = 0; i < out.length; ) {
    let j = i;
    while (j < out.length && out[j]!.kind === 'del') j++;
    let k = j;
    while (k < out.length && out[k]!.kind === 'add') k++;
    if (k === i) {
      i++;
      continue;
    }
    for (let p = 0; p < Math.max(j - i, k - j); p++) {
      const del = i + p < j ? out[i + p]! : undefined;
      const add = j + p < k ? out[j + p]! : undefined;
      const at = del && add ? firstDifference(del.text, add.text) : 0;
      if (del) out[i + p] = { ...del, text: clip(del.text, at, max) };
      if (add) out[j + p] = { ...add, text: clip(add.text, at, max) };
    }
    i = k;
  }
  return out;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** `text` cut to `max` characters from a third of them before `at` (never inside a surrogate pair). */
function clip(text: string, at: number, max: number): string {
  if (text.length <= max) return text;
  let start = Math.max(0, Math.min(at - Math.floor(max / 3), text.length - max));
  if (start > 0 && /[\udc00-\udfff]/.test(text[start]!)) start--;
  let end = Math.min(text.length, start + max);
  if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1]!)) end--;
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

const PREFIX: Record<DiffLine['kind'], string> = { add: '+', del: '-', ctx: ' ', hunk: '', note: '' };

/** One diff line as it appears in a unified diff. */
export function formatDiffLine(l: DiffLine): string {
  return PREFIX[l.kind] + l.text;
}

/** A unified diff with file headers (createTwoFilesPatch), shown as a full replacement on give-up. */
export function unifiedDiff(oldName: string, newName: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(oldName, newName, before, after, undefined, undefined, {
    maxEditLength: MAX_EDIT_LENGTH,
  });
  if (patch !== undefined) return patch;
  return [`--- ${oldName}`, `+++ ${newName}`, ...replacedLines(before, after).map(formatDiffLine)].join('\n') + '\n';
}
