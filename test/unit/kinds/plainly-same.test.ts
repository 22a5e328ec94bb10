// The kinds' plainlySame shortcuts for unchanged objects (PromptVersion/same.ts, PromptTemplate's,
// TrafficSplit's): each may say "not shown equal" of equal objects (the canonical forms then
// decide), never "equal" of objects whose forms differ.
import { describe, expect, it } from 'vitest';
import { canonicalEqual } from '../../../src/kinds/canonical.js';
import { canonical as templateForm, plainlySame as plainlySameTemplate } from '../../../src/kinds/PromptTemplate/index.js';
import { canonical, fromWire, gitVersionContent, toWire } from '../../../src/kinds/PromptVersion/index.js';
import { canonical as splitForm, plainlySame as plainlySameSplit } from '../../../src/kinds/TrafficSplit/index.js';
import { plainlySameContent } from '../../../src/kinds/PromptVersion/same.js';
import { versionContentHash, type TemplateCreate, type TrafficPut, type VersionContent } from '../../../src/targets/llmgateway/wire.js';
import { stableStringify } from '../../../src/util/json.js';
import { pick, seeded, type Random } from '../../helpers/json-values.js';
import { version } from '../plan/fixtures.js';

const maybe = <T,>(r: Random, list: readonly T[]): T | undefined => (r() < 0.3 ? undefined : pick(r, list));

// Values chosen to meet every way two contents can differ in form but not in canonical value
// (CRLF, a BOM, null for absent, -0, defaults written out, variables reordered or named twice).
const TEXT = ['Hi {{a}}\n', 'Hi {{a}}\r\n', '\ufeffHi {{a}}\n', 'Hi {{a}}\r', 'Hi {{a}}'];
const LEAVES = [null, 0, -0, 1, 0.2, Number.NaN, Number.POSITIVE_INFINITY, 'x', '', true, false];

function randomVariable(r: Random): Record<string, unknown> {
  const v: Record<string, unknown> = { name: pick(r, ['a', 'b', '__proto__', 'constructor']) };
  for (const [key, values] of [
    ['type', ['string', 'number', undefined]],
    ['required', [true, false, null, undefined]],
    ['default', LEAVES],
    ['description', ['d', '', null]],
    ['maxLength', [80, null, Number.NaN]],
    ['maxTokens', [400, -0, 0]],
    ['values', [null, [], ['x', 'y'], ['y', 'x'], 'xy', 0, [Number.NaN]]],
  ] as const) {
    const x = maybe(r, values as readonly unknown[]);
    if (x !== undefined || r() < 0.2) v[key] = x;
  }
  return v;
}

function randomContent(r: Random): VersionContent {
  const c: Record<string, unknown> = { systemInstruction: pick(r, TEXT), userTemplate: pick(r, TEXT) };
  const optional: [string, () => unknown][] = [
    ['model', () => pick(r, ['m', 'n', null])],
    ['temperature', () => pick(r, [0, -0, 0.2, null, Number.NaN])],
    ['maxTokens', () => pick(r, [512, null, Number.POSITIVE_INFINITY])],
    ['safetyGuardrails', () => (r() < 0.2 ? {} : Object.fromEntries(['piiFilter', 'jailbreakDetection', 'outputModeration'].map((k) => [k, maybe(r, [true, false, null])])))],
    ['fewShotExamples', () => Array.from({ length: Math.floor(r() * 3) }, () => ({ input: maybe(r, ['q', 'r']), output: maybe(r, ['a', 'b']) }))],
    ['variables', () => Array.from({ length: Math.floor(r() * 4) }, () => randomVariable(r))],
  ];
  for (const [key, make] of optional) if (r() < 0.7) c[key] = make();
  return c as unknown as VersionContent;
}

/** A copy with one field replaced, a variable changed or moved, or nothing changed at all. */
function edited(r: Random, c: VersionContent): VersionContent {
  const copy = structuredClone(c) as unknown as Record<string, unknown>;
  const roll = r();
  if (roll < 0.3) return copy as unknown as VersionContent;
  const variables = copy.variables as Record<string, unknown>[] | undefined;
  if (roll < 0.5 && variables && variables.length > 0) {
    const i = Math.floor(r() * variables.length);
    if (r() < 0.5) variables.push(variables.splice(i, 1)[0]!);
    else variables[i] = { ...variables[i], ...randomVariable(r), name: variables[i]!.name };
    return copy as unknown as VersionContent;
  }
  const other = randomContent(r) as unknown as Record<string, unknown>;
  const key = pick(r, ['systemInstruction', 'userTemplate', 'model', 'temperature', 'maxTokens', 'safetyGuardrails', 'fewShotExamples', 'variables']);
  if (key in other) copy[key] = other[key];
  else delete copy[key];
  return copy as unknown as VersionContent;
}

