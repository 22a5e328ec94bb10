// {{placeholders}} in prompt text ↔ declared variables, both ways. One engine for every syntax:
// a PromptVersion writes `{{name}}`, a Guide's instruction `{{Variable.name}}`; the rule ids are
// the same family for both.
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState, Guide, PromptVersion, SourceLocation } from '../model/types.js';
import { closest, didYouMean } from '../util/suggest.js';
import { actionCalls, actionLabel } from '../util/guide-action-calls.js';
import { contentFields, diagnostic, guideFields, locate, promptFields, MAX_FINDINGS_PER_FIELD, type TextField } from './util.js';

/**
 * `{{ ... }}` with no braces inside; bounded so a hostile text stays linear, but for a name of any
 * length: the gateway and the token count read `{{` name `}}` however long the name is, so a
 * 300-character one must be checked here too (it passed as text, undeclared, and counted as none).
 */
const PLACEHOLDER = /\{\{(\s*[A-Za-z_][A-Za-z0-9_]*\s*|[^{}]{0,200})\}\}/g;
export const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What the text between `{{` and `}}` (trimmed) is, in one syntax. */
export type PlaceholderReading =
  | { name: string }
  /** A reference of another sort, not a variable (a guide's `{{Action.<label>}}`): checked apart. */
  | { other: string }
  /** Not a placeholder of this syntax; `meant` when it plainly names a variable in the wrong form. */
  | { malformed: true; meant?: string };

/** How a family of prompts writes placeholders. */
export interface PlaceholderSyntax {
  /** The placeholder for `name`, as written (for messages). */
  show(name: string): string;
  read(inner: string): PlaceholderReading;
  /** Said of a malformed placeholder: what a placeholder looks like in this syntax. */
  form: string;
  /** Who sends a malformed placeholder on as text. */
  sender: string;
}

/** PromptVersion text: `{{name}}` (inner spaces tolerated, as template engines do). */
export const PLAIN_PLACEHOLDERS: PlaceholderSyntax = {
  show: (name) => `{{${name}}}`,
  read: (inner) => (PLACEHOLDER_NAME.test(inner) ? { name: inner } : { malformed: true }),
  form: 'names are letters, digits and _',
  sender: 'the gateway',
};

const GUIDE_REFERENCE = /^Variable\.([A-Za-z_][A-Za-z0-9_]*)$/;
/** `{{orderId}}`, `{{variable.orderId}}`, `{{Variables.orderId}}`: a variable, in the wrong form. */
const GUIDE_NEAR_MISS = /^(?:[A-Za-z]{1,12}\s*\.\s*)?([A-Za-z_][A-Za-z0-9_]*)$/;

/** Guide instructions: `{{Variable.name}}`, as Genesys AI Studio writes variable references. */
export const GUIDE_PLACEHOLDERS: PlaceholderSyntax = {
  show: (name) => `{{Variable.${name}}}`,
  read: (inner) => {
    const m = GUIDE_REFERENCE.exec(inner);
    if (m) return { name: m[1]! };
    // `{{Action.<label>}}`: a guide calls one of its data actions (util/guide-action-calls.ts).
    const action = actionLabel(inner);
    if (action !== undefined) return { other: action };
    const near = GUIDE_NEAR_MISS.exec(inner);
    return near ? { malformed: true, meant: near[1]! } : { malformed: true };
  },
  form: 'a guide references a variable as {{Variable.<name>}}',
  sender: 'Genesys',
};

export interface Placeholder {
  name: string;
  field: string; // "systemInstruction" | "userTemplate" | "instruction"
  at: SourceLocation;
}

export interface MalformedPlaceholder extends Placeholder {
  /** What is between its braces as written, spaces kept (`name` is trimmed): what a message quotes. */
  inner: string;
  /** For a near miss of the syntax: the variable name it seems to mean. */
  meant?: string;
}

