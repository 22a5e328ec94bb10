// Map an offset inside resolved prompt text back to file:line:column. Pure.
import { lastAtOrBefore } from '../util/search.js';
import type { SourceLocation, TextOrigin } from './types.js';

/** Offsets at which each line of `text` starts (line 0 starts at 0). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * A function from offsets in `text` to source locations. Build it once per text when several
 * findings may be located in it (the line index costs one pass over the text).
 */
export function textLocator(origin: TextOrigin, text: string): (offset: number) => SourceLocation {
  if (!origin.exact) {
    const anchors = origin.anchors ?? [];
    return (offset) => {
      // Last anchor at or before the offset; before the first one, the text start.
      const a = anchors[lastAtOrBefore(anchors, offset, (x) => x.offset)];
      if (!a) return { file: origin.file, line: origin.line, column: origin.column };
      return { file: origin.file, line: a.line, column: a.column + (offset - a.offset) };
    };
  }
  let starts: number[] | undefined;
  return (offset) => {
    starts ??= lineStarts(text);
    // Last line start <= offset (line 0 starts at 0).
    const lo = Math.max(0, lastAtOrBefore(starts, offset, (x) => x));
    const c = offset - starts[lo]!;
    return {
      file: origin.file,
      line: origin.line + lo,
      column: (lo === 0 ? origin.column : origin.indentColumn) + c,
    };
  };
}

export function locateInText(origin: TextOrigin, text: string, offset: number): SourceLocation {
  return textLocator(origin, text)(offset);
}
