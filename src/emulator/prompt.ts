// An invocation's prompt (DESIGN §3, POST /invocations): the call's variables checked against the
// version's declarations, then the chat the model sees rendered from them.
import type { InvocationMessage } from '../targets/llmgateway/wire.js';
import { checkedVariables } from '../targets/llmgateway/variables.js';
import { ApiFailure } from './errors.js';
import type { VersionRec } from './state.js';

const INVALID_VARIABLES = 'invalid.variables';

/**
 * The values to render, by variable in declaration order (defaults applied, optional ones left
 * out rendered empty), or a 400 invalid.variables naming every variable at fault.
 */
export function checkVariables(v: VersionRec, given: Record<string, unknown>, countTokens: (text: string) => number): Map<string, string> {
  const { values, problems } = checkedVariables(v.variables ?? [], v.version, given, countTokens);
  if (problems.length) {
    throw new ApiFailure(
      400,
      INVALID_VARIABLES,
      problems.map((p) => p.message).join('; '),
      problems.map((p) => ({ errorCode: INVALID_VARIABLES, fieldName: `variables.${p.name}` })),
    );
  }
  return values;
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
