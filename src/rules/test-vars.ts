// A PromptTest case's vars against its target (DESIGN §7), for tests.ts: each var a declared
// variable of every version the test runs on (or an input variable of its guide), with a value of
// its type, and every required variable set (a guide's: `validation: {required: true}`), since the
// render would fail before any call, and a guide's turn would go without it.
import type { Severity } from '../model/diagnostic.js';
import type { Guide, GuideVariable, PromptTemplate, PromptTest, PromptVersion, SourceLocation, TestCase, TestVarValue, Variable } from '../model/types.js';
import { isCalendarDay } from '../util/calendar.js';
import { didYouMean } from '../util/suggest.js';
import { locate } from './util.js';
import { andList } from '../util/plural.js';

/** The versions a template test runs on, and how they were chosen (for messages). */
export interface VersionTarget {
  template: PromptTemplate | undefined;
  name: string;
  versions: PromptVersion[];
  /** Route weight per version label, when chosen through the split. */
  weights?: Map<string, number>;
  how: 'pinned' | 'routed' | 'latest';
  /** Some versions could not be checked (they failed to load): stay quiet about what they declare. */
  partial: boolean;
}

export type Err = (at: SourceLocation, rule: string, message: string, severity?: Severity) => void;

export function versionsLabel(name: string, versions: readonly PromptVersion[]): string {
  // Each once: a version that declares a variable twice (its own error) is met twice.
  const labels = [...new Set(versions.map((v) => v.version))];
  return `${name}@${labels.join(labels.length === 2 ? ' or ' : ', ')}`;
}

function why(target: VersionTarget, versions: readonly PromptVersion[]): string {
  if (target.how === 'latest') return ` (its latest version: "${target.name}" has no TrafficSplit here, so a test without target.version runs on it)`;
  if (target.how !== 'routed') return '';
  const pct = versions.map((v) => `${target.weights?.get(v.version) ?? 0}%`).join(' and ');
  return `, which its split routes ${pct} of calls to`;
}

const sameAt = (a: SourceLocation | undefined, b: SourceLocation): boolean => a !== undefined && a.file === b.file && a.line === b.line && a.column === b.column;

/**
 * Where a var's value is to be fixed: where it is written. A value an alias brings in (`vars: *v`
 * repeating a case's vars, `customerName: *n`) whose anchor is the same var of another case is
 * wrong there too, for the same reason, and one edit at the anchor fixes both: said there, so
 * the two cases' problems are one diagnostic (the loader drops the copy). An anchor on another
 * var (`count: &n 42`, `customerName: *n`) may be right there: said at the alias, where it is used.
 */
function varValueAt(t: PromptTest, i: number, name: string): SourceLocation {
  const path = `spec.cases.${i}.vars.${name}`;
  const used = locate(t, path);
  const anchored = t.anchoredLocations?.[path];
  if (!anchored) return used;
  const own = t.cases.some((c, j) => j !== i && Object.hasOwn(c.vars, name) && t.anchoredLocations?.[`spec.cases.${j}.vars.${name}`] === undefined && sameAt(locate(t, `spec.cases.${j}.vars.${name}`), anchored));
  return own ? anchored : used;
}

export function checkTemplateVars(t: PromptTest, c: TestCase, i: number, target: VersionTarget, err: Err): void {
  for (const [name, value] of Object.entries(c.vars)) {
    const path = `spec.cases.${i}.vars.${name}`;
    const keyAt = t.keyLocations[path] ?? locate(t, path);
    const missingIn = target.versions.filter((v) => !v.variables.some((x) => x.name === name));
    if (missingIn.length > 0) {
      const known = [...new Set(target.versions.flatMap((v) => v.variables.map((x) => x.name)))];
      const all = missingIn.length === target.versions.length;
      const fix = target.how === 'routed' && !all ? ': pin target.version, or declare it in every routed version' : '';
      const list = all && known.length ? `; its variables: ${known.join(', ')}` : '';
      err(
        keyAt,
        'tests/unknown-var',
        `var "${name}" is not a variable of ${versionsLabel(target.name, missingIn)}${why(target, missingIn)}${all ? didYouMean(name, known) : ''}${fix}${list}`,
      );
    }
    // Type and value, per version that declares it; versions that agree share one message.
    const problems = new Map<string, { rule: string; versions: PromptVersion[] }>();
    for (const v of target.versions) {
      const variable = v.variables.find((x) => x.name === name);
      if (!variable) continue;
      const p = templateVarProblem(name, value, variable);
      if (!p) continue;
      const entry = problems.get(p.message) ?? { rule: p.rule, versions: [] };
      entry.versions.push(v);
      problems.set(p.message, entry);
    }
    // Looked up only for a problem: an aliased value's anchor is sought among the other cases.
    for (const [message, p] of problems) err(varValueAt(t, i, name), p.rule, `${message} (${versionsLabel(target.name, p.versions)})`);
  }
  // Required variables the case leaves out: the render would fail before any call.
  if (target.partial) return;
  const missing = new Map<string, PromptVersion[]>();
  for (const v of target.versions) {
    for (const x of v.variables) {
      if (!x.required || x.default !== undefined || Object.hasOwn(c.vars, x.name)) continue;
      missing.set(x.name, [...(missing.get(x.name) ?? []), v]);
    }
  }
  reportMissing(t, c, i, [...missing].map(([name, versions]) => `variable "${name}", which ${versionsLabel(target.name, versions)} requires`), err);
}

