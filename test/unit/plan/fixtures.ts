// Hand-built desired state and live state for the plan tests. Live entities are written the way
// the gateway returns them after an apply: server fields, filled-in defaults, promptctl's labels,
// other key order. Plain data, no mocks.
import { versionContentHash, type WireFilter, type WireTemplate, type WireTraffic, type WireVersion } from '../../../src/targets/llmgateway/wire.js';
import type { LiveState } from '../../../src/targets/llmgateway/api.js';
import type { Config, DesiredState, PromptTemplate, PromptVersion, SafetyFilter, SourceLocation, TrafficSplit } from '../../../src/model/types.js';
import type { BuildOptions } from '../../../src/plan/build.js';
import type { DesiredBody, Guard, Plan, PlanAction } from '../../../src/plan/types.js';
import { versionTokens } from '../../../src/tokens/index.js';
import * as base from '../../helpers/desired.js';

const src = (file: string): SourceLocation => ({ file, line: 1, column: 1 });

export const config: Config = base.config();

export function template(name: string, over: Partial<PromptTemplate> = {}): PromptTemplate {
  return base.template(name, { labels: { team: 'billing' }, description: `${name} assistant`, source: src(`prompts/${name}.yaml`), ...over });
}

export function version(tpl: string, label: string, over: Partial<PromptVersion> = {}): PromptVersion {
  return base.version(tpl, label, {
    systemInstruction: 'You are a helpful billing assistant.\nAnswer briefly.\n',
    userTemplate: 'Customer {{name}} asks: {{question}}',
    variables: [
      { name: 'name', type: 'string', required: true, maxLength: 80 },
      { name: 'question', type: 'string', required: true, maxLength: 2000, description: 'the question' },
    ],
    fewShotExamples: [{ input: 'Where is my invoice?', output: 'Under Billing → Invoices.' }],
    temperature: 0.2,
    maxTokens: 512,
    source: src(`prompts/${tpl}.yaml`),
    ...over,
  });
}

export function split(tpl: string, routes: Array<[string, number]>, over: Partial<TrafficSplit> = {}): TrafficSplit {
  return base.split(tpl, routes, { source: src(`prompts/${tpl}.yaml`), ...over });
}

export function filter(name: string, priority: number, over: Partial<SafetyFilter> = {}): SafetyFilter {
  return base.filter(name, priority, {
    description: `${name} filter`,
    categories: ['pii', 'phishing'],
    thresholds: { pii: 0.7, phishing: 0.5 },
    source: src('prompts/filters.yaml'),
    ...over,
  });
}

export function desiredState(parts: Partial<Omit<DesiredState, 'config' | 'files'>> = {}): DesiredState {
  return base.desiredState({ ...parts, config, files: [] });
}

let counter = 0;
const uuid = (): string => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
const when = '2025-06-01T10:00:00.000Z';
const who = { id: 'user-7' };

/** Reverses key order: the server owes us no particular order. */
function shuffled<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).reverse()) as T;
}

const MANAGED = { 'managed-by': 'promptctl', 'promptctl.dev/commit': 'abc123' };

/** What the gateway holds right after applying `d`: every version Published, labels set, defaults filled. */
export function liveAfterApply(d: DesiredState): LiveState {
  const templates: WireTemplate[] = d.templates.map((t) => {
    const id = uuid();
    const versions: WireVersion[] = d.versions
      .filter((v) => v.template === t.name)
      .map((v) => liveVersion(id, v, 'Published'));
    const s = d.splits.find((x) => x.template === t.name);
    const traffic: WireTraffic | null = s
      ? shuffled({
          templateId: id,
          strategy: s.strategy,
          ...(s.stickyKey ? { stickyKey: s.stickyKey } : {}),
          routes: [...s.routes].reverse().map((r) => shuffled({ version: r.version, weight: r.weight })),
          version: 3,
          dateModified: when,
          modifiedBy: who,
          selfUri: `/api/v2/llmgateway/prompttemplates/${id}/traffic`,
        })
      : null;
    return shuffled({
      id,
      name: t.name,
      description: t.description,
      model: t.model,
      labels: shuffled({ ...t.labels, ...MANAGED }),
      version: 2,
      dateCreated: when,
      dateModified: when,
      createdBy: who,
      modifiedBy: who,
      selfUri: `/api/v2/llmgateway/prompttemplates/${id}`,
      versions,
      traffic,
    });
  });
  const filters: WireFilter[] = d.filters.map((f) => liveFilter(f));
  return { templates, filters };
}

