// Traffic splits: weights sum to exactly 100; routes name declared versions, each once.
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { didYouMean } from '../util/suggest.js';
import { diagnostic, labelsUnsure, locate, type RuleContext } from './util.js';

export function checkTraffic(state: DesiredState, ctx: RuleContext = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const versionsOf = new Map<string, Set<string>>();
  for (const v of state.versions) {
    let set = versionsOf.get(v.template);
    if (!set) versionsOf.set(v.template, (set = new Set()));
    set.add(v.version);
  }
  const templates = new Set(state.templates.map((t) => t.name));

  for (const s of state.splits) {
    const sum = s.routes.reduce((a, r) => a + r.weight, 0);
    if (sum !== 100) {
      out.push(
        diagnostic(
          locate(s, 'spec.routes'),
          'error',
          'traffic/weights-sum',
          `route weights of template "${s.template}" sum to ${sum}; they must sum to exactly 100`,
        ),
      );
    }
    const declared = versionsOf.get(s.template) ?? new Set<string>();
    // Without the template there is nothing to check versions against (references reports it).
    // Nor when one of its versions has a broken label: the route may name what it was meant to be.
    const checkVersions = (templates.has(s.template) || declared.size > 0) && !labelsUnsure(ctx, s.template);
    const firstRoute = new Map<string, number>();
    s.routes.forEach((r, i) => {
      // Looked up only to report (reading locations works them out: load/lazy-locations.ts).
      const at = () => locate(s, `spec.routes.${i}.version`);
      const earlier = firstRoute.get(r.version);
      if (earlier !== undefined) {
        out.push(
          diagnostic(
            at(),
            'error',
            'traffic/duplicate-version',
            // By line, not by path: an environment's routes (spec.environments.<env>.routes) are
            // checked as its split's spec.routes, a path that names the document's own routes.
            `version ${r.version} is routed twice (first on line ${locate(s, `spec.routes.${earlier}.version`).line}); give it one route with the combined weight`,
          ),
        );
        return;
      }
      firstRoute.set(r.version, i);
      if (!checkVersions || declared.has(r.version) || ctx.unloadedVersions?.has(`${s.template}@${r.version}`)) return;
      const list = [...declared].sort();
      out.push(
        diagnostic(
          at(),
          'error',
          'traffic/unknown-version',
          `version ${r.version} of template "${s.template}" is not declared by any PromptVersion${didYouMean(r.version, list)}${list.length ? `; declared: ${list.join(', ')}` : ''}`,
        ),
      );
    });
    if (s.strategy !== 'sticky' && s.stickyKey !== undefined) {
      out.push(
        diagnostic(
          locate(s, 'spec.stickyKey'),
          'warning',
          'traffic/sticky-key-ignored',
          `stickyKey is ignored with strategy ${s.strategy}; set strategy: sticky to pin callers to a route`,
        ),
      );
    }
  }
  return out;
}
