// An invocation's prompt (DESIGN §3, POST /invocations): the call's variables checked against the
// version's declarations, then the chat the model sees rendered from them.
import type { InvocationMessage, WireVariable } from '../targets/llmgateway/wire.js';
import { ApiFailure } from './errors.js';
import type { VersionRec } from './store.js';

const INVALID_VARIABLES = 'invalid.variables';

/**
 * The values to render, by variable in declaration order (defaults applied, optional ones left
 * out rendered empty), or a 400 invalid.variables naming every variable at fault.
 */
export function checkVariables(v: VersionRec, given: Record<string, unknown>, countTokens: (text: string) => number): Map<string, string> {
  const declared = v.variables ?? [];
  const problems: string[] = [];
  const fields: string[] = [];
  const fail = (name: string, msg: string): void => {
    problems.push(msg);
    fields.push(name);
  };
  const known = new Set(declared.map((d) => d.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      fail(name, `variable ${name} is not declared by version ${v.version}${known.size ? ` (it declares ${[...known].join(', ')})` : ' (it declares none)'}`);
    }
  }
  const values = new Map<string, string>();
  for (const d of declared) {
    const raw = Object.hasOwn(given, d.name) ? given[d.name] : undefined;
    if (raw === undefined || raw === null) {
      if (d.default !== undefined) values.set(d.name, String(d.default));
      else if (d.required ?? true) fail(d.name, `variable ${d.name} is required`);
      else values.set(d.name, '');
      continue;
    }
    const problem = typeProblem(d, raw);
    if (problem) {
      fail(d.name, `variable ${d.name} ${problem}`);
      continue;
    }
    const text = String(raw);
    if (d.maxLength !== undefined && (d.type === 'string' || d.type === 'enum')) {
      const length = [...text].length;
      if (length > d.maxLength) {
        fail(d.name, `variable ${d.name} is ${length} characters long, more than its maxLength ${d.maxLength}`);
        continue;
      }
    }
    if (d.maxTokens !== undefined) {
      const n = countTokens(text);
      if (n > d.maxTokens) {
        fail(d.name, `variable ${d.name} is ${n} tokens long, more than its maxTokens ${d.maxTokens}`);
        continue;
      }
    }
    values.set(d.name, text);
  }
  if (problems.length) {
    throw new ApiFailure(
      400,
      INVALID_VARIABLES,
      problems.join('; '),
      fields.map((n) => ({ errorCode: INVALID_VARIABLES, fieldName: `variables.${n}` })),
    );
  }
  return values;
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

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** `{{name}}` → its value, in one pass (a value that looks like a placeholder stays as it is). */
export function fill(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (m, name: string) => values.get(name) ?? m);
}

/** The chat the model sees: system, few-shot user/assistant pairs, the user template, then the call's messages. */
export function render(v: VersionRec, values: ReadonlyMap<string, string>, extra: InvocationMessage[]): InvocationMessage[] {
  const out: InvocationMessage[] = [{ role: 'system', content: fill(v.systemInstruction, values) }];
  for (const ex of v.fewShotExamples ?? []) {
    out.push({ role: 'user', content: ex.input }, { role: 'assistant', content: ex.output });
  }
  out.push({ role: 'user', content: fill(v.userTemplate, values) });
  out.push(...extra);
  return out;
}
