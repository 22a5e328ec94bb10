// {{placeholders}} in the prompt ↔ declared variables, both ways.
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState, PromptVersion, SourceLocation } from '../model/types.js';
import { didYouMean } from '../schema/suggest.js';
import { diagnostic, locate, promptFields, MAX_FINDINGS_PER_FIELD } from './util.js';

/** `{{ ... }}` with no braces inside; bounded so a hostile text stays linear. */
const PLACEHOLDER = /\{\{([^{}]{0,200})\}\}/g;
export const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Placeholder {
  name: string;
  field: string; // "systemInstruction" | "userTemplate"
  at: SourceLocation;
}

/** Every placeholder of a version's prompt, in order; malformed ones separately. */
export function findPlaceholders(v: PromptVersion): { valid: Placeholder[]; malformed: Placeholder[] } {
  const valid: Placeholder[] = [];
  const malformed: Placeholder[] = [];
  for (const f of promptFields(v)) {
    const re = new RegExp(PLACEHOLDER.source, 'g');
    for (let m = re.exec(f.text); m !== null; m = re.exec(f.text)) {
      const name = m[1]!.trim();
      const p = { name, field: f.label, at: f.at(m.index) };
      (PLACEHOLDER_NAME.test(name) ? valid : malformed).push(p);
    }
  }
  return { valid, malformed };
}

export function checkPlaceholders(state: DesiredState): Diagnostic[] {
  return state.versions.flatMap((v) => checkVersionPlaceholders(v, { unused: true }));
}

/**
 * One version's placeholders against its variables. `variables: false` checks only the form of
 * placeholders (the declarations are broken); `unused: false` skips "declared but unused" (for a
 * version whose text is only partly known: the use may be in the text that is missing).
 */
export function checkVersionPlaceholders(v: PromptVersion, opts: { unused: boolean; variables?: boolean }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { valid: all, malformed } = findPlaceholders(v);
  const valid = opts.variables === false ? [] : all;
  const declared = new Set(v.variables.map((x) => x.name));
  const used = new Set(valid.map((p) => p.name));

  // Each undeclared name once per field, at its first occurrence.
  const reported = new Set<string>();
  let count = 0;
  for (const p of valid) {
    if (declared.has(p.name) || reported.has(`${p.field}\u0000${p.name}`)) continue;
    reported.add(`${p.field}\u0000${p.name}`);
    if (++count > MAX_FINDINGS_PER_FIELD * 2) break;
    out.push(
      diagnostic(
        p.at,
        'error',
        'placeholders/undeclared',
        `placeholder {{${p.name}}} in ${p.field} is not a declared variable${didYouMean(p.name, declared)}; declare it under spec.variables`,
      ),
    );
  }
  for (const p of malformed.slice(0, MAX_FINDINGS_PER_FIELD)) {
    const shown = p.name.length > 40 ? `${p.name.slice(0, 40)}…` : p.name;
    out.push(
      diagnostic(
        p.at,
        'warning',
        'placeholders/malformed',
        `"{{${shown}}}" in ${p.field} is not a placeholder (names are letters, digits and _); the gateway will send it as written`,
      ),
    );
  }
  if (!opts.unused || opts.variables === false) return out;
  v.variables.forEach((x, i) => {
    if (used.has(x.name)) return;
    out.push(
      diagnostic(
        locate(v, `spec.variables.${i}.name`),
        'error',
        'placeholders/unused',
        `variable "${x.name}" is declared but {{${x.name}}} appears in neither systemInstruction nor userTemplate${didYouMean(x.name, used)}`,
      ),
    );
  });
  return out;
}
