// Cross-resource references: versions and splits name a template defined here; filters'
// appliesTo names templates (a warning: the template may live only in the gateway).
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { diagnostic, locate, suggestion, unlessUnread, type RuleContext } from './util.js';

export function checkReferences(state: DesiredState, ctx: RuleContext = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const templates = new Set(state.templates.map((t) => t.name));
  // A template that failed to load is its own error; one a file not read may define is said with that doubt.
  const known = (name: string) => templates.has(name) || ctx.unloadedTemplates?.has(name) === true;
  const unknown = (name: string) =>
    `template "${name}" is not defined by any PromptTemplate${unlessUnread(ctx)}${suggestion(ctx, name, templates)}`;

  for (const v of state.versions) {
    if (!known(v.template)) out.push(diagnostic(locate(v, 'spec.template'), 'error', 'references/unknown-template', unknown(v.template)));
  }
  for (const s of state.splits) {
    if (!known(s.template)) out.push(diagnostic(locate(s, 'spec.template'), 'error', 'references/unknown-template', unknown(s.template)));
  }
  for (const f of state.filters) {
    f.appliesTo?.templates?.forEach((name, i) => {
      if (known(name)) return;
      out.push(
        diagnostic(
          locate(f, `spec.appliesTo.templates.${i}`),
          'warning',
          'references/filter-target',
          `appliesTo names template "${name}", which is not defined here${unlessUnread(ctx)}${suggestion(ctx, name, templates)}; the filter applies to it only if it exists in the gateway`,
        ),
      );
    });
  }
  return out;
}