/**
 * The required variables a case leaves out (each said as `variable "x", which … requires`), at its
 * vars; once for cases that share their vars through an alias, where one edit sets it for all.
 */
function reportMissing(t: PromptTest, c: TestCase, i: number, requirements: readonly string[], err: Err): void {
  if (requirements.length === 0) return;
  const caseAt = t.keyLocations[`spec.cases.${i}.vars`] ?? locate(t, `spec.cases.${i}.name`);
  const shared = t.anchoredLocations ? sharedVars(t, i) : undefined;
  // Said by the case whose vars the others repeat: one edit there sets the variable for them all.
  if (shared && shared.by !== i) return;
  for (const requires of requirements) {
    if (!shared) err(caseAt, 'tests/missing-var', `case "${c.name}" does not set ${requires}`);
    else if (shared.at === undefined) {
      const others = shared.others.length === 1 ? `does case ${caseNames(t, shared.others)}` : `do cases ${caseNames(t, shared.others)}`;
      err(caseAt, 'tests/missing-var', `case "${c.name}" does not set ${requires}, nor ${others}, whose vars repeat these through an alias`);
    }
    else err(shared.at, 'tests/missing-var', `cases ${caseNames(t, [i, ...shared.others])} do not set ${requires}: their vars repeat this mapping through an alias`);
  }
}

/**
 * The cases whose vars are the one mapping case `i`'s are (`vars: *v` repeating another case's,
 * `vars: &v` among them), when there are others: `by`, the case that says what they lack (the
 * one that writes the mapping, else the first), the `others`, and `at`, where the mapping is
 * written when no case of them writes it itself (anchored elsewhere). Undefined when case `i`'s
 * vars are its own alone.
 */
function sharedVars(t: PromptTest, i: number): { by: number; others: number[]; at?: SourceLocation } | undefined {
  const written = (k: number) => t.anchoredLocations?.[`spec.cases.${k}.vars`] ?? locate(t, `spec.cases.${k}.vars`);
  const mine = written(i);
  const same = [...t.cases.keys()].filter((k) => k === i || sameAt(written(k), mine));
  if (same.length < 2) return undefined;
  const writer = same.find((k) => t.anchoredLocations?.[`spec.cases.${k}.vars`] === undefined);
  const by = writer ?? same[0]!;
  return { by, others: same.filter((k) => k !== by), ...(writer === undefined ? { at: mine } : {}) };
}

/** Cases' names for a message: `"two"`, `"two" and "three"`, `"two", "three" and "four"`. */
function caseNames(t: PromptTest, cases: readonly number[]): string {
  return andList(cases.map((k) => `"${t.cases[k]!.name}"`));
}

const describe = (v: TestVarValue): string =>
  Array.isArray(v) ? 'a list' : typeof v === 'string' ? `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"` : String(v);
const kindOf = (v: TestVarValue): string => (Array.isArray(v) ? 'a list' : typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : 'true or false');

function templateVarProblem(name: string, value: TestVarValue, x: Variable): { rule: string; message: string } | undefined {
  const type = (expected: string, hint = '') => ({
    rule: 'tests/var-type',
    message: `var "${name}" is ${kindOf(value)} (${describe(value)}), but variable "${name}" is of type ${x.type}: give ${expected}${hint}`,
  });
  switch (x.type) {
    case 'number':
      if (typeof value === 'number') return undefined;
      return type('a number', typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? ' (remove the quotes)' : '');
    case 'boolean':
      if (typeof value === 'boolean') return undefined;
      return type('true or false', typeof value === 'string' && /^(true|false)$/i.test(value) ? ' (remove the quotes)' : '');
    case 'string':
    case 'enum': {
      if (typeof value !== 'string') return type(x.type === 'enum' ? `one of ${(x.values ?? []).join(', ')}` : 'a string', Array.isArray(value) ? '' : ' (quote it)');
      if (x.type === 'enum' && x.values && !x.values.includes(value)) {
        return { rule: 'tests/var-value', message: `var "${name}" is ${describe(value)}, not one of the values of variable "${name}": ${x.values.join(', ')}${didYouMean(value, x.values)}` };
      }
      const length = [...value].length;
      if (x.maxLength !== undefined && length > x.maxLength) {
        return { rule: 'tests/var-value', message: `var "${name}" is ${length} characters long, more than the maxLength ${x.maxLength} of variable "${name}"` };
      }
      return undefined;
    }
  }
}

