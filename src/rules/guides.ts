// Guides: variables and data actions declared once each; an instruction the server takes (not
// blank: export leaves a guide without one out, taking it for a new guide not written yet).
// (The schema cannot bound an instruction that may come from a file.) (Their `{{Variable.name}}` references
// are the placeholder family's, in placeholders.ts; their token budgets are tokens/'s.)
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { diagnostic, locate } from './util.js';

/** The longest instruction a guide version takes, in UTF-16 code units (the server's GuideVersion limit). */
export const MAX_INSTRUCTION_CHARS = 100_000;

export function checkGuides(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const g of state.guides) {
    if (g.instruction.trim() === '') {
      out.push(
        diagnostic(
          locate(g, 'spec.instruction'),
          'error',
          'guides/empty-instruction',
          'the instruction is blank: a guide without one serves nothing (and export leaves such a guide out, taking it for one not written yet); write the instruction',
        ),
      );
    }
    if (g.instruction.length > MAX_INSTRUCTION_CHARS) {
      out.push(
        diagnostic(
          locate(g, 'spec.instruction'),
          'error',
          'guides/instruction-too-long',
          `the instruction has ${g.instruction.length} characters; Genesys takes at most ${MAX_INSTRUCTION_CHARS}`,
        ),
      );
    }
    const variables = new Map<string, number>();
    g.variables.forEach((x, i) => {
      const earlier = variables.get(x.name);
      if (earlier === undefined) return void variables.set(x.name, i);
      out.push(
        diagnostic(
          locate(g, `spec.variables.${i}.name`),
          'error',
          'guides/duplicate-variable',
          `variable "${x.name}" is declared twice (first on line ${locate(g, `spec.variables.${earlier}.name`).line})`,
        ),
      );
    });
    const ids = new Map<string, number>();
    const labels = new Map<string, number>();
    g.dataActions.forEach((a, i) => {
      const earlierId = ids.get(a.id);
      if (earlierId !== undefined) {
        out.push(
          diagnostic(
            locate(g, `spec.dataActions.${i}.id`),
            'error',
            'guides/duplicate-data-action',
            `data action ${a.id} is listed twice (first on line ${locate(g, `spec.dataActions.${earlierId}.id`).line})`,
          ),
        );
        return;
      }
      ids.set(a.id, i);
      const earlierLabel = labels.get(a.label);
      if (earlierLabel !== undefined) {
        out.push(
          diagnostic(
            locate(g, `spec.dataActions.${i}.label`),
            'warning',
            'guides/ambiguous-data-action',
            `two data actions are labelled "${a.label}" (the other on line ${locate(g, `spec.dataActions.${earlierLabel}.label`).line}); the instruction cannot tell them apart`,
          ),
        );
      } else labels.set(a.label, i);
    });
  }
  return out;
}
