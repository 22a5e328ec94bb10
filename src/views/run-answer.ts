// `promptctl run`'s answer as it streams to stdout, a chunk at a time. The model's answer is the
// least trusted text promptctl prints: on a terminal, its control characters are written as
// escapes (`visibleAnswer`, util/escapes.ts, as every other view writes live text), so an ESC sequence cannot colour or
// hide text, set the window title or write the clipboard (OSC 52), and a backspace or a lone CR
// cannot move the cursor back over what was printed; so are the characters drawn as nothing or
// that reorder text (bidi overrides and isolates, "Trojan Source"; the zero-width space, the BOM,
// the soft hyphen, the line and paragraph separators, the tag characters of "ASCII smuggling",
// each written whole as \u{e0049}). Line breaks and tabs stay as they are, and
// so does a CRLF line end: its CR only returns to the start of a line the LF then leaves, so it
// hides nothing, and an answer written with CRLF (a letter, some code) would otherwise show
// \u000d at the end of every line. Piped (not a terminal), the answer is written as it came, byte
// for byte: a file or a program gets the model's own text.
//
// Each character is escaped on its own, so an escape sequence split across chunks is escaped the
// same as a whole one: no ESC reaches a terminal. What the next chunk may still change is held
// back: a CR at a chunk's end (a CRLF's first half, or a lone CR), and the first half of a
// surrogate pair (written alone, it would be encoded as U+FFFD, on a terminal or in a pipe).
import { visibleAnswer } from '../util/escapes.js';

export interface AnswerStream {
  /** The printable text of a chunk: all of it but what the next one may change. */
  push(chunk: string): string;
  /** What is held back, once the answer ends (or is cut off). */
  end(): string;
}

/** `terminal`: stdout is a TTY, so the answer is made visible; else it is written as it came. */
export function answerStream(terminal: boolean): AnswerStream {
  let held = '';
  const render = terminal ? visibleAnswer : (s: string) => s;
  return {
    push(chunk) {
      const s = held + chunk;
      const last = s.charCodeAt(s.length - 1);
      const keep = (last >= 0xd800 && last <= 0xdbff) || (terminal && last === 0x0d) ? 1 : 0;
      held = s.slice(s.length - keep);
      return render(s.slice(0, s.length - keep));
    },
    end() {
      const s = held;
      held = '';
      return render(s);
    },
  };
}
