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

function replacedLines(before: string, after: string): DiffLine[] {
  const old = splitLines(before);
  const now = splitLines(after);
  return [
    { kind: 'hunk', text: `@@ -1,${old.length} +1,${now.length} @@` },
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
    lines.push({ kind: 'hunk', text: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` });
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
