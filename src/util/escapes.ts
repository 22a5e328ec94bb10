// Every way promptctl escapes a text for a document it prints or writes (markdown, HTML, XML,
// GitHub workflow commands, JSON, terminal text, shell words, URLs), in one place. The views and
// the commands escape only through these functions, and masking (`secrets.ts`, through `secret-forms.ts`) looks for a secret
// in every form they give it: output is masked after it is rendered, so an escape masking did not
// know of would print the secret. A new escape is added here and to ESCAPES, never in a view.
// Every markdown and HTML escape writes control characters as escapes too (`visible`): a report
// is also read with `cat`, where an ESC in a name would drive the terminal.
import { LONE_SURROGATE } from './surrogates.js';

/** Every lone surrogate of a text: XML cannot hold one, a diff shows it as its escape. */
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * Characters drawn as nothing or that reorder the text around them, as the inside of a `u`-flag
 * character class (one source for HIDDEN and UNSEEN): the soft hyphen, the Arabic letter
 * mark, the Mongolian vowel separator, the zero-width space, non-joiner and joiner, the direction
 * marks, the line and paragraph separators, the bidi embeddings, overrides and isolates ("Trojan
 * Source"), the word joiner and invisible operators, the Hangul filler, the byte-order mark, and
 * the tag characters ("ASCII smuggling": U+E0000-E007F spell instructions no one sees).
 */
/**
 * Spaces other than ASCII's (Unicode's Zs but U+0020), and the byte order mark (U+FEFF, a
 * zero-width no-break space once, which a file joined from others keeps inside), as a regex
 * character class's body: YAML reads them as text, never as indentation or a separator
 * (config/other-spaces.ts refuses them where it needs one; export quotes text that holds one).
 */
export const OTHER_SPACES = '\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\ufeff';

const INVISIBLE =
  '\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\u3164\\ufeff\\u{e0000}-\\u{e007f}';

/**
 * What free text (a model's answer, a name, a label's value, a test case's) may not show raw on a
 * terminal or in a report: INVISIBLE but the zero-width joiner and non-joiner (U+200C, U+200D):
 * emoji sequences (a family, a flag) and Persian or Indic words are drawn with them, and hide
 * nothing. Other spaces (no-break, ideographic…) are drawn as spaces and stay, as in any French
 * or Japanese answer.
 */
const HIDDEN = new RegExp(`(?![\\u200c\\u200d])[${INVISIBLE}]`, 'gu');

/** Each character of HIDDEN as an escape: free text in a document cannot hide or reorder what it is shown with. */
function unhidden(s: string): string {
  return s.replace(HIDDEN, asUnicodeEscape);
}

/**
 * HTML text and attribute values (the plan's <details> summaries): the characters HTML reads, on
 * one line (a line break, a lone CR too, each one space: a blank line would end GitHub's HTML block).
 */
export function escapeHtml(s: string): string {
  return quietReferences(unhidden(visible(s)).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r\n|[\r\n\u2028\u2029]/g, ' '));
}

/**
 * GitHub reads `@name` in a comment's text (markdown or HTML alike) as a mention, which notifies
 * that user or a whole `@org/team`, and `#123`, `owner/repo#123` and `GH-123` as references, which
 * mark that issue (in this repository or another) as mentioned here, and it makes a bare
 * `https://…` (`http`, `ftp`), `www.…` or e-mail address (`a@b.example`: linkedDomain) a
 * link: free text from git or the org (a test case's name, a live object's, a description) must
 * not do any of it from the PR comment or job summary the workflow posts. A zero-width space after
 * the sign (after a scheme's colon, after `www`) keeps it text, and the address readable.
 */