/** Every placeholder of some texts, in order; malformed ones separately. */
export function findPlaceholdersIn(fields: readonly TextField[], syntax: PlaceholderSyntax): { valid: Placeholder[]; malformed: MalformedPlaceholder[] } {
  const valid: Placeholder[] = [];
  const malformed: MalformedPlaceholder[] = [];
  for (const f of fields) {
    const re = new RegExp(PLACEHOLDER.source, 'g');
    for (let m = re.exec(f.text); m !== null; m = re.exec(f.text)) {
      const inner = m[1]!.trim();
      const reading = syntax.read(inner);
      const at = f.at(m.index);
      if ('name' in reading) valid.push({ name: reading.name, field: f.label, at });
      else if ('other' in reading) continue;
      else malformed.push({ name: inner, inner: m[1]!, field: f.label, at, ...(reading.meant !== undefined ? { meant: reading.meant } : {}) });
    }
  }
  return { valid, malformed };
}

/**
 * A placeholder a brace short (`{{name}`, `{name}}`, `{{name` ending its line) of a declared
 * variable: no placeholder at all, sent as written, and the variable's value never reaches the
 * prompt. The name as the syntax reads it.
 */
const UNCLOSED = [
  /\{\{\s*([A-Za-z_][A-Za-z0-9_.]{0,100})\s*\}(?!\})/g, // {{name}
  /(?<!\{)\{\s*([A-Za-z_][A-Za-z0-9_.]{0,100})\s*\}\}/g, // {name}}
  /\{\{\s*([A-Za-z_][A-Za-z0-9_.]{0,100})[ \t]*(?=\r?\n|$)/g, // {{name, and the line ends
];

function unclosedPlaceholders(c: PlaceholderCheck): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Only a declared variable's name: braces are common in prompts (LaTeX's \emph{x}}, code, sets).
  if (!c.variablesKnown) return out;
  const declared = new Set(c.variables.map((x) => x.name));
  for (const f of c.fields) {
    const found: { index: number; text: string; name: string }[] = [];
    for (const pattern of UNCLOSED) {
      const re = new RegExp(pattern.source, 'g');
      for (let m = re.exec(f.text); m !== null; m = re.exec(f.text)) {
        const reading = c.syntax.read(m[1]!);
        const name = 'name' in reading ? reading.name : 'meant' in reading ? reading.meant : undefined;
        if (name !== undefined && declared.has(name)) found.push({ index: m.index, text: m[0], name });
      }
    }
    for (const u of found.sort((a, b) => a.index - b.index).slice(0, MAX_FINDINGS_PER_FIELD)) {
      out.push(
        diagnostic(
          f.at(u.index),
          'warning',
          'placeholders/unclosed',
          `"${clip(u.text)}" in ${f.label} is a brace short of a placeholder; ${c.syntax.sender} will send it as written: write ${c.syntax.show(u.name)}`,
        ),
      );
    }
  }
  return out;
}

/** Every placeholder of a version's prompt, in order; malformed ones separately. */
export function findPlaceholders(v: PromptVersion): { valid: Placeholder[]; malformed: Placeholder[] } {
  return findPlaceholdersIn(promptFields(v), PLAIN_PLACEHOLDERS);
}

/** One document's texts against its declared variables. */
export interface PlaceholderCheck {
  fields: readonly TextField[];
  syntax: PlaceholderSyntax;
  /** A guide's variables carry their scope: one of scope Output is the guide's to set, not the caller's to send. */
  variables: readonly { name: string; scope?: string }[];
  /** Where variable `i` is declared (its name). */
  variableAt: (i: number) => SourceLocation;
  /** Said of an unused variable's placeholder: "appears in neither systemInstruction nor userTemplate". */
  notUsed: string;
  /** Report declared-but-unused variables (false when part of the text is unknown). */
  unused: boolean;
  /** The declarations are usable (false: check only the form of placeholders). */
  variablesKnown: boolean;
}

