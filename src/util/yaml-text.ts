// How text is written in YAML so that no physical line of the file ends in whitespace that is
// content: the tools teams run before committing (pre-commit's trailing-whitespace hook,
// EditorConfig's trim_trailing_whitespace, an editor's trim on save) strip it, and a published
// version's text would then differ from the org's. Shared by export's writer and the plan's YAML
// views, so a reviewer reads a value as export writes it. Pure.
import { OTHER_SPACES } from './escapes.js';

/**
 * yaml's stringify options that never fold a line: a long line stays whole, and a double-quoted
 * text stays on one line, its line breaks written `\n` (folded, a line ending in a space is
 * written `…\ ` at a line's end, which a trim turns into a line continuation).
 */
export const UNFOLDED = { lineWidth: 0, minContentWidth: 0, doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER } as const;

/** A line that ends in a space or a tab, or a space other than ASCII's (which some trims strip too). */
const LINE_ENDS_IN_SPACE = new RegExp(`[ \\t${OTHER_SPACES}](?:\\n|$)`);

/**
 * Whether a literal block (`|`) writes `text` with no line ending in whitespace: none of its lines
 * ends in one, and it does not start with a line break (yaml writes the block's first line, empty
 * then, as indentation alone: so too a text of line breaks alone).
 */
export function blockKeepsLineEnds(text: string): boolean {
  return !LINE_ENDS_IN_SPACE.test(text) && !text.startsWith('\n');
}

/** `text` with the spaces and tabs every line ends in removed, as a trailing-whitespace hook leaves it. */
export function trimmedLineEnds(text: string): string {
  return text.replace(/[ \t]+$/gm, '');
}
