// Model builders for rule tests: resources with deterministic fake locations.
import type {
  Assertion,
  DesiredState,
  FieldLocations,
  Guide,
  GuideVariable,
  PromptTemplate,
  PromptTest,
  PromptVersion,
  SafetyFilter,
  SourceLocation,
  SummarySetting,
  TestCase,
  TestTarget,
  TrafficSplit,
  Variable,
} from '../../../src/model/types.js';
import * as base from '../../helpers/desired.js';

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
  return base.template(name, { source: { file, line: 1, column: 1 }, locations: fakeLocations(file), ...extra });
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
  return base.version(tpl, ver, {
    systemInstruction: 'Be brief.',
    userTemplate: '',
    variables: [],
    source: { file, line: 1, column: 1 },
    locations: fakeLocations(file),
    textOrigins: {
      'spec.systemInstruction': { file, line: 1000, column: 5, exact: true, indentColumn: 5 },
      'spec.userTemplate': { file, line: 2000, column: 5, exact: true, indentColumn: 5 },
    },
    ...extra,
  });
}

export function split(tpl: string, routes: [string, number][], extra: Partial<TrafficSplit> = {}, file = `${tpl}-split.yaml`): TrafficSplit {
  return base.split(tpl, routes, { source: { file, line: 1, column: 1 }, locations: fakeLocations(file), ...extra });
}

export function filter(name: string, priority: number, extra: Partial<SafetyFilter> = {}, file = `${name}.yaml`): SafetyFilter {
  return base.filter(name, priority, {
    action: 'block_and_log',
    source: { file, line: 1, column: 1 },
    locations: fakeLocations(file),
    ...extra,
  });
}

export function state(parts: Partial<DesiredState> = {}): DesiredState {
  return base.desiredState({ files: [], ...parts });
}

/** A guide; its instruction starts at line 500, column 5 of its file (a literal block). */
export function guide(name: string, extra: Partial<Guide> = {}, file = 'guide.yaml'): Guide {
  return {
    kind: 'Guide',
    name,
    labels: {},
    instruction: 'Help the customer.',
    variables: [],
    dataActions: [],
    publish: 'ProductionReady',
    source: { file, line: 1, column: 1 },
    locations: fakeLocations(file),
    textOrigins: { 'spec.instruction': { file, line: 500, column: 5, exact: true, indentColumn: 5 } },
    ...extra,
  };
}

export function guideVariable(name: string, extra: Partial<GuideVariable> = {}): GuideVariable {
  return { name, type: 'String', scope: 'Input', ...extra };
}

/** A summary setting; its prompt starts at line 700, column 5 of its file. */
export function summary(name: string, extra: Partial<SummarySetting> = {}, file = 'summary.yaml'): SummarySetting {
  return {
    kind: 'SummarySetting',
    name,
    labels: {},
    language: 'en-US',
    source: { file, line: 1, column: 1 },
    locations: fakeLocations(file),
    textOrigins: { 'spec.prompt': { file, line: 700, column: 5, exact: true, indentColumn: 5 } },
    ...extra,
  };
}

/** A test case; each assertion's path is filled in by promptTest(). */
export function testCase(name: string, vars: TestCase['vars'] = {}, expect: Omit<Assertion, 'path'>[] = [{ type: 'contains', value: 'x', not: false }], extra: Partial<TestCase> = {}): TestCase {
  return { name, vars, messages: [], expect: expect as Assertion[], ...extra };
}

export function promptTest(name: string, target: TestTarget, cases: TestCase[], extra: Partial<PromptTest> = {}, file = `${name}.test.yaml`): PromptTest {
  const located = cases.map((c, i) => ({ ...c, expect: c.expect.map((a, j) => ({ ...a, path: `spec.cases.${i}.expect.${j}.${a.type}` }) as Assertion) }));
  return {
    kind: 'PromptTest',
    name,
    labels: {},
    target,
    repeat: 1,
    threshold: 1,
    cases: located,
    responses: [],
    source: { file, line: 1, column: 1 },
    locations: fakeLocations(file),
    keyLocations: fakeLocations(file),
    ...extra,
  };
}
