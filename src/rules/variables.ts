// Variable declarations: unique names; type, default, values and maxLength agree.
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState, Variable } from '../model/types.js';
import { didYouMean } from '../util/suggest.js';
import { diagnostic, locate } from './util.js';

const typeOfValue = (v: unknown): string => (typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : 'a boolean');

export function checkVariables(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const v of state.versions) {
    const first = new Map<string, number>();
    v.variables.forEach((x, i) => {
      const at = (field: string) => locate(v, `spec.variables.${i}${field ? `.${field}` : ''}`);
      const err = (field: string, rule: string, message: string) => out.push(diagnostic(at(field), 'error', rule, message));

      const earlier = first.get(x.name);
      if (earlier !== undefined) {
        const e = locate(v, `spec.variables.${earlier}.name`);
        err('name', 'variables/duplicate', `variable "${x.name}" is declared twice (first on line ${e.line})`);
      } else first.set(x.name, i);

      if (x.values !== undefined && x.type !== 'enum') {
        err('values', 'variables/values-not-enum', `variable "${x.name}" has values but type ${x.type}; values are for type enum`);
      }
      if (x.default !== undefined) checkDefault(x, err);
      // The gateway fills in a default whenever a call leaves the variable out, required or not
      // (targets/llmgateway/variables.ts): the two settings contradict, and the default wins.
      if (x.required && x.default !== undefined) {
        out.push(
          diagnostic(
            at('default'),
            'warning',
            'variables/required-with-default',
            `variable "${x.name}" is required, yet a call that leaves it out gets its default: required has no effect; set required: false to say so (or remove the default to make callers send it)`,
          ),
        );
      }
      if (x.maxLength !== undefined && x.type === 'enum' && x.values) {
        const long = x.values.find((val) => [...val].length > x.maxLength!);
        if (long !== undefined) {
          err('maxLength', 'variables/max-length', `variable "${x.name}": value "${long}" is longer than maxLength ${x.maxLength}`);
        }
      }
    });
  }
  return out;
}

/**
 * What to do about a string default of a number or boolean variable: "remove the quotes" only when
 * the text unquoted reads as that type (`default: abc` is no number with or without them), as the
 * schema's own type messages say it.
 */
function unquotingHint(d: string, expect: 'number' | 'boolean'): string {
  if (expect === 'number') return /^\s*-?\d+(\.\d+)?\s*$/.test(d) ? '; remove the quotes' : '';
  if (/^(true|false)$/i.test(d)) return '; remove the quotes';
  return /^(y|n|yes|no|on|off)$/i.test(d) ? '; YAML 1.2 reads yes/no/on/off as text: write true or false' : '';
}

function checkDefault(x: Variable, err: (field: string, rule: string, message: string) => void): void {
  const d = x.default!;
  const expect = x.type === 'number' ? 'number' : x.type === 'boolean' ? 'boolean' : 'string';
  if (typeof d !== expect) {
    const fix = expect === 'string' ? '; quote it' : typeof d === 'string' ? unquotingHint(d, expect) : '';
    err('default', 'variables/default-type', `default of variable "${x.name}" is ${typeOfValue(d)} but its type is ${x.type}${fix}`);
    return;
  }
  if (x.type === 'enum' && x.values && !x.values.includes(d as string)) {
    err(
      'default',
      'variables/default-not-in-values',
      `default "${String(d)}" of variable "${x.name}" is not one of its values (${x.values.join(', ')})${didYouMean(String(d), x.values)}`,
    );
  }
  if (typeof d === 'string' && x.maxLength !== undefined && [...d].length > x.maxLength) {
    err('default', 'variables/default-too-long', `default of variable "${x.name}" is ${[...d].length} characters, longer than maxLength ${x.maxLength}`);
  }
}