function quietReferences(s: string): string {
  // Most text holds none of them: the cheap test spares compiling and running the Unicode classes
  // below (a PR comment escapes thousands of texts; the first costs about 1.5 ms).
  if (!MAY_REFERENCE.test(s)) return s;
  return s
    .replace(/(^|[^\p{L}\p{N}_])@(?=[\p{L}\p{N}])/gu, '$1@\u200b')
    .replace(/(?<=[A-Za-z0-9.+_-])@([A-Za-z0-9_.-]+)/g, (at, domain: string) => (linkedDomain(domain) ? `@\u200b${domain}` : at))
    .replace(/#(?=\p{N})/gu, '#\u200b')
    .replace(/(^|[^\p{L}\p{N}_])(GH-)(?=\p{N})/giu, '$1$2\u200b')
    .replace(/(?<=[A-Za-z0-9]):(?=\/\/)/g, ':\u200b')
    .replace(/(?<![\p{L}\p{N}])(www)(?=\.)/giu, '$1\u200b');
}

/**
 * Whether GitHub links an e-mail address with this domain (cmark-gfm's autolink, after a local part
 * of ASCII letters, digits and `.+-_`): its labels run up to a `.` not followed by a letter or digit,
 * hold a `.`, and end with a letter. So `a@b.example` is linked; `user@localhost`, and a version's
 * address, `billing-assistant@1.2.0`, are not (and are left as they are).
 */
function linkedDomain(domain: string): boolean {
  const labels = /^(?:[A-Za-z0-9_-]|\.(?=[A-Za-z0-9]))*/.exec(domain)![0];
  return labels.includes('.') && /[A-Za-z]$/.test(labels);
}

/** What each reference quietReferences quiets holds (`iu` folds `gh` and `www` as its own flags do): a new reference is added here too. */
const MAY_REFERENCE = /[@#]|gh-|:\/\/|www\./iu;

/** Markdown punctuation a renderer would read as emphasis, code, links, headings or a table's pipe. */
function escapeMdPunctuation(s: string): string {
  return s.replace(/([\\`*_[\]|#~$])/g, '\\$1');
}

/** Markdown inline text in the plan and drift (outside HTML tags, table cells too): HTML-escaped, markdown punctuation neutralised, one line. */
export function escapeInline(s: string): string {
  // CommonMark ends a line at CRLF, LF or a lone CR.
  return escapeMdPunctuation(escapeHtml(s)).replace(/\r\n|\r|\n/g, ' ');
}

/** Markdown text in the test report (cells, summaries, failures): as escapeInline, `"` left as it is. */
export function escapeTestMarkdown(s: string): string {
  return escapeStatusMarkdown(s).replace(/\r?\n/g, ' ');
}

/** Markdown text in the status report: `&`, `<`, `>` and markdown punctuation; line breaks kept. */
export function escapeStatusMarkdown(s: string): string {
  return escapeMdPunctuation(quietReferences(unhidden(visible(s)).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')));
}

/** The text of a code span in a drift table cell: one line, a pipe as `\|` (GitHub reads it as a pipe inside a code span in a table). */
export function escapeCodeCell(s: string): string {
  return unhidden(visible(s)).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** The text of a code span in the test report's table: one line, a pipe as `¦` (it cannot end the cell). */
export function escapeTestCode(s: string): string {
  return unhidden(visible(s)).replace(/\r?\n/g, ' ').replace(/\|/g, '¦');
}

/** XML 1.0 text (JUnit): the five entities escaped, characters XML cannot hold at all replaced. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(LONE_SURROGATES, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An XML attribute value (JUnit): escaped, and line breaks kept as character references (a parser would fold them to spaces). */
export function xmlAttr(s: string): string {
  return xmlEscape(s).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** A GitHub workflow command's data (an annotation's message), as @actions/core escapes it. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A GitHub workflow command's property value (file, title), as @actions/core escapes it. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One character as a \uXXXX escape; one beyond the BMP (a tag character, a surrogate pair) as \u{e0041}. */
const asUnicodeEscape = (c: string): string => {
  const code = c.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * Control characters a message quotes from a file (an ESC in a kind or a name) written as escapes:
 * printed raw, they would drive the reader's terminal (colours, clearing the screen, moving the
 * cursor). Line breaks are each format's own business (`\n` in text, %0A in annotations).
 */
export function visible(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, asUnicodeEscape);
}

/**
 * A message of several lines in terminal text (an error line): as `visible`, and a CR, a line or
 * paragraph separator as escapes too (a CR sends the cursor back over what was printed, to
 * write a line over it), and each character of HIDDEN (a server's words or a name it quotes
 * could otherwise draw the rest of the line backwards); its own line breaks stay.
 */
export function visibleLines(s: string): string {
  return unhidden(visible(s).replace(/[\r\u2028\u2029]/g, asUnicodeEscape));
}

/**
 * A name in terminal text (an address: a live object's name may be anything): as `visible`, and
 * its line breaks and CRs as escapes too, so that it stays on its line and cannot forge another,
 * and each character of HIDDEN, so that it cannot hide or reorder what it is printed
 * with (a bidi override in another team's template name would draw the plan line backwards).
 */
export function visibleName(s: string): string {
  return unhidden(visible(s).replace(/[\n\r\u2028\u2029]/g, asUnicodeEscape));
}

/**
 * A model's answer on a terminal (`run`): as `visible`, and a CR of no CRLF as an escape too (it
 * would move the cursor back over what was printed), and each character of HIDDEN (it
 * would hide text or make it read in another order); line breaks, tabs and CRLF line ends stay.
 */
export function visibleAnswer(s: string): string {
  return unhidden(visible(s).replace(/\r(?!\n)/g, asUnicodeEscape));
}

/**
 * A diagnostic's message in text output: made visible, on one line (a stray newline would break
 * `file:line:` parsing). A line break can only come from a value the message quotes, so it is
 * shown as the escape it would be written as (`\n`, `\r`), not hidden as a space; a line or
 * paragraph separator, which many readers also end a line at, as `\u2028`, `\u2029` (as
 * `visibleName` writes them), and each character of HIDDEN, as in a name.
 */
export function oneLine(s: string): string {
  return unhidden(visible(s).replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/[\u2028\u2029]/g, asUnicodeEscape));
}

/**
 * A diagnostic's message in an annotation: made visible, then escaped as workflow command data (a
 * line break as %0A, which GitHub shows as one). A line or paragraph separator, which a browser
 * may also break the line at, as its escape, `\u2028`, as `oneLine` writes it in text; and each
 * character of HIDDEN, as in text (GitHub draws the message in the files view, where a bidi
 * override would reorder it).
 */
export function annotationMessage(s: string): string {
  return escapeData(unhidden(visible(s).replace(/[\u2028\u2029]/g, asUnicodeEscape)));
}


/**
 * A line of prompt text as a reviewer must see it in a diff: a CR (a CRLF line end from the web UI)
 * or an ESC would otherwise be invisible or drive the terminal, and a bidi embedding, override or
 * isolate would draw the line in another order than it is (an unchanged line of a saved plan
 * shown again, whose text no validate read). Half a surrogate pair too: printed, it is U+FFFD,
 * as the character that replaced it would be. Tabs stay as they are.
 */
export function shown(text: string): string {
  return visible(text)
    .replace(/\r/g, '\\u000d')
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, asUnicodeEscape)
    .replace(LONE_SURROGATES, asUnicodeEscape);
}

/**
 * Characters drawn as a space or as nothing: other spaces (no-break, em, ideographic…), and
 * INVISIBLE (zero-width and bidirectional controls, the byte-order mark, the soft hyphen, the tag
 * characters…), the joiners too.
 */
const UNSEEN = new RegExp(`[${OTHER_SPACES}${INVISIBLE}]`, 'gu');

/**
 * An added or removed line of prompt text in a diff: as `shown`, with the spaces and tabs it ends
 * in, any character drawn as a space or as nothing (`UNSEEN`), and U+FFFD (what a lone surrogate
 * becomes once written as UTF-8, which `shown` writes as `\ud83d`), as escapes. A reader cannot
 * tell them apart (in a terminal or a GitHub code block), so an edit that only adds, drops or
 * swaps them would show as two identical lines.
 */
export function shownChanged(text: string): string {
  return shown(text)
    .replace(UNSEEN, asUnicodeEscape)
    .replace(/\ufffd/g, asUnicodeEscape)
    .replace(/[ \t]+$/, (ws) => ws.replace(/ /g, '\\u0020').replace(/\t/g, '\\u0009'));
}

/** A text quoted inside a one-line message (a value in a schema error, an error body, an output preview, a phrase found): each run of whitespace one space. */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ');
}

/** The inside of a single-quoted shell word (a command we print to be run): each `'` closed, escaped and reopened. */
export function shellQuoted(s: string): string {
  return s.replace(/'/g, `'\\''`);
}

/**
 * `s` as one shell word in a command we print to be run: quoted when it holds anything but plain
 * path characters, and made visible as a name (visibleName): an ESC or a line break in a user's
 * path is shown escaped, never sent to the terminal.
 */
export function shellWord(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${visibleName(shellQuoted(s))}'`;
}

/** The inside of a JSON string (JSON documents, quoted assertion values): what JSON.stringify writes between the quotes. */
export function jsonStringContent(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/**
 * Every escape above, and a URL's component encoding (paths in API error messages): the forms a
 * text can take in a document. Masking looks for a secret in each of them.
 */
export const ESCAPES: readonly ((s: string) => string)[] = [
  escapeHtml,
  escapeInline,
  escapeTestMarkdown,
  escapeStatusMarkdown,
  escapeCodeCell,
  escapeTestCode,
  xmlEscape,
  xmlAttr,
  escapeData,
  escapeProperty,
  visible,
  visibleLines,
  visibleName,
  visibleAnswer,
  oneLine,
  annotationMessage,
  shown,
  shownChanged,
  collapseWhitespace,
  shellQuoted,
  shellWord,
  jsonStringContent,
  encodeURIComponent,
];

/**
 * Escapes applied to a text before a view escapes the result again: JSON inside markdown or XML
 * (a quoted assertion value in a report), a visible text written as JSON (a plan's values), a
 * value quoted in a message on one line (then escaped as the message is).
 */
export const INNER_ESCAPES: readonly ((s: string) => string)[] = [jsonStringContent, visible, collapseWhitespace];