export function liveVersion(templateId: string, v: PromptVersion, state: 'Draft' | 'Published'): WireVersion {
  const content = {
    systemInstruction: v.systemInstruction,
    userTemplate: v.userTemplate,
    // The server echoes every variable field, filling `required`.
    variables: [...v.variables].reverse().map((x) => shuffled({ ...x, required: x.required })),
    fewShotExamples: v.fewShotExamples.map((e) => shuffled(e)),
    ...(v.model !== undefined ? { model: v.model } : {}),
    ...(v.temperature !== undefined ? { temperature: v.temperature } : {}),
    ...(v.maxTokens !== undefined ? { maxTokens: v.maxTokens } : {}),
    safetyGuardrails: shuffled({ ...v.safetyGuardrails }),
  };
  return shuffled({
    id: uuid(),
    name: v.version,
    templateId,
    version: v.version,
    state,
    contentHash: versionContentHash(content),
    ...content,
    dateCreated: when,
    dateModified: when,
    createdBy: who,
    modifiedBy: who,
    selfUri: `/api/v2/llmgateway/prompttemplates/${templateId}/versions/${v.version}`,
    ...(state === 'Published' ? { datePublished: when } : {}),
  });
}

export function liveFilter(f: SafetyFilter, over: Partial<WireFilter> = {}): WireFilter {
  const id = uuid();
  return shuffled({
    id,
    name: f.name,
    ...(f.description !== undefined ? { description: f.description } : {}),
    enabled: f.enabled,
    priority: f.priority,
    categories: [...f.categories].reverse(),
    action: f.action,
    thresholds: shuffled({ ...f.thresholds }) as Record<string, number>,
    falsePositiveTolerance: f.falsePositiveTolerance,
    // The server spells "every template" as an empty selector.
    appliesTo: f.appliesTo ?? { labels: {} },
    labels: shuffled({ ...f.labels, ...MANAGED }),
    version: 5,
    dateCreated: when,
    dateModified: when,
    createdBy: who,
    modifiedBy: who,
    selfUri: `/api/v2/llmgateway/safetyfilters/${id}`,
    ...over,
  });
}

export function opts(over: Partial<BuildOptions> = {}): BuildOptions {
  return {
    prune: false,
    target: 'embedded emulator (.promptctl/local-state.json)',
    git: { commit: 'abc1234def5678', branch: 'main', dirty: false, actor: 'dev' },
    id: 'plan-0001',
    createdAt: '2025-06-02T09:00:00.000Z',
    tokens: versionTokens,
    ...over,
  };
}

/** A typical prompt set: one template with two versions and a split, two filters. */
export function sampleDesired(): DesiredState {
  return desiredState({
    templates: [template('billing-assistant')],
    versions: [
      version('billing-assistant', '1.0.0'),
      version('billing-assistant', '1.1.0', { systemInstruction: 'You are a concise billing assistant.\nAnswer briefly.\n' }),
    ],
    splits: [split('billing-assistant', [['1.0.0', 80], ['1.1.0', 20]])],
    filters: [filter('billing-pii-guard', 10), filter('phishing-guard', 20, { enabled: false, categories: ['phishing'], thresholds: { phishing: 0.4 } })],
  });
}

/** Any action with every optional field visible, for assertions on whichever a case has. */
export type AnyAction = PlanAction & {
  guard?: Guard;
  desired?: DesiredBody;
  liveId?: string;
  parentId?: string;
  stagePriority?: number;
  supersedes?: string;
  pending?: true;
};

export function anyAction(a: PlanAction | undefined): AnyAction | undefined {
  return a as AnyAction | undefined;
}

/** A plan whose actions show every optional field (see AnyAction). */
export function loosePlan(p: Plan): Omit<Plan, 'actions'> & { actions: AnyAction[] } {
  return p as Omit<Plan, 'actions'> & { actions: AnyAction[] };
}
