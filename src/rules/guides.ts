// Guides: variables and data actions declared once each. (Their `{{Variable.name}}` references
// are the placeholder family's, in placeholders.ts; their token budgets are tokens/'s.)
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { diagnostic, locate } from './util.js';

export function checkGuides(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const g of state.guides) {
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
