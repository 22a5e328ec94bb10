// The build's ajv standalone code (util/precompiled.ts, scripts/compile-schemas.mjs) must give the
// errors runtime compilation gives, to the last field the diagnostics read (params, parentSchema,
// schemaPath, data, propertyName): generated here in memory from the same sets, and compared over
// the validate fixtures, the example prompts and mutations of both.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import type { DocContext } from '../../../src/config/nodes.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../../../src/model/address.js';
import { WIRE_SCHEMAS, type WireSchema } from '../../../src/emulator/schemas.js';
import { ANSWER_SCHEMAS, type AnswerSchema } from '../../../src/targets/answer-shapes.js';
import { mapSchemaErrors } from '../../../src/schema/errors.js';
import { PLAN_SCHEMA } from '../../../src/schema/plan-file.js';
import { DOCUMENT_SCHEMAS } from '../../../src/schema/validator.js';
import { loadSchemaSet, sourceHash, standaloneSource, type CompiledValidator, type SchemaSet } from '../../../src/util/precompiled.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The generated module, evaluated as the build's .cjs file would be (its requires resolve from src/util). */
function generated<N extends string>(set: SchemaSet<N>): Record<N | 'sourceHash', CompiledValidator & string> {
  const code = standaloneSource(set, ROOT);
  const module = { exports: {} as Record<string, unknown> };
  const require = createRequire(path.join(ROOT, 'src', 'util', 'precompiled.ts'));
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return module.exports as Record<N | 'sourceHash', CompiledValidator & string>;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Every value replaced by wrong things, every mapping given an unknown key, every list emptied (capped). */
function* mutations(data: unknown, limit = 200): Generator<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, at: (string | number)[]) => {
    paths.push(at);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(data, []);
  let n = 0;
  for (const at of paths) {
    for (const replace of [12345, -1, 'Not A Name!', true, null, [], {}, 'x'.repeat(3000), ['a', 'a'], { bogus: 1 }]) {
      if (n++ >= limit) return;
      const copy = structuredClone(data) as Record<string | number, unknown>;
      if (at.length === 0) {
        yield replace;
        continue;
      }
      let parent: Record<string | number, unknown> = copy;
      for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
      const last = at.at(-1)!;
      parent[last] = replace;
      yield copy;
      if (!Array.isArray(parent)) {
        const without = structuredClone(copy) as Record<string | number, unknown>;
        let p: Record<string | number, unknown> = without;
        for (const k of at.slice(0, -1)) p = p[k] as Record<string | number, unknown>;
        delete p[last];
        yield without;
      }
    }
  }
}

