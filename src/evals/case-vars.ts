// A case's vars on one version (pure): whether the version can take them (each declared by it,
// typed as it declares it, every required one set) and the chat it renders with them, as the
// gateway renders it. render.ts checks and keys each of a test's calls with these.
import type { PromptVersion, TestVarValue, Variable } from '../model/types.js';
import type { InvocationMessage } from '../targets/llmgateway/wire.js';

/** What keeps the case's vars from being sent to version `v` (validate checked the test's own target; --compare may pick others). */
export function varProblem(v: PromptVersion, vars: Record<string, TestVarValue>, comparing: boolean): string | undefined {
  const where = `version ${v.version}`;
  for (const [name, value] of Object.entries(vars)) {
    const d = v.variables.find((x) => x.name === name);
    if (!d) return `var "${name}" is not a variable of ${where}${comparing ? ' (compared versions must declare the case\'s vars)' : ''}`;
    const p = typeProblem(d, value);
    if (p) return `var "${name}" ${p} for ${where}`;
  }
  for (const d of v.variables) {
    if (d.required && d.default === undefined && !Object.hasOwn(vars, d.name)) return `the case does not set "${d.name}", which ${where} requires`;
  }
  return undefined;
}

function typeProblem(d: Variable, value: TestVarValue): string | undefined {
  switch (d.type) {
    case 'number':
      return typeof value === 'number' ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'enum':
      return typeof value === 'string' && (d.values ?? []).includes(value) ? undefined : `must be one of ${(d.values ?? []).join(', ')}`;
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * The chat a version renders for the case, as the gateway renders it: the system instruction,
 * few-shot examples as user/assistant turns, the user template, then the case's messages. Values
 * are the case's vars, else the variable's default, else empty.
 */
export function renderPrompt(v: PromptVersion, vars: Record<string, TestVarValue>, messages: readonly InvocationMessage[]): InvocationMessage[] {
  const values = new Map<string, string>();
  for (const d of v.variables) {
    const given = Object.hasOwn(vars, d.name) ? vars[d.name] : undefined;
    values.set(d.name, given !== undefined ? (Array.isArray(given) ? given.join(', ') : String(given)) : d.default !== undefined ? String(d.default) : '');
  }
  const fill = (text: string): string => text.replace(PLACEHOLDER, (m, name: string) => values.get(name) ?? m);
  return [
    { role: 'system', content: fill(v.systemInstruction) },
    ...v.fewShotExamples.flatMap((e): InvocationMessage[] => [
      { role: 'user', content: e.input },
      { role: 'assistant', content: e.output },
    ]),
    { role: 'user', content: fill(v.userTemplate) },
    ...messages,
  ];
}