/** Undeclared and malformed placeholders, and (optionally) variables never used. */
export function checkPlaceholderUse(c: PlaceholderCheck): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { valid: all, malformed } = findPlaceholdersIn(c.fields, c.syntax);
  const valid = c.variablesKnown ? all : [];
  const declared = new Set(c.variables.map((x) => x.name));
  const used = new Set(valid.map((p) => p.name));
  // A near miss of the syntax that names a declared variable counts as a use of it.
  const meants = malformed.map((p) => (c.variablesKnown && p.meant !== undefined ? (declared.has(p.meant) ? p.meant : closest(p.meant, declared)) : undefined));
  for (const m of meants) if (m !== undefined) used.add(m);
  // Declared variables no placeholder names: an undeclared placeholder close to one is that
  // variable misspelt, one mistake reported once, at the misspelling (only when the whole text is
  // known: otherwise the variable may be used in the part that is missing).
  const unusedNames = c.unused && c.variablesKnown ? new Set([...declared].filter((n) => !used.has(n))) : new Set<string>();
  const misspelt = new Set<string>();

  // Each undeclared name once per field, at its first occurrence.
  const reported = new Set<string>();
  let count = 0;
  for (const p of valid) {
    if (declared.has(p.name) || reported.has(`${p.field}\u0000${p.name}`)) continue;
    reported.add(`${p.field}\u0000${p.name}`);
    if (++count > MAX_FINDINGS_PER_FIELD * 2) break;
    const meant = closest(p.name, unusedNames);
    if (meant !== undefined) misspelt.add(meant);
    out.push(
      diagnostic(
        p.at,
        'error',
        'placeholders/undeclared',
        meant !== undefined
          ? `placeholder ${c.syntax.show(clip(p.name))} in ${p.field} is not a declared variable: did you mean ${c.syntax.show(meant)}? ("${meant}" is declared and not used)`
          : `placeholder ${c.syntax.show(clip(p.name))} in ${p.field} is not a declared variable${didYouMean(p.name, declared)}; declare it under spec.variables`,
      ),
    );
  }
  let shownMalformed = 0;
  malformed.forEach((p, i) => {
    // A near miss that names a declared variable: an error (the reference would not work), and
    // the variable counts as used (above), so it is not also reported unused.
    const meant = meants[i];
    if (meant !== undefined) {
      out.push(
        diagnostic(
          p.at,
          'error',
          'placeholders/form',
          `"{{${clip(p.inner)}}}" in ${p.field} is not a variable reference (${c.syntax.form}): write ${c.syntax.show(meant)}`,
        ),
      );
      return;
    }
    if (++shownMalformed > MAX_FINDINGS_PER_FIELD) return;
    out.push(
      diagnostic(
        p.at,
        'warning',
        'placeholders/malformed',
        `"{{${clip(p.inner)}}}" in ${p.field} is not a placeholder (${c.syntax.form}); ${c.syntax.sender} will send it as written`,
      ),
    );
  });
  out.push(...unclosedPlaceholders(c));
  if (!c.unused || !c.variablesKnown) return out;
  c.variables.forEach((x, i) => {
    // A misspelt use was reported where it is written (above).
    if (used.has(x.name) || misspelt.has(x.name)) return;
    // An Output variable is what the guide produces (a data action's output may set it): its
    // instruction need not name it, so an org's guide is adopted as it stands.
    if (x.scope === 'Output') {
      out.push(
        diagnostic(
          c.variableAt(i),
          'warning',
          'placeholders/unused-output',
          `variable "${x.name}" (scope Output) is declared but ${c.syntax.show(x.name)} ${c.notUsed}: unless a data action sets it, it stays empty${didYouMean(x.name, used)}`,
        ),
      );
      return;
    }
    out.push(
      diagnostic(
        c.variableAt(i),
        'error',
        'placeholders/unused',
        `variable "${x.name}" is declared but ${c.syntax.show(x.name)} ${c.notUsed}${didYouMean(x.name, used)}`,
      ),
    );
  });
  return out;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export function checkPlaceholders(state: DesiredState): Diagnostic[] {
  return [
    ...state.versions.flatMap((v) => checkVersionPlaceholders(v, { unused: true })),
    ...state.guides.flatMap((g) => checkGuidePlaceholders(g, { unused: true })),
  ];
}

