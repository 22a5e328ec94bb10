// How a promotion gap (plan/promotion.ts) is said: one plan problem per gap (a blocked one under
// its own rule), what is missing and whether applying the previous environment closes it, and the
// one-line summary of what a plan brings that the environment before it has not run. Pure.
import type { PlanProblem } from '../kinds/action.js';
import { PROMOTION_BLOCKED_RULE, PROMOTION_RULE } from '../model/environments.js';
import { intrinsicBlock, type PromotedVersion, type PromotionBlock, type PromotionGap } from './promotion.js';

/**
 * One problem per gap, naming the version, the environment and the one before it. A gap that
 * applying the previous environment does not close (judged, or blocked whatever it applies) is a
 * PROMOTION_BLOCKED_RULE problem.
 */
export function promotionProblems(gaps: readonly PromotionGap[], env: string, previous: string): PlanProblem[] {
  return gaps.map((g) => {
    const closure = g.closure ?? intrinsicBlock(g);
    return {
      address: g.address,
      rule: closure !== undefined && closure !== 'waits' ? PROMOTION_BLOCKED_RULE : PROMOTION_RULE,
      message: promotionMessage(g, env, previous),
      // The views name it where they say what a waiting plan waits for.
      previous,
    };
  });
}

/** A gap's message: what is missing, then whether applying the previous environment closes it. */
export function promotionMessage(g: PromotionGap, env: string, previous: string): string {
  const closure = g.closure ?? intrinsicBlock(g);
  // A blocked gap does not say "apply it to staging first": the note after it says that would not close it.
  const base = gapMessage(g, env, previous, closure === undefined || closure === 'waits');
  if (closure === undefined) return base;
  if (closure === 'waits') return `${base} (waiting: applying this commit to ${previous} closes it)`;
  const reason = blockReason(g, closure, previous);
  return `${base} (blocked: applying this commit to ${previous} does not close it${reason ? `: ${reason}` : ''}; fix git)`;
}

/** Why, when the gap's own message does not already say it (a surface the org does not serve). */
function blockReason(g: PromotionGap, why: PromotionBlock, previous: string): string | undefined {
  const what = g.kind === 'Guide' ? 'guide' : g.kind === 'SummarySetting' ? 'summary setting' : 'version';
  switch (why) {
    case 'no-surface':
      return undefined;
    case 'immutable':
      return `published versions are immutable, so ${previous} keeps its content under ${g.version}: give this content a new version label`;
    case 'not-in-files':
      return `${previous}'s documents do not include it (metadata.environments)`;
    case 'other-content':
      return `${previous}'s documents give this ${what} other content`;
    case 'other-model':
      return `${previous}'s documents run this ${what} on another model`;
    case 'not-published':
      return `${previous} keeps this guide's content a Draft (the guide's spec.publish, or guidePublish of environment ${previous} in promptctl.yaml)`;
  }
}

/** ": apply it to staging first", where applying the environment before would close the gap (`advise`); else nothing. */
function first(advise: boolean, advice: string): string {
  return advise ? `: ${advice}` : '';
}

/**
 * After "apply it to staging first", for a document whose metadata.environments keeps it to some:
 * that list must keep the environment. Nothing for a document in every environment.
 */
function keptNote(g: PromotionGap, previous: string): string {
  return g.keptTo === undefined ? '' : ` (its document's metadata.environments, ${g.keptTo.join(', ')}, must keep ${previous})`;
}

