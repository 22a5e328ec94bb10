// What the target serves, digested for the PromptTest results cache (pure): a cached answer
// stands for a call only while the same objects are live. The YAML alone does not decide an
// answer: the target answers from its own versions, split and filters, which differ from git
// before an apply and after a change made outside it. Each digest is the whole live object, so
// any change to it (a new version, a moved split, an edited filter) runs the call again.
import type { LiveState } from '../targets/live.js';
import { stableHash } from '../util/json.js';

export interface LiveFacts {
  /** Per template name: its live object with versions and traffic. Absent: not live. */
  templates: ReadonlyMap<string, string>;
  /** Per guide name: the guide with its latest and production versions. Absent: not live. */
  guides: ReadonlyMap<string, string>;
  /** Every live safety filter (a filter may cover a template by its labels). */
  filters: string;
}

export function liveFacts(live: LiveState): LiveFacts {
  return {
    templates: new Map(live.templates.map((t) => [t.name, stableHash(t)])),
    guides: new Map((live.guides ?? []).map((g) => [g.name, stableHash(g)])),
    filters: stableHash([...live.filters].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))),
  };
}
