// Characters in a prompt that a reviewer cannot see and a model still reads. A pull request is
// approved for what it shows: Unicode tag characters spell ASCII no one sees (a known way to
// smuggle instructions to a model), bidirectional overrides and isolates show the text around
// them in another order than the model reads it ("Trojan Source"), variation selectors in a row
// carry bytes, and controls and zero-width characters hide in the text. What writing uses as
// written (direction marks, joiners, a flag's tags, Thai word breaks) is left alone (invisible.ts).
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState, Guide, PromptTemplate, PromptVersion, SafetyFilter, SummarySetting } from '../model/types.js';
import { oneLine } from '../util/escapes.js';
import { invisibleIn, type InvisibleFinding, type InvisibleKind } from './invisible.js';
import { allContentFields, diagnostic, findingDiagnostics, locatedField, MAX_FINDINGS_PER_FIELD, variableDefaultFields, type TextField } from './util.js';

/** A character's name as Unicode gives it, for the ones most often met (a control's by its abbreviation). */
const NAMES: Readonly<Record<number, string>> = {
  0x00: 'NUL', 0x07: 'BEL', 0x08: 'BACKSPACE', 0x0b: 'VERTICAL TAB', 0x0c: 'FORM FEED', 0x1b: 'ESC', 0x7f: 'DELETE',
  0xad: 'SOFT HYPHEN', 0x034f: 'COMBINING GRAPHEME JOINER', 0x180e: 'MONGOLIAN VOWEL SEPARATOR', 0x200b: 'ZERO WIDTH SPACE',
  0x2060: 'WORD JOINER', 0x2061: 'FUNCTION APPLICATION', 0x2062: 'INVISIBLE TIMES', 0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS', 0x3164: 'HANGUL FILLER', 0xffa0: 'HALFWIDTH HANGUL FILLER', 0xfeff: 'ZERO WIDTH NO-BREAK SPACE (byte-order mark)',
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

/** What a run of tag characters spells (each is an ASCII character moved to U+E00xx), up to `max` characters. */
export function tagText(run: string, max = Infinity): string {
  let s = '';
  for (let i = 0; i < run.length && s.length < max; i += 2) {
    const cp = run.codePointAt(i)! - 0xe0000;
    if (cp >= 0x20 && cp < 0x7f) s += String.fromCharCode(cp);
  }
  return s;
}

/** Characters (code points) in a run. */
function codePoints(run: string): number {
  let n = 0;
  for (let i = 0; i < run.length; i += run.codePointAt(i)! > 0xffff ? 2 : 1) n++;
  return n;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The character found, and how often in a row; or the characters, when they differ. */
export function describeRun(x: InvisibleFinding): string {
  const cps = [...x.text].map((c) => c.codePointAt(0)!);
  if (cps.every((cp) => cp === cps[0])) return `${describeCodePoint(cps[0]!)}${cps.length > 1 ? ` ×${cps.length}` : ''}`;
  const shown = [...new Set(cps)].slice(0, 3).map(describeCodePoint).join(', ');
  return `${cps.length} invisible characters in a row (${shown}${new Set(cps).size > 3 ? ', …' : ''})`;
}

const RULES: Record<InvisibleKind, { rule: string; severity: 'error' | 'warning'; message: (x: InvisibleFinding, label: string) => string }> = {
  tags: {
    rule: 'text/tag-characters',
    severity: 'error',
    message: (x, label) => {
      const spelt = tagText(x.text, QUOTED + 1);
      const quoted = spelt.length > QUOTED ? `${spelt.slice(0, QUOTED)}…` : spelt;
      const one = codePoints(x.text) === 1;
      return `${plural(codePoints(x.text), 'invisible Unicode tag character')} in ${label}${spelt ? ` ${one ? 'spells' : 'spell'} "${oneLine(quoted)}"` : ''}: a model reads ${one ? 'it' : 'them'}, a review shows nothing; remove ${one ? 'it' : 'them'}`;
    },
  },
  bidi: {
    rule: 'text/bidi-control',
    severity: 'error',
    message: (x, label) =>
      `${describeRun(x)} in ${label}, a bidirectional control: a review can show the text around it in another order than the model reads it; remove it (the model reads right-to-left text in the order it is stored, without one)`,
  },
  'variation-selectors': {
    rule: 'text/hidden-character',
    severity: 'warning',
    message: (x, label) => `${plural(codePoints(x.text), 'variation selector')} in a row in ${label}: one picks a glyph, more carry bytes a review does not show; remove them`,
  },
  hidden: {
    rule: 'text/hidden-character',
    severity: 'warning',
    message: (x, label) => `${describeRun(x)} in ${label}: invisible in a review, but the model reads it; remove it`,
  },
};

/** The kinds each rule reports: variation selectors and other hidden characters share one, and its limit. */
const KINDS_BY_RULE: ReadonlyMap<string, readonly InvisibleKind[]> = (Object.keys(RULES) as InvisibleKind[]).reduce(
  (m, k) => m.set(RULES[k].rule, [...(m.get(RULES[k].rule) ?? []), k]),
  new Map<string, InvisibleKind[]>(),
);

function fieldDiagnostics(f: TextField): Diagnostic[] {
  const { findings, counts } = invisibleIn(f.text, MAX_FINDINGS_PER_FIELD + 1);
  // Nearly every field: nothing found.
  if (findings.length === 0) return [];
  const out: Diagnostic[] = [];
  for (const [rule, kinds] of KINDS_BY_RULE) {
    const mine = findings.filter((x) => kinds.includes(x.kind));
    if (mine.length === 0) continue;
    const total = kinds.reduce((n, k) => n + counts[k], 0);
    const { severity } = RULES[kinds[0]!];
    out.push(...findingDiagnostics(f, mine, severity, rule, (x) => RULES[x.kind].message(x, f.label), total));
  }
  return out;
}

export function checkHiddenText(state: DesiredState): Diagnostic[] {
  const fields = [...allContentFields(state), ...variableDefaultFields(state)];
  return [...fields.flatMap(fieldDiagnostics), ...descriptionFields(state).flatMap((f) => descriptionDiagnostic(f)), ...caseNameFields(state).flatMap((f) => descriptionDiagnostic(f, isControl))];
}

/**
 * The descriptions of every document: what a reviewer reads of it in the files and the plan, and
 * what the org shows; and each test case's name, which test's reports and JUnit show. A bidi
 * control there reorders what the review shows ("Trojan Source"), tag characters spell what it
 * does not show; the model reads none of it as a prompt, so a warning.
 */
function descriptionFields(state: DesiredState): TextField[] {
  const out: TextField[] = [];
  const add = (r: PromptTemplate | SafetyFilter | PromptVersion | Guide | SummarySetting, path: string, label: string, text: string | undefined): void => {
    if (text) out.push(locatedField(r, path, label, text));
  };
  for (const r of [...state.templates, ...state.filters]) add(r, 'spec.description', 'description', r.description);
  for (const r of [...state.versions, ...state.guides]) {
    r.variables.forEach((x, i) => add(r, `spec.variables.${i}.description`, `variable "${x.name}" description`, x.description));
  }
  for (const g of state.guides) {
    g.dataActions.forEach((a, i) => add(g, `spec.dataActions.${i}.description`, `data action "${a.label}" description`, a.description));
    add(g, 'spec.knowledge.description', 'knowledge description', g.knowledge?.description);
  }
  for (const s of state.summarySettings) {
    s.customEntities?.forEach((e, i) => add(s, `spec.customEntities.${i}.description`, `custom entity "${e.label}" description`, e.description));
  }
  return out;
}

/** Each test case's name, by its number as the secrets rule names it: the name itself is what is hidden. */
function caseNameFields(state: DesiredState): TextField[] {
  return state.tests.flatMap((t) => t.cases.flatMap((c, i) => (c.name ? [locatedField(t, `spec.cases.${i}.name`, `the name of case ${i + 1}`, c.name)] : [])));
}

/** A run of control characters: in a case name, tests/control-character's error already. */
const isControl = (x: InvisibleFinding): boolean => x.kind === 'hidden' && /^[\u0000-\u001f\u007f-\u009f]/.test(x.text);

/** What a review does not show of each kind of finding in a description. */
const IN_DESCRIPTION: Record<InvisibleKind, (x: InvisibleFinding) => { what: string; why: string }> = {
  tags: (x) => {
    const spelt = tagText(x.text, QUOTED + 1);
    const quoted = spelt.length > QUOTED ? `${spelt.slice(0, QUOTED)}…` : spelt;
    return { what: plural(codePoints(x.text), 'invisible Unicode tag character'), why: `${spelt ? `they spell "${oneLine(quoted)}", ` : ''}which a review does not show` };
  },
  bidi: (x) => ({ what: describeRun(x), why: 'a bidirectional control: a review can show the text around it in another order than it is written' }),
  'variation-selectors': (x) => ({ what: `${plural(codePoints(x.text), 'variation selector')} in a row`, why: 'invisible in a review' }),
  hidden: (x) => ({ what: describeRun(x), why: 'invisible in a review' }),
};

/** One warning per description, at its first finding (a bidi control first), counting the others but those `reported` elsewhere. */
function descriptionDiagnostic(f: TextField, reported?: (x: InvisibleFinding) => boolean): Diagnostic[] {
  const { findings, counts } = invisibleIn(f.text, reported ? f.text.length : 1);
  const left = reported ? findings.filter((x) => !reported(x)) : findings;
  const first = left.find((x) => x.kind === 'bidi') ?? left[0];
  if (!first) return [];
  const total = reported ? left.length : Object.values(counts).reduce((n, c) => n + c, 0);
  const more = total > 1 ? `, and the ${total === 2 ? 'other run' : `${total - 1} other runs`} of invisible characters there` : '';
  const { what, why } = IN_DESCRIPTION[first.kind](first);
  return [diagnostic(f.at(first.index), 'warning', 'text/hidden-in-description', `${what} in ${f.label}, ${why}; remove ${codePoints(first.text) > 1 ? 'them' : 'it'}${more}`)];
}
