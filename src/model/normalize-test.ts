// PromptTest documents → the model (DESIGN §7): a test's target, its cases with their variables,
// messages and assertions, and the canned responses it may answer with; texts normalised as every
// other text is. Pure, as normalize.ts, whose shared helpers it uses.
import type { Assertion, AssertionType, JsonValue, PromptTest, TestCase, TestFinishReason, TestMessageRole, TestResponse, TestTarget, TestVarValue } from './types.js';
import { ASSERTION_TYPES } from './types.js';
import { labelsOf, located, obj, textFacts, type DocumentFacts, type Obj } from './normalize.js';
import { normalizeText } from './text.js';

export const DEFAULT_TEST_REPEAT = 1;
export const DEFAULT_TEST_THRESHOLD = 1;

export function normalizeTest(doc: Obj, facts: DocumentFacts): PromptTest {
  const spec = obj(doc.spec);
  const t = obj(spec.target);
  let target: TestTarget;
  if (typeof t.guide === 'string') target = { guide: t.guide };
  else {
    target = { template: String(t.template) };
    if (typeof t.version === 'string') target.version = t.version;
  }
  return located<PromptTest>({
    kind: 'PromptTest',
    name: String(obj(doc.metadata).name),
    labels: labelsOf(doc),
    target,
    repeat: typeof spec.repeat === 'number' ? spec.repeat : DEFAULT_TEST_REPEAT,
    threshold: typeof spec.threshold === 'number' ? spec.threshold : DEFAULT_TEST_THRESHOLD,
    cases: ((spec.cases as unknown[] | undefined) ?? []).map((raw, i) => normalizeCase(obj(raw), `spec.cases.${i}`)),
    responses: ((spec.responses as unknown[] | undefined) ?? []).map((raw) => normalizeResponse(obj(raw))),
    source: facts.source,
    keyLocations: facts.keyLocations ?? {},
    ...(facts.anchoredLocations ? { anchoredLocations: facts.anchoredLocations } : {}),
    ...textFacts(facts),
  }, facts);
}

function normalizeResponse(r: Obj): TestResponse {
  const m = obj(r.match);
  const match: TestResponse['match'] = {};
  for (const k of ['version', 'contains', 'regex'] as const) {
    const v = m[k];
    if (typeof v === 'string') match[k] = k === 'contains' ? normalizeText(v) : v;
  }
  const out: TestResponse = { match, output: normalizeText(String(r.output ?? '')) };
  if (typeof r.finishReason === 'string') out.finishReason = r.finishReason as TestFinishReason;
  return out;
}

function normalizeCase(c: Obj, path: string): TestCase {
  const vars: Record<string, TestVarValue> = {};
  for (const [k, v] of Object.entries(obj(c.vars))) {
    const value = Array.isArray(v) ? v.map((x) => normalizeText(String(x))) : typeof v === 'string' ? normalizeText(v) : (v as TestVarValue);
    // Defined, not assigned: `vars.__proto__ = 1` would set the prototype, and the var would
    // vanish instead of being reported as unknown.
    Object.defineProperty(vars, k, { value, writable: true, enumerable: true, configurable: true });
  }
  const expect: Assertion[] = [];
  ((c.expect as unknown[] | undefined) ?? []).forEach((raw, j) => {
    const a = obj(raw);
    const not = a.not === true;
    // The schema allows one type per item; were there more, each would stand on its own.
    for (const type of ASSERTION_TYPES) {
      if (!Object.hasOwn(a, type)) continue;
      expect.push({ type, value: assertionValue(type, a[type]), not, path: `${path}.expect.${j}.${type}` } as Assertion);
    }
  });
  return {
    name: String(c.name),
    vars,
    messages: ((c.messages as unknown[] | undefined) ?? []).map((raw) => ({
      role: obj(raw).role as TestMessageRole,
      content: normalizeText(String(obj(raw).content)),
    })),
    expect,
  };
}

function assertionValue(type: AssertionType, v: unknown): unknown {
  if (typeof v === 'string' && (type === 'contains' || type === 'notContains' || type === 'equals')) return normalizeText(v);
  if (type === 'equals' || type === 'jsonSchema') return structuredClone(v) as JsonValue;
  return v;
}
