// Desired-state resources built in code, for tests that need no YAML. The plan and rule tests'
// builders (test/unit/plan/fixtures.ts, test/unit/rules/build.ts) are these with other defaults.
import { defaultConfig } from '../../src/model/normalize.js';
import type { Config, DesiredState, PromptTemplate, PromptVersion, SafetyFilter, TrafficSplit } from '../../src/model/types.js';

const here = { file: 'test.yaml', line: 1, column: 1 };

export function config(over: Partial<Config> = {}): Config {
  return { ...defaultConfig(), ...over };
}

export function template(name: string, over: Partial<PromptTemplate> = {}): PromptTemplate {
  return { kind: 'PromptTemplate', name, labels: {}, model: 'gpt-4o', source: here, locations: {}, ...over };
}

export function version(templateName: string, label: string, over: Partial<PromptVersion> = {}): PromptVersion {
  return {
    kind: 'PromptVersion',
    template: templateName,
    version: label,
    systemInstruction: `You help with ${templateName}, version ${label}.\n`,
    userTemplate: 'Question: {{question}}',
    variables: [{ name: 'question', type: 'string', required: true, maxLength: 500 }],
    fewShotExamples: [],
    safetyGuardrails: { piiFilter: true, jailbreakDetection: true, outputModeration: true },
    labels: {},
    source: here,
    locations: {},
    ...over,
  };
}

export function split(templateName: string, routes: [string, number][], over: Partial<TrafficSplit> = {}): TrafficSplit {
  return {
    kind: 'TrafficSplit',
    template: templateName,
    strategy: 'random',
    routes: routes.map(([v, weight]) => ({ version: v, weight })),
    source: here,
    locations: {},
    ...over,
  };
}

export function filter(name: string, priority: number, over: Partial<SafetyFilter> = {}): SafetyFilter {
  return {
    kind: 'SafetyFilter',
    name,
    labels: {},
    enabled: true,
    priority,
    categories: ['pii'],
    action: 'redact_and_log',
    thresholds: { pii: 0.5 },
    falsePositiveTolerance: 0.1,
    source: here,
    locations: {},
    ...over,
  };
}

export function desiredState(parts: Partial<DesiredState> = {}): DesiredState {
  return {
    templates: parts.templates ?? [],
    versions: parts.versions ?? [],
    splits: parts.splits ?? [],
    filters: parts.filters ?? [],
    guides: parts.guides ?? [],
    summarySettings: parts.summarySettings ?? [],
    tests: parts.tests ?? [],
    config: parts.config ?? config(),
    files: parts.files ?? ['test.yaml'],
  };
}

/** n templates, each with one version routed 100 %. */
export function manyTemplates(n: number): DesiredState {
  const names = Array.from({ length: n }, (_, i) => `t-${String(i).padStart(3, '0')}`);
  return desiredState({
    templates: names.map((n) => template(n)),
    versions: names.map((n) => version(n, '1.0.0')),
    splits: names.map((n) => split(n, [['1.0.0', 100]])),
  });
}