describe('plainlySameContent', () => {
  it('never calls equal two contents whose canonical forms differ (random contents, edited copies)', () => {
    const { shown, left } = checkImplication(11, 20000, randomContent, edited, plainlySameContent, canonical);
    // Both ways are exercised: many equal pairs shown by the shortcut, some left to the forms.
    expect(shown).toBeGreaterThan(5000);
    expect(left).toBeGreaterThan(500);
  });

  it('shows equal what plan meets most: git\'s version against the live one made from it', () => {
    const v = version('t', '1.0.0', { model: 'gpt-4o-mini', safetyGuardrails: { piiFilter: true, jailbreakDetection: false, outputModeration: true } });
    const live = { ...structuredClone(toWire(v)), state: 'Published' as const, contentHash: 'h', id: 'i' };
    expect(plainlySameContent(v, live)).toBe(true);
    expect(plainlySameContent(fromWire(live, 't'), v)).toBe(true);
    // A defaulted field written out on one side only is still the same content.
    expect(plainlySameContent({ ...v, safetyGuardrails: {} } as VersionContent, { ...live, safetyGuardrails: { piiFilter: true, jailbreakDetection: true, outputModeration: true } })).toBe(true);
  });

  it("shows equal by identity a listed version that took git's content: it holds the model's own fields, hashed as the create body is", () => {
    for (const v of [version('t', '1.0.0'), version('t', '2.0.0', { model: undefined, temperature: undefined, maxTokens: undefined, variables: [], fewShotExamples: [] })]) {
      const content = gitVersionContent({ versions: [v] }).get('t')!.get(v.version)!;
      expect(versionContentHash(content)).toBe(versionContentHash(toWire(v)));
      // No copy of the content is made: the planner's comparison is then a few identity checks.
      expect(content.variables).toBe(v.variables);
      expect(content.fewShotExamples).toBe(v.fewShotExamples);
      expect(content.safetyGuardrails).toBe(v.safetyGuardrails);
      expect(plainlySameContent(v, { ...content, state: 'Published' } as VersionContent)).toBe(true);
    }
  });

  it('says not equal for one changed field (the canonical forms then give the diff)', () => {
    const v = version('t', '1.0.0');
    const live = structuredClone(toWire(v));
    expect(plainlySameContent(v, { ...live, systemInstruction: `${live.systemInstruction} ` })).toBe(false);
    expect(plainlySameContent(v, { ...live, temperature: 0.3 })).toBe(false);
    expect(plainlySameContent(v, { ...live, variables: live.variables!.map((x, i) => (i === 0 ? { ...x, maxLength: 81 } : x)) })).toBe(false);
    expect(plainlySameContent(v, { ...live, fewShotExamples: [] })).toBe(false);
  });
});

// The shortcuts compare the fields they name; a field the canonical form gains is compared by
// nobody until its shortcut names it too (and this file's generators vary it). These lists are
// what each shortcut compares: a new field in a form fails here first.
describe('the shortcuts know every field of the canonical forms', () => {
  it('PromptVersion: the content\'s fields and a variable\'s', () => {
    const form = canonical({ systemInstruction: 's', userTemplate: 'u', variables: [{ name: 'a', type: 'string' }] } as VersionContent) as Record<string, unknown>;
    expect(Object.keys(form)).toEqual(['fewShotExamples', 'maxTokens', 'model', 'safetyGuardrails', 'systemInstruction', 'temperature', 'userTemplate', 'variables']);
    expect(Object.keys(form.safetyGuardrails as object)).toEqual(['jailbreakDetection', 'outputModeration', 'piiFilter']);
    expect(Object.keys((form.variables as Record<string, object>).a!)).toEqual(['default', 'description', 'maxLength', 'maxTokens', 'required', 'type', 'values']);
    const examples = canonical({ systemInstruction: 's', userTemplate: 'u', fewShotExamples: [{ input: 'q', output: 'a' }] } as VersionContent).fewShotExamples as object[];
    expect(Object.keys(examples[0]!)).toEqual(['input', 'output']);
  });

  it('PromptTemplate and TrafficSplit', () => {
    expect(Object.keys(templateForm({ name: 't', model: 'm' }))).toEqual(['description', 'labels', 'model']);
    expect(Object.keys(splitForm({ routes: [{ version: '1.0.0', weight: 100 }] } as Omit<TrafficPut, 'version'>))).toEqual(['routes', 'stickyKey', 'strategy']);
  });
});

