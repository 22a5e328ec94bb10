// An invocation's variables against a version's declarations (DESIGN §3, POST /invocations: a
// missing or ill-typed variable → 400 invalid.variables), and a version's defaults by the same
// check (its create refuses one no call could send). Pure: the emulator answers with it, and
// `run` asks it before a call, so a refusal of the user's own values is never sent to be counted
// as the version's error.
import type { WireVariable } from './wire.js';

export interface VariableProblem {
  /** The variable at fault. */
  name: string;
  message: string;
  /** A required variable not given (the others are values at fault). */
  missing?: true;
}

/**
 * The values to render, by variable in declaration order (defaults applied, optional ones left out
 * rendered empty), and every variable at fault. `countTokens` (the model's encoding): without it,
 * a variable's maxTokens is not checked.
 */
export function checkedVariables(
  declared: readonly WireVariable[],
  version: string,
  given: Readonly<Record<string, unknown>>,
  countTokens?: (text: string) => number,
): { values: Map<string, string>; problems: VariableProblem[] } {
  const problems: VariableProblem[] = [];
  const fail = (name: string, message: string, missing = false): void => {
    problems.push({ name, message, ...(missing ? { missing: true as const } : {}) });
  };
  const known = new Set(declared.map((d) => d.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      fail(name, `variable ${name} is not declared by version ${version}${known.size ? ` (it declares ${[...known].join(', ')})` : ' (it declares none)'}`);
    }
  }
  const values = new Map<string, string>();
  for (const d of declared) {
    const raw = Object.hasOwn(given, d.name) ? given[d.name] : undefined;
    if (raw === undefined || raw === null) {
      if (d.default !== undefined) {
        // A version stored before create refused such a default (an emulator's older state) holds
        // one still: it is refused as create refuses it, never rendered.
        const problem = defaultProblem(d);
        if (problem) fail(d.name, problem);
        else values.set(d.name, String(d.default));
      } else if (d.required ?? true) fail(d.name, `variable ${d.name} is required`, true);
      else values.set(d.name, '');
      continue;
    }
    const problem = valueProblem(d, raw, countTokens);
    if (problem) {
      fail(d.name, `variable ${d.name} ${problem}`);
      continue;
    }
    values.set(d.name, String(raw));
  }
  return { values, problems };
}

/**
 * Defaults a call could not send as values (DESIGN §3: an ill-typed variable is invalid.variables),
 * each judged by the same check as a value: a version holding one would render it into every call
 * that leaves the variable out. A default's maxTokens is not judged: validate does not count it
 * either, so apply would meet a refusal validate never warned of.
 */
export function defaultProblems(declared: readonly WireVariable[]): VariableProblem[] {
  const problems: VariableProblem[] = [];
  for (const d of declared) {
    const problem = defaultProblem(d);
    if (problem) problems.push({ name: d.name, message: problem });
  }
  return problems;
}

function defaultProblem(d: WireVariable): string | undefined {
  if (d.default === undefined) return undefined;
  const problem = valueProblem(d, d.default);
  return problem && `the default of variable ${d.name} ${problem}`;
}

/**
 * What is wrong with one value of a variable (its type, an enum's values, maxLength; maxTokens when
 * `countTokens` is given), worded to follow "variable NAME", or undefined.
 */
function valueProblem(d: WireVariable, raw: unknown, countTokens?: (text: string) => number): string | undefined {
  const problem = typeProblem(d, raw);
  if (problem) return problem;
  const text = String(raw);
  // The gateway bounds the length of text only: a number's or a boolean's maxLength is ignored.
  if (d.maxLength !== undefined && (d.type === 'string' || d.type === 'enum')) {
    const length = [...text].length;
    if (length > d.maxLength) return `is ${length} characters long, more than its maxLength ${d.maxLength}`;
  }
  if (d.maxTokens !== undefined && countTokens) {
    const n = countTokens(text);
    if (n > d.maxTokens) return `is ${n} tokens long, more than its maxTokens ${d.maxTokens}`;
  }
  return undefined;
}

function typeProblem(d: WireVariable, raw: unknown): string | undefined {
  const got = Array.isArray(raw) ? 'an array' : typeof raw === 'object' ? 'an object' : `a ${typeof raw}`;
  switch (d.type) {
    case 'string':
      return typeof raw === 'string' ? undefined : `must be a string, got ${got}`;
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? undefined : `must be a number, got ${got}`;
    case 'boolean':
      return typeof raw === 'boolean' ? undefined : `must be a boolean, got ${got}`;
    case 'enum': {
      const allowed = d.values ?? [];
      if (typeof raw !== 'string') return `must be one of ${allowed.join(', ')}, got ${got}`;
      return allowed.includes(raw) ? undefined : `must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`;
    }
    default:
      return undefined;
  }
}