/**
 * One version's placeholders against its variables. `variables: false` checks only the form of
 * placeholders (the declarations are broken); `unused: false` skips "declared but unused" (for a
 * version whose text is only partly known: the use may be in the text that is missing).
 */
export function checkVersionPlaceholders(v: PromptVersion, opts: { unused: boolean; variables?: boolean }): Diagnostic[] {
  return [
    ...checkPlaceholderUse({
      fields: promptFields(v),
      syntax: PLAIN_PLACEHOLDERS,
      variables: v.variables,
      variableAt: (i) => locate(v, `spec.variables.${i}.name`),
      notUsed: 'appears in neither systemInstruction nor userTemplate',
      unused: opts.unused,
      variablesKnown: opts.variables !== false,
    }),
    ...examplePlaceholders(v),
  ];
}

/**
 * A `{{name}}` in a few-shot example: the gateway fills placeholders in systemInstruction and
 * userTemplate only (emulator/prompt.ts render), so the model is shown the braces, not the
 * caller's value, and the variable does not count as used. Each name once per field.
 */
function examplePlaceholders(v: PromptVersion): Diagnostic[] {
  const fields = contentFields(v).filter((f) => f.path.startsWith('spec.fewShotExamples.'));
  if (fields.length === 0) return [];
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const p of findPlaceholdersIn(fields, PLAIN_PLACEHOLDERS).valid) {
    if (reported.has(`${p.field}\u0000${p.name}`) || out.length >= MAX_FINDINGS_PER_FIELD) continue;
    reported.add(`${p.field}\u0000${p.name}`);
    out.push(
      diagnostic(
        p.at,
        'warning',
        'placeholders/in-example',
        `{{${p.name}}} in ${p.field} is sent as written: the gateway fills placeholders in systemInstruction and userTemplate only, not in few-shot examples; write an example value there`,
      ),
    );
  }
  return out;
}

/**
 * A guide's `{{Variable.name}}` references against its variables, both ways (as for versions), and
 * its `{{Action.<label>}}` calls against its data actions' labels (`actions: false` when the
 * data actions are not known).
 */
export function checkGuidePlaceholders(g: Guide, opts: { unused: boolean; variables?: boolean; actions?: boolean }): Diagnostic[] {
  return [
    ...checkPlaceholderUse({
      fields: guideFields(g),
      syntax: GUIDE_PLACEHOLDERS,
      variables: g.variables,
      variableAt: (i) => locate(g, `spec.variables.${i}.name`),
      notUsed: 'does not appear in the instruction',
      unused: opts.unused,
      variablesKnown: opts.variables !== false,
    }),
    ...(opts.actions === false ? [] : checkGuideActions(g)),
  ];
}

/** Every `{{Action.<label>}}` of a guide's instruction, in order. */
export function findGuideActions(g: Guide): { label: string; at: SourceLocation; field: string }[] {
  return guideFields(g).flatMap((f) => actionCalls(f.text).map((c) => ({ label: c.label, at: f.at(c.index), field: f.label })));
}

/**
 * A data action the instruction calls must be declared under spec.dataActions with that label:
 * Genesys refuses to publish a version that calls one it does not have ("There are invalid data
 * actions in the version", as the Terraform provider's guide_version test expects), which would
 * stop an apply after the content was written, leaving it a Draft.
 */
function checkGuideActions(g: Guide): Diagnostic[] {
  const labels = new Set(g.dataActions.map((d) => d.label));
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const a of findGuideActions(g)) {
    if (labels.has(a.label) || reported.has(a.label)) continue;
    reported.add(a.label);
    if (out.length >= MAX_FINDINGS_PER_FIELD) break;
    out.push(
      diagnostic(
        a.at,
        'error',
        'placeholders/undeclared-action',
        `{{Action.${clip(a.label)}}} in ${a.field} calls no data action declared under spec.dataActions${didYouMean(a.label, labels)}; ` +
          'Genesys refuses to publish a version that calls one it does not have: declare it with that label',
      ),
    );
  }
  return out;
}
