// A block list item's next item written so that YAML reads it as more of the item above, a plain
// text running on, without a word: `-pii` (no space after its `-`) one column or more right of the
// items' `-` ("email -pii"), or `- sms` (with the space) anywhere right of it, under the item's text
// as an editor's indent after `- email` puts it ("email - sms"). At the items' own column `-pii` is a
// YAML error (yaml-problems.ts words it); here it would pass as a value the user never wrote. Said
// as a warning at the `-`: the text is valid YAML and may be meant ("- Temperatures may drop to"
// then "-5 degrees"), so nothing is refused, but the reader is told what YAML made of it. How
// such an item is written right (`- pii`, but `- -3` for a number) is `asItem`, for both messages.
import { isScalar, Scalar, visit, type Document } from 'yaml';

/**
 * Whether a text may hold such a line at all (asked once a file, so a file without one is not
 * walked): a block item whose first line holds no `key:` (a mapping item has no text to run on),
 * then, after lines indented deeper than its `-` (its text's own, blank ones among them), a line
 * starting with `-` deeper than it. Any indented `-` matched nearly every file (a list of a
 * mapping item's field is one) and cost validate a walk of every document: 5 % at 1,000 templates.
 * Each line between is a text line or a blank one, never either: a line both could take (blank but
 * indented) made the regex try every way to split them, 68 s on 14 such lines after an item.
 */
export const MAY_HOLD_CONTINUED_ITEM = /^([ ]*)-[ ]+(?![^\n]*:(?:[ \t\r]|$))[^\n]*\n(?:(?:\1[ ](?=[ \t\r]*[^ \t\r\n])[^\n]*|[ \t\r]*)\n)*?\1[ ]+-/m;

/** A line of a plain text that starts, after its indentation, with `-`: no space after it (`-pii`), or a space and text (`- sms`). */
const DASH_LINE = /\n([ ]*)-(?:([^\s])|[ ]+\S)/g;

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
 * text's own wrapping, '-5 degrees'), or with `- ` and text at any column after the items' `-`
 * (a text wrapped to start a line with "- " is rare; an item or a sub-item meant is not). A `|` or
 * `>` text, a quoted one, a flow list and a mapping's value are not looked at: none of them is an
 * item running on, and prose there may start a line with "- " as it likes.
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
          const spaced = m[2] === undefined;
          if (column <= dashColumn || (!spaced && column > textColumn)) continue;
          const at = start + m.index + 1 + column;
          const value = String(item.value);
          found.push(spaced ? { at, message: spacedMessage(value, lineAt(src, at)) } : { at, message: messageFor(value, /^\S+/.exec(src.slice(at, at + QUOTED_MAX + 1))![0]) });
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

/** The line from `offset` to its end, its trailing blanks left out, cut to QUOTED_MAX. */
function lineAt(src: string, offset: number): string {
  const end = src.indexOf('\n', offset);
  return clipped(src.slice(offset, end === -1 ? src.length : end).trimEnd());
}

function clipped(text: string): string {
  return text.length > QUOTED_MAX ? `${text.slice(0, QUOTED_MAX)}…` : text;
}

/** `- sms` right of the items' `-`: the space is there; the column is the mistake. */
function spacedMessage(value: string, written: string): string {
  return (
    `"${written}" is indented past the "-" of the list item above, so YAML reads this line as more of that item's text ("${clipped(value)}"), not as an item of its own: ` +
    `write it at the column of the items' "-" for an item, or quote the item's text if the line belongs to it`
  );
}

function messageFor(value: string, written: string): string {
  const shown = clipped(value);
  return (
    `"${written}" has no space after its "-", so YAML reads this line as more of the list item above ("${shown}"), not as an item of its own: ` +
    `write "${asItem(written)}" for an item, or quote the item's text if the line belongs to it`
  );
}

/** A YAML number after a `-` (`-3`, `-2.5`, `-.5`, `-1e3`, `-.inf`): the sign is part of the value. */
const NEGATIVE_NUMBER = /^-(?:(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|\.(?:inf|Inf|INF))$/;

/**
 * The item `-pii` written without its space was meant to be, as it should be written: `- pii`; but
 * `- -3` for a number, whose `-` is its sign (a list of offsets, temperatures), so the suggestion
 * does not change the value. Shared with yaml-problems.ts, which says it at the items' own column.
 */
export function asItem(written: string): string {
  return NEGATIVE_NUMBER.test(written) ? `- ${written}` : `- ${written.slice(1)}`;
}
