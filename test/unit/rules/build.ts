// Model builders for rule tests: resources with deterministic fake locations.
import type {
  Config,
  DesiredState,
  FieldLocations,
  PromptTemplate,
  PromptVersion,
  SafetyFilter,
  SourceLocation,
  TrafficSplit,
  Variable,
} from '../../../src/model/types.js';
import { defaultConfig } from '../../../src/model/normalize.js';

let nextLine = 1;

/** Every dotted path gets its own line on first use, so a diagnostic's line names its field. */
function fakeLocations(file: string): FieldLocations {
  const seen = new Map<string, SourceLocation>();
  return new Proxy({} as FieldLocations, {
    get(_, key) {
      if (typeof key !== 'string') return undefined;
      let l = seen.get(key);
      if (!l) seen.set(key, (l = { file, line: nextLine++, column: 3 }));
      return l;
    },
  });
}

export const at = (r: { locations: FieldLocations }, path: string): SourceLocation => r.locations[path]!;

export function template(name: string, file = `${name}.yaml`, extra: Partial<PromptTemplate> = {}): PromptTemplate {
  return { kind: 'PromptTemplate', name, labels: {}, model: 'gpt-4o', source: { file, line: 1, column: 1 }, locations: fakeLocations(file), ...extra };
}

export function variable(name: string, extra: Partial<Variable> = {}): Variable {
  return { name, type: 'string', required: true, maxLength: 100, ...extra };
}

/** System text starts at line 1000, column 5; user text at line 2000, column 5 (literal blocks). */
export function version(
  tpl: string,
  ver: string,
  extra: Partial<PromptVersion> = {},
  file = `${tpl}-${ver}.yaml`,
): PromptVersion {
  return {
    kind: 'PromptVersion',
    template: tpl,
    version: ver,
    systemInstruction: 'Be brief.',
    userTemplate: '',
    variables: [],
    fewShotExamples: [],
    safetyGuardrails: { piiFilter: true, jailbreakDetection: true, outputModeration: true },
    labels: {},
    source: { file, line: 1, column: 1 },
    locations: fakeLocations(file),
    textOrigins: {
      'spec.systemInstruction': { file, line: 1000, column: 5, exact: true, indentColumn: 5 },
      'spec.userTemplate': { file, line: 2000, column: 5, exact: true, indentColumn: 5 },
    },
    ...extra,
  };
}

export function split(tpl: string, routes: [string, number][], extra: Partial<TrafficSplit> = {}, file = `${tpl}-split.yaml`): TrafficSplit {
  return {
    kind: 'TrafficSplit',
    template: tpl,
    strategy: 'random',
    routes: routes.map(([v, weight]) => ({ version: v, weight })),
    source: { file, line: 1, column: 1 },
    locations: fakeLocations(file),
    ...extra,
  };
}

export function filter(name: string, priority: number, extra: Partial<SafetyFilter> = {}, file = `${name}.yaml`): SafetyFilter {
  return {
    kind: 'SafetyFilter',
    name,
    labels: {},
    enabled: true,
    priority,
    categories: ['pii'],
    action: 'block_and_log',
    thresholds: { pii: 0.5 },
    falsePositiveTolerance: 0.1,
    source: { file, line: 1, column: 1 },
    locations: fakeLocations(file),
    ...extra,
  };
}

export function state(parts: Partial<Omit<DesiredState, 'config'>> & { config?: Config } = {}): DesiredState {
  return { templates: [], versions: [], splits: [], filters: [], files: [], config: defaultConfig(), ...parts };
}
