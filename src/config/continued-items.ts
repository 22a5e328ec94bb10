// A block list item written without the space after its `-` (`-pii` under `- email`), one column
// or more to the right of the items' `-`: YAML reads that line as more of the item above, a plain
// text running on ("email -pii"), without a word. At the items' own column it is a YAML error
// (yaml-problems.ts words it); here it would pass as a value the user never wrote. Said as a
// warning at the `-`: the text is valid YAML and may be meant ("- Temperatures may drop to" then
// "-5 degrees"), so nothing is refused, but the reader is told what YAML made of it.
import { isScalar, Scalar, visit, type Document } from 'yaml';

/** Whether a text may hold such a line at all (asked once a file): an indented `-` before a non-space. */
export const MAY_HOLD_CONTINUED_ITEM = /\n[ ]+-[^\s]/;

/** A line of a plain text that starts, after its indentation, with `-` and no space after it. */
const DASH_LINE = /\n([ ]*)-[^\s]/g;

/** The longest part of the item's text quoted in the message. */
const QUOTED_MAX = 40;

export interface ContinuedItem {
  /** Offset of the `-` that was meant to start an item. */
  at: number;
  message: string;
}

/**
 * The lines of `doc`'s block list items, each a plain text on several lines, that start with
 * `-` and a non-space at a column after the items' `-` and no further right than the item's text
 * (right under the item, where one more item would be written; a line indented deeper is the
 * text's own wrapping). A `|` or `>` text, a quoted one, a flow list and a mapping's value are
 * not looked at: none of them is an item running on.
 */
export function continuedItems(doc: Document.Parsed, src: string): ContinuedItem[] {
  const found: ContinuedItem[] = [];
  visit(doc, {
    Seq(_, seq) {
      if (seq.flow || !seq.range) return;
      const dashColumn = columnOf(src, seq.range[0]);
      for (const item of seq.items) {
        if (!isScalar(item) || item.type !== Scalar.PLAIN || !item.range) continue;
        const [start, end] = item.range;
        const text = src.slice(start, end);
        if (!text.includes('\n')) continue;
        const textColumn = columnOf(src, start);
        for (const m of text.matchAll(DASH_LINE)) {
          const column = m[1]!.length;
          if (column <= dashColumn || column > textColumn) continue;
          const at = start + m.index + 1 + column;
          found.push({ at, message: messageFor(String(item.value), /^\S+/.exec(src.slice(at, at + QUOTED_MAX + 1))![0]) });
        }
      }
    },
  });
  return found;
}

/** Columns from 0: the characters before `offset` on its line. */
function columnOf(src: string, offset: number): number {
  return offset - (src.lastIndexOf('\n', offset - 1) + 1);
}

function messageFor(value: string, written: string): string {
  const shown = value.length > QUOTED_MAX ? `${value.slice(0, QUOTED_MAX)}…` : value;
  return (
    `"${written}" has no space after its "-", so YAML reads this line as more of the list item above ("${shown}"), not as an item of its own: ` +
    `write "- ${written.slice(1)}" for an item, or quote the item's text if the line belongs to it`
  );
}
