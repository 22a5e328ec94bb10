// Characters in a prompt that a reviewer cannot see and a model still reads. A pull request is
// approved for what it shows: Unicode tag characters spell ASCII no one sees (a known way to
// smuggle instructions to a model), bidirectional overrides and isolates show the text around
// them in another order than the model reads it ("Trojan Source"), and controls and zero-width
// characters hide in the text, where they can also split a phrase that injection/phrase looks for.
// Direction marks (U+200E, U+200F, U+061C) and the zero-width joiner and non-joiner are left
// alone: right-to-left writing, Persian and Indic words and emoji sequences use them as written.
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { oneLine } from '../util/escapes.js';
import { allContentFields, findingDiagnostics, type PatternFinding } from './util.js';

/** Runs of each kind: tag characters, bidi embeddings/overrides/isolates, and the other hidden ones. */
const TAGS = /[\u{e0000}-\u{e007f}]+/gu;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u180e\u200b\u2028\u2029\u2060-\u2064\u3164\ufeff]/g;

/** A character's name as Unicode gives it, for the ones flagged here (a control's by its abbreviation). */
const NAMES: Readonly<Record<number, string>> = {
  0x00: 'NUL', 0x07: 'BEL', 0x08: 'BACKSPACE', 0x0b: 'VERTICAL TAB', 0x0c: 'FORM FEED', 0x1b: 'ESC', 0x7f: 'DELETE',
  0xad: 'SOFT HYPHEN', 0x180e: 'MONGOLIAN VOWEL SEPARATOR', 0x200b: 'ZERO WIDTH SPACE', 0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR', 0x2060: 'WORD JOINER', 0x2061: 'FUNCTION APPLICATION', 0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR', 0x2064: 'INVISIBLE PLUS', 0x3164: 'HANGUL FILLER', 0xfeff: 'ZERO WIDTH NO-BREAK SPACE (byte-order mark)',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING', 0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE', 0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE',
};

/** The most of a tag run's hidden text a message quotes. */
const QUOTED = 80;

export function describeCodePoint(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[cp] ?? (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ? 'a control character' : undefined);
  return name ? `${hex} (${name})` : hex;
}

function findings(text: string, re: RegExp): PatternFinding[] {
  const out: PatternFinding[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ index: m.index, length: m[0].length, name: m[0] });
  return out;
}

/** What a run of tag characters spells: each is an ASCII character moved to U+E00xx. */
export function tagText(run: string): string {
  let s = '';
  for (const ch of run) {
    const cp = ch.codePointAt(0)! - 0xe0000;
    if (cp >= 0x20 && cp < 0x7f) s += String.fromCharCode(cp);
  }
  return s;
}

export function checkHiddenText(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of allContentFields(state)) {
    // Every character flagged here is outside printable ASCII: most texts are passed over at once.
    if (!/[^\t\n\r\u0020-\u007e]/.test(f.text)) continue;
    out.push(
      ...findingDiagnostics(f, findings(f.text, TAGS), 'error', 'text/tag-characters', (x) => {
        const spelt = tagText(x.name);
        const quoted = spelt.length > QUOTED ? `${spelt.slice(0, QUOTED)}…` : spelt;
        return (
          `${[...x.name].length} invisible Unicode tag character${[...x.name].length === 1 ? '' : 's'} in ${f.label}` +
          `${spelt ? ` spell "${oneLine(quoted)}"` : ''}: a model reads them, a review shows nothing; remove them`
        );
      }),
      ...findingDiagnostics(
        f,
        findings(f.text, BIDI),
        'error',
        'text/bidi-control',
        (x) =>
          `${describeCodePoint(x.name.codePointAt(0)!)} in ${f.label}, a bidirectional control: a review can show the text around it in another order than the model reads it; remove it (right-to-left text needs none)`,
      ),
      ...findingDiagnostics(
        f,
        findings(f.text, HIDDEN),
        'warning',
        'text/hidden-character',
        (x) =>
          `${describeCodePoint(x.name.codePointAt(0)!)} in ${f.label}: invisible in a review, but the model reads it (and it can split a phrase the injection check looks for); remove it`,
      ),
    );
  }
  return out;
}
