// A line `---` at column 0 between indented lines of text: YAML's document marker, which ends the
// document there, though the lines around it read as one indented text (a Markdown rule inside
// `systemInstruction: |`). YAML then reports what follows as a document of its own ("this line is
// not key: value", a missing apiVersion), which names no cause: this names it, at the marker.

/** A document marker alone on its line (trailing blanks allowed). */
const MARKER = /^---[ \t]*\r?$/;
/** An indented line that reads as text: not blank, and not a `key:` (an indented document's start). */
const INDENTED_TEXT = /^[ \t]+(?![ \t]*(?:[A-Za-z_][\w-]*|"[^"]*"|'[^']*'):(?:[ \t]|\r?$))\S/;

export const MARKER_IN_TEXT = 'a line "---" at the start ends the YAML document here, though the lines around it are indented text (a Markdown rule inside a block such as systemInstruction: |?): indent it as they are to keep it in the text, or move the text into a {file: ...} Markdown file';

/** Offsets of the `---` lines that end a document between two indented lines of text. Linear in `src`. */
export function markersInText(src: string): number[] {
  const out: number[] = [];
  for (let nl = src.indexOf('\n---'); nl !== -1; nl = src.indexOf('\n---', nl + 1)) {
    const start = nl + 1;
    const end = lineEnd(src, start);
    if (!MARKER.test(src.slice(start, end))) continue;
    // Blank lines around the marker as after it: a Markdown rule is written with a blank line
    // before it (right under a text line, CommonMark reads `---` as a heading's underline).
    if (INDENTED_TEXT.test(previousContentLine(src, nl)) && INDENTED_TEXT.test(nextContentLine(src, end))) out.push(start);
  }
  return out;
}

function lineEnd(src: string, from: number): number {
  const end = src.indexOf('\n', from);
  return end === -1 ? src.length : end;
}

/** The first line after `from` (a line's end) holding more than blanks; '' at the end. */
function nextContentLine(src: string, from: number): string {
  for (let start = from + 1; start < src.length; ) {
    const end = lineEnd(src, start);
    const line = src.slice(start, end);
    if (line.trim() !== '') return line;
    start = end + 1;
  }
  return '';
}

/** The last line before `to` (a line's end) holding more than blanks; '' at the start. */
function previousContentLine(src: string, to: number): string {
  for (let end = to; end > 0; ) {
    const start = src.lastIndexOf('\n', end - 1) + 1;
    const line = src.slice(start, end);
    if (line.trim() !== '') return line;
    end = start - 1;
  }
  return '';
}