function gapMessage(g: PromotionGap, env: string, previous: string, advise: boolean): string {
  if (g.kind === 'SummarySetting') return settingMessage(g, env, previous, advise);
  if (g.kind === 'Guide') {
    if (g.missing === 'no-surface') {
      return `guide "${g.template}" would be written in ${env}, but ${previous} (before ${env} in promotion) does not serve AI Studio guides, so no guide can run there first: leave guides out of ${env} (metadata.environments) or promote them through an environment that serves AI Studio guides`;
    }
    if (g.missing === 'absent') {
      return `guide "${g.template}" would be written in ${env}, but ${previous} (before ${env} in promotion) has no guide of that name${first(advise, `apply it to ${previous} first${keptNote(g, previous)}`)}`;
    }
    if (g.draftOnly) {
      return `guide "${g.template}" would get content ${g.hash?.slice(0, 12) ?? ''} in ${env}, but ${previous} (before ${env} in promotion) holds that content only in a Draft version, which has not run there: publish it in ${previous} first (TestReady or ProductionReady: the guide's spec.publish, or guidePublish of environment ${previous} in promptctl.yaml), then apply to ${previous}`;
    }
    return `guide "${g.template}" would get content ${g.hash?.slice(0, 12) ?? ''} in ${env}, but ${previous} (before ${env} in promotion) has no version of it with that content${first(advise, `apply it to ${previous} first`)}`;
  }
  const does = g.why === 'published' ? 'published' : g.why === 'model' ? `moved to model ${g.model}` : 'given more traffic';
  if (g.missing === 'no-surface') {
    return `version ${g.version} of template "${g.template}" would be ${does} in ${env}, but ${previous} (before ${env} in promotion) does not serve the LLM Gateway, so no version can run there first: leave templates out of ${env} (metadata.environments) or promote them through an environment that serves the LLM Gateway`;
  }
  if (g.otherModel !== undefined) {
    return `version ${g.version} of template "${g.template}" would run on model ${g.model} in ${env}, but ${previous} (before ${env} in promotion) runs it on ${g.otherModel}: what ${env} would run, ${previous} never ran${advise ? ` (apply the model to ${previous} first)` : ''}`;
  }
  if (g.otherContent) {
    return `version ${g.version} of template "${g.template}" would be ${does} in ${env} with content ${g.hash!.slice(0, 12)}, but ${previous} (before ${env} in promotion) published other content under that label (${g.otherContent.map((h) => h.slice(0, 12)).join(', ')}): what ${env} would run, ${previous} never ran`;
  }
  return `version ${g.version} of template "${g.template}" would be ${does} in ${env}, but ${previous} (before ${env} in promotion) does not hold it published (never applied there, or retired since)${first(advise, `apply it to ${previous} first`)}`;
}

/**
 * The promotion line's count: "2 of 2 versions and 1 of 1 guide brought to prod are published in
 * staging; 1 of 1 summary setting brought to prod has the same content in staging". A guide counts
 * as published when a TestReady or ProductionReady version holds its content; a summary setting
 * is never published, only held.
 */
export function promotionSummary(wanted: readonly PromotedVersion[], gaps: readonly PromotionGap[], env: string, previous: string): string {
  const count = (noun: string, kind: PromotedVersion['kind']): { part: string; n: number } | undefined => {
    const n = wanted.filter((w) => w.kind === kind).length;
    return n === 0 ? undefined : { part: `${n - gaps.filter((g) => g.kind === kind).length} of ${n} ${noun}${n === 1 ? '' : 's'}`, n };
  };
  const lines: string[] = [];
  const published = [count('version', undefined), count('guide', 'Guide')].filter((c) => c !== undefined);
  if (published.length > 0) {
    const n = published.reduce((sum, c) => sum + c.n, 0);
    // "as … would run": a version published there on another model (or content) is not counted.
    lines.push(`${published.map((c) => c.part).join(' and ')} brought to ${env} ${n === 1 ? 'is' : 'are'} published in ${previous} as ${env} would run ${n === 1 ? 'it' : 'them'}`);
  }
  const settings = count('summary setting', 'SummarySetting');
  if (settings) lines.push(`${settings.part} brought to ${env} ${settings.n === 1 ? 'has' : 'have'} the same content in ${previous}`);
  return lines.join('; ');
}

function settingMessage(g: PromotionGap, env: string, previous: string, advise: boolean): string {
  const before = `${previous} (before ${env} in promotion)`;
  if (g.missing === 'no-surface') {
    return `summary setting "${g.template}" would be written in ${env}, but ${before} does not serve AI Studio summary settings, so no summary setting can run there first: leave summary settings out of ${env} (metadata.environments) or promote them through an environment that serves AI Studio summary settings`;
  }
  if (g.missing === 'absent') {
    return `summary setting "${g.template}" would be written in ${env}, but ${before} has no summary setting of that name${first(advise, `apply it to ${previous} first${keptNote(g, previous)}`)}`;
  }
  const other = (g.otherContent ?? []).map((h) => h.slice(0, 12)).join(', ');
  return `summary setting "${g.template}" would get content ${g.hash?.slice(0, 12) ?? ''} in ${env}, but ${before} holds other content in its summary setting of that name (${other})${first(advise, `apply this content to ${previous} first`)}`;
}