/** Never "equal" when the forms differ, over `n` random pairs; returns how often each way was taken. */
function checkImplication<T>(seed: number, n: number, make: (r: Random) => T, edit: (r: Random, x: T) => T, same: (x: T, y: T) => boolean, form: (x: T) => unknown) {
  const r = seeded(seed);
  let shown = 0;
  let left = 0;
  for (let i = 0; i < n; i++) {
    const a = make(r);
    const b = edit(r, a);
    const equal = canonicalEqual(form(a) as never, form(b) as never);
    for (const [x, y] of [[a, b], [b, a]] as const) {
      if (same(x, y)) {
        expect(equal, `${stableStringify(x)} vs ${stableStringify(y)}`).toBe(true);
        shown++;
      } else if (equal) left++;
    }
  }
  return { shown, left };
}

/** A copy with one member replaced by another random object's (or removed), or none. */
function oneMemberFrom<T>(r: Random, x: T, make: (r: Random) => T): T {
  const copy = structuredClone(x) as Record<string, unknown>;
  if (r() < 0.3) return copy as T;
  const other = make(r) as Record<string, unknown>;
  const key = pick(r, [...new Set([...Object.keys(copy), ...Object.keys(other)])]);
  if (key === undefined) return copy as T;
  if (key in other) copy[key] = other[key];
  else delete copy[key];
  return copy as T;
}

describe('PromptTemplate plainlySame', () => {
  const LABELS = [['team', 'a'], ['team', 'b'], ['managed-by', 'promptctl'], ['managed-by', 'other'], ['promptctl.dev/commit', 'c'], ['__proto__', 'p'], ['k', 1], ['k', Number.NaN], ['k', null]] as const;
  const randomTemplate = (r: Random): TemplateCreate => {
    const t: Record<string, unknown> = { name: 't', model: pick(r, ['m', 'n', undefined]) };
    if (r() < 0.7) t.description = pick(r, ['d', '', null, undefined, 'e']);
    if (r() < 0.8) {
      const labels: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 4); i > 0; i--) {
        const [k, v] = pick(r, LABELS);
        Object.defineProperty(labels, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      t.labels = r() < 0.05 ? 'not labels' : labels;
    }
    return t as unknown as TemplateCreate;
  };

  it('never calls equal two templates whose canonical forms differ', () => {
    const { shown, left } = checkImplication(21, 20000, randomTemplate, (r, t) => oneMemberFrom(r, t, randomTemplate), plainlySameTemplate, templateForm);
    expect(shown).toBeGreaterThan(5000);
    expect(left).toBeGreaterThan(100);
  });

  it('shows equal a live template that only adds promptctl\'s labels', () => {
    const desired = { name: 't', model: 'm', labels: { team: 'a' } };
    expect(plainlySameTemplate(desired, { ...desired, description: '', labels: { 'managed-by': 'promptctl', team: 'a', 'promptctl.dev/commit': 'c' } })).toBe(true);
    expect(plainlySameTemplate(desired, { ...desired, labels: { team: 'b' } })).toBe(false);
    expect(plainlySameTemplate(desired, { ...desired, labels: { team: 'a', extra: 'x' } })).toBe(false);
  });
});

describe('TrafficSplit plainlySame', () => {
  const randomSplit = (r: Random): Omit<TrafficPut, 'version'> => {
    const s: Record<string, unknown> = {
      routes: Array.from({ length: Math.floor(r() * 4) }, () => ({ version: pick(r, ['1.0.0', '1.1.0', '2.0.0']), weight: pick(r, [0, -0, 50, 100, Number.NaN]) })),
    };
    if (r() < 0.6) s.strategy = pick(r, ['random', 'sticky', undefined, null]);
    if (r() < 0.6) s.stickyKey = pick(r, ['customer', null, undefined]);
    return s as unknown as Omit<TrafficPut, 'version'>;
  };
  const edit = (r: Random, s: Omit<TrafficPut, 'version'>) => {
    if (r() < 0.3 && s.routes.length > 1) return { ...structuredClone(s), routes: [...s.routes.slice(1), s.routes[0]!] };
    return oneMemberFrom(r, s, randomSplit);
  };

  it('never calls equal two splits whose canonical forms differ', () => {
    const { shown, left } = checkImplication(31, 20000, randomSplit, edit, plainlySameSplit, splitForm);
    expect(shown).toBeGreaterThan(5000);
    expect(left).toBeGreaterThan(100);
  });
});