const INPUT_SCOPES: readonly GuideVariable['scope'][] = ['Input', 'InputAndOutput'];

export function checkGuideVars(t: PromptTest, c: TestCase, i: number, guide: Guide, err: Err): void {
  const inputs = guide.variables.filter((x) => INPUT_SCOPES.includes(x.scope)).map((x) => x.name);
  for (const [name, value] of Object.entries(c.vars)) {
    const path = `spec.cases.${i}.vars.${name}`;
    const keyAt = t.keyLocations[path] ?? locate(t, path);
    const x = guide.variables.find((v) => v.name === name);
    if (!x) {
      err(
        keyAt,
        'tests/unknown-var',
        `var "${name}" is not a variable of guide "${guide.name}"${didYouMean(name, guide.variables.map((v) => v.name))}${inputs.length ? `; its input variables: ${inputs.join(', ')}` : '; it has no input variables'}`,
      );
      continue;
    }
    if (!INPUT_SCOPES.includes(x.scope)) {
      err(keyAt, 'tests/var-scope', `variable "${name}" of guide "${guide.name}" has scope ${x.scope}: a test sets only Input or InputAndOutput variables`);
      continue;
    }
    const problem = guideVarProblem(value, x.type);
    const notADate = !problem && x.type === 'Date' && typeof value === 'string' ? dateProblem(value) : undefined;
    if (notADate) {
      err(varValueAt(t, i, name), 'tests/var-value', `var "${name}" is ${describe(value)}, but variable "${name}" of guide "${guide.name}" is of type Date: ${notADate}`);
    }
    if (problem) {
      const numeric = (x.type === 'Integer' || x.type === 'Number') && typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value);
      const boolean = x.type === 'Boolean' && typeof value === 'string' && /^(true|false)$/i.test(value);
      err(
        varValueAt(t, i, name),
        'tests/var-type',
        `var "${name}" is ${kindOf(value)} (${describe(value)}), but variable "${name}" of guide "${guide.name}" is of type ${x.type}: give ${problem}${numeric || boolean ? ' (remove the quotes)' : ''}`,
      );
    }
  }
  // Input variables the guide's validation requires that the case leaves out: the turn would go
  // without them (the template side's tests/missing-var, worded for the guide).
  const missing = guide.variables.filter((x) => INPUT_SCOPES.includes(x.scope) && requiredByGuide(x) && !Object.hasOwn(c.vars, x.name));
  reportMissing(t, c, i, missing.map((x) => `variable "${x.name}", which guide "${guide.name}" requires`), err);
}

/**
 * Whether a guide variable is required: `validation: {required: true}`, the one setting of its
 * opaque validation object that the Guide schema gives as its example.
 */
function requiredByGuide(x: GuideVariable): boolean {
  return x.validation?.['required'] === true;
}

/**
 * An ISO 8601 date as Genesys writes a Date (the SDK's dates are ISO 8601: "2025-06-30"), or a
 * date-time starting with one, naming a day the calendar has; why not, when `value` is none. The
 * guide would otherwise be sent "next week" as a date, and the test check a conversation no
 * caller's flow can start.
 */
function dateProblem(value: string): string | undefined {
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
  if (!iso.test(value)) return 'give an ISO 8601 date, e.g. "2025-06-30" (or a date-time, "2025-06-30T09:00:00Z")';
  return isCalendarDay(value) ? undefined : 'the calendar has no such day';
}

/** What a value of a guide variable type must be, when `value` is not one. */
function guideVarProblem(value: TestVarValue, type: GuideVariable['type']): string | undefined {
  switch (type) {
    case 'String':
      return typeof value === 'string' ? undefined : 'a string (quote it)';
    case 'Date':
      return typeof value === 'string' ? undefined : 'a date as a quoted string, e.g. "2025-06-30"';
    case 'Number':
      return typeof value === 'number' ? undefined : 'a number';
    case 'Integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'a whole number';
    case 'Boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'List':
      return typeof value === 'string' || Array.isArray(value) ? undefined : 'a list of strings';
  }
}