describe('precompiled schemas', () => {
  it('the document schemas: identical errors and diagnostics, generated or compiled at run time', () => {
    const runtime = loadSchemaSet({ ...DOCUMENT_SCHEMAS, module: new URL('file:///nonexistent/documents.compiled.cjs') });
    expect(runtime.precompiled).toBe(false);
    const gen = generated(DOCUMENT_SCHEMAS);
    expect(gen.sourceHash).toBe(sourceHash(DOCUMENT_SCHEMAS));
    const files = [...yamlFiles(path.join(ROOT, 'test', 'fixtures', 'validate')), ...yamlFiles(path.join(ROOT, 'prompts'))];
    expect(files.length).toBeGreaterThan(20);
    let compared = 0;
    let failing = 0;
    for (const file of files) {
      const parsed = parseYaml(readFileSync(file, 'utf8'), file);
      for (const d of parsed.documents) {
        const kind = (d.data as { kind?: string } | null)?.kind;
        if (!DOCUMENT_KINDS.includes(kind as DocumentKind)) continue;
        const ctx: DocContext = { file, doc: d.doc, src: d.src, lineCounter: d.lineCounter };
        for (const data of [d.data, ...mutations(d.data)]) {
          const a = runtime.validators.get(kind as DocumentKind)!;
          const b = gen[kind as DocumentKind];
          const okA = a(data);
          const okB = b(data);
          expect(okB).toBe(okA);
          const errorsA = a.errors ?? [];
          const errorsB = b.errors ?? [];
          expect(errorsB).toEqual(errorsA);
          // The mapping reads the original document's nodes; for a mutation only the errors matter.
          if (data === d.data) expect(mapSchemaErrors(ctx, errorsB)).toEqual(mapSchemaErrors(ctx, errorsA));
          compared++;
          if (!okA) failing++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(failing).toBeGreaterThan(500);
  });

  it('the plan schema and the emulator wire schemas: identical errors', () => {
    const planRuntime = loadSchemaSet({ ...PLAN_SCHEMA, module: new URL('file:///nonexistent/plan.compiled.cjs') }).validators.get('plan')!;
    const planGen = generated(PLAN_SCHEMA).plan;
    const plan = {
      formatVersion: 2,
      id: 'p1',
      createdAt: '2030-01-01T00:00:00Z',
      target: 'emulator',
      git: { commit: 'abc' },
      prune: false,
      summary: { create: 1, update: 0, delete: 0, noop: 0 },
      actions: [{ action: 'create', address: 'PromptTemplate/a-b-c', kind: 'PromptTemplate', name: 'a-b-c', body: { name: 'a-b-c' } }],
      problems: [],
      unmanaged: [],
      fingerprint: 'f'.repeat(64),
    };
    for (const data of [plan, ...mutations(plan, 400)]) {
      expect(planGen(data)).toBe(planRuntime(data));
      expect(planGen.errors ?? []).toEqual(planRuntime.errors ?? []);
    }

    const wireRuntime = loadSchemaSet({ ...WIRE_SCHEMAS, module: new URL('file:///nonexistent/wire.compiled.cjs') }).validators;
    const wireGen = generated(WIRE_SCHEMAS);
    const bodies: Partial<Record<WireSchema, unknown>> = {
      TemplateCreate: { name: 'billing-assistant', description: 'x', model: 'gpt-4o', labels: { team: 'billing' } },
      TrafficPut: { strategy: 'random', routes: [{ versionId: 'v1', weight: 100 }] },
      FilterCreate: { name: 'f', priority: 1, categories: ['pii'], action: 'block_and_log', thresholds: { pii: 0.5 } },
    };
    for (const [name, body] of Object.entries(bodies)) {
      const a = wireRuntime.get(name as WireSchema)!;
      const b = wireGen[name as WireSchema];
      for (const data of [body, ...mutations(body)]) {
        expect(b(data)).toBe(a(data));
        expect(b.errors ?? []).toEqual(a.errors ?? []);
      }
    }

    const answerRuntime = loadSchemaSet({ ...ANSWER_SCHEMAS, module: new URL('file:///nonexistent/answers.compiled.cjs') }).validators;
    const answerGen = generated(ANSWER_SCHEMAS);
    const answers: Record<AnswerSchema, unknown> = {
      LiveTemplate: {
        id: 't1', name: 'a', model: 'gpt-4o', labels: { team: 'x' }, version: 2,
        versions: [{ version: '1.0.0', state: 'Published', systemInstruction: 's', userTemplate: '{{q}}', variables: [{ name: 'q', type: 'string' }], fewShotExamples: [{ input: 'i', output: 'o' }] }],
        traffic: { strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], version: 1 },
      },
      LiveTemplateDigest: {
        id: 't1', name: 'a', model: 'gpt-4o', labels: { team: 'x' }, version: 2, modifiedBy: { id: 'u' },
        versions: [{ id: 'v1', templateId: 't1', version: '1.0.0', state: 'Published', contentHash: 'ab' }],
        traffic: { strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], version: 1 },
      },
      LiveVersion: { version: '1.0.0', state: 'Draft', systemInstruction: 's', userTemplate: 'u', safetyGuardrails: { piiFilter: false } },
      LiveVersionDigest: { version: '1.0.0', state: 'Draft', contentHash: 'ab', userTemplate: 'u', safetyGuardrails: { piiFilter: false } },
      LiveTraffic: { strategy: 'sticky', stickyKey: 'customer', routes: [{ version: '1.0.0', weight: 100 }], version: 3, modifiedBy: { id: 'u' } },
      LiveFilter: { id: 'f1', name: 'f', priority: 1, categories: ['pii'], action: 'block_and_log', thresholds: { pii: 0.5 }, version: 1, appliesTo: { templates: ['a'] } },
      LiveGuide: { id: 'g1', name: 'g', latestSavedVersion: { version: '1.0' } },
      LiveGuideVersion: { version: '1.0', state: 'Draft', instruction: 'x', variables: [{ name: 'v', type: 'String', listVariables: [{ name: 'w' }] }] },
      LiveSummarySetting: { id: 's1', name: 's', language: 'en-US', predefinedInsights: ['Resolution'], customEntities: [{ label: 'l' }] },
      LiveAnalytics: { results: [{ group: { templateId: 't1', version: '1.0.0' }, data: [{ interval: 'a/b', metrics: [{ metric: 'tLatency', stats: { count: 2, sum: 3, min: 1, max: 2, percentiles: { '50': 1 } } }] }] }] },
      LiveInvocation: { id: 'i1', version: '1.0.0', model: 'gpt-4o', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 }, costUsd: 0.1, latencyMs: 5, filters: [{ name: 'f', category: 'pii', score: 0.5, action: 'redact_and_log', applied: true }], output: { text: 'hi' } },
      LiveInvocationSummary: { id: 'i1', version: '1.0.0', model: 'gpt-4o', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 }, costUsd: 0.1, latencyMs: 5, filters: [] },
      LiveBlockedSpend: { message: 'm', code: 'content.blocked', status: 400, contextId: 'c', usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 }, costUsd: 0.1 },
    };
    for (const [name, body] of Object.entries(answers)) {
      const a = answerRuntime.get(name as AnswerSchema)!;
      const b = answerGen[name as AnswerSchema];
      expect(a(body), name).toBe(true);
      for (const data of [body, ...mutations(body)]) {
        expect(b(data)).toBe(a(data));
        expect(b.errors ?? []).toEqual(a.errors ?? []);
      }
    }
  });

  it('loads the generated module only while it matches the schema files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'promptctl-precompiled-'));
    try {
      const module = pathToFileURL(path.join(dir, 'plan.compiled.cjs'));
      const set = { ...PLAN_SCHEMA, module };
      writeFileSync(module, `exports.plan = function stub() { return true; };\nexports.sourceHash = ${JSON.stringify(sourceHash(PLAN_SCHEMA))};\n`);
      const fresh = loadSchemaSet(set);
      expect(fresh.precompiled).toBe(true);
      expect(fresh.validators.get('plan')!.name).toBe('stub');

      const stale = pathToFileURL(path.join(dir, 'stale.compiled.cjs'));
      writeFileSync(stale, `exports.plan = function stub() { return true; };\nexports.sourceHash = "from an older schema";\n`);
      const recompiled = loadSchemaSet({ ...PLAN_SCHEMA, module: stale });
      expect(recompiled.precompiled).toBe(false);
      expect(recompiled.validators.get('plan')!({})).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
