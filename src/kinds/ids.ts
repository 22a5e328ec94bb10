// Live template ids the executor learns while it runs: from the plan, from templates created
// earlier in the same apply, or (once) by name from the target.
import type { GatewayApi } from '../targets/llmgateway/api.js';
import { liveIdOf, type PlanAction } from './action.js';

/** The kinds whose live id (or parent id) is their template's. */
const TEMPLATE_FAMILY: ReadonlySet<string> = new Set(['PromptTemplate', 'PromptVersion', 'TrafficSplit']);

export interface IdBook {
  templateId(name: string): Promise<string>;
  setTemplateId(name: string, id: string): void;
}

export function createIdBook(api: GatewayApi, actions: readonly PlanAction[]): IdBook {
  const ids = new Map<string, string>();
  for (const a of actions) {
    // For versions and splits the live id is the template's, so every template-family kind seeds the map.
    const id = liveIdOf(a);
    if (id && TEMPLATE_FAMILY.has(a.kind) && !ids.has(a.name)) ids.set(a.name, id);
  }
  return {
    async templateId(name) {
      const known = ids.get(name);
      if (known) return known;
      // Not created in this apply and not in the plan: look it up once.
      const found = (await api.listTemplates({ name })).find((t) => t.name === name);
      if (!found) throw new Error(`template ${name} does not exist on the target`);
      ids.set(name, found.id);
      return found.id;
    },
    setTemplateId(name, id) {
      ids.set(name, id);
    },
  };
}
