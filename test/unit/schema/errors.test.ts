import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import type { DocContext } from '../../../src/config/nodes.js';
import { mapSchemaErrors, pointerSegments, displayPath } from '../../../src/schema/errors.js';
import { checkHeader } from '../../../src/schema/header.js';
import { validators, DOCUMENT_KINDS, SCHEMAS_DIR } from '../../../src/schema/validator.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Diagnostic } from '../../../src/model/diagnostic.js';

/** Header check, then schema validation mapped to diagnostics, for one YAML document. */
function check(src: string): Diagnostic[] {
  const r = parseYaml(src, 'd.yaml');
  expect(r.diagnostics).toEqual([]);
  const d = r.documents[0]!;
  const ctx: DocContext = { file: 'd.yaml', doc: d.doc, src: d.src, lineCounter: d.lineCounter };
  const h = checkHeader(ctx, d.data);
  if (!h.kind) return h.diagnostics;
  return [...h.diagnostics, ...mapSchemaErrors(ctx, validators().validate(h.kind, d.data))];
}
const short = (ds: Diagnostic[]) => ds.map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`);

const VERSION = `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing
  version: "1.0.0"
  systemInstruction: Be brief.
  userTemplate: "{{q}}"
`;

describe('validators', () => {
  it('compiles every schema once, strict, including the editor-facing dispatcher', () => {
    expect(validators()).toBe(validators());
    for (const kind of DOCUMENT_KINDS) expect(validators().schema(kind).$id).toContain(`${kind}.schema.json`);
    const any = validators().validate('PromptVersion', { apiVersion: 'promptctl/v1', kind: 'PromptVersion', spec: {} });
    expect(any.length).toBeGreaterThan(0);
  });

  it('the editor-facing promptctl.schema.json compiles strictly and accepts every example document', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    (addFormats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
    for (const f of readdirSync(SCHEMAS_DIR).filter((n) => n.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMAS_DIR, f), 'utf8')) as object);
    const any = ajv.getSchema('https://promptctl.dev/schemas/promptctl.schema.json')!;
    const examples = fileURLToPath(new URL('../../../prompts/', import.meta.url));
    const files = readdirSync(examples, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      for (const d of parseYaml(readFileSync(path.join(examples, f), 'utf8'), f).documents) {
        expect(any(d.data), `${f}: ${JSON.stringify(any.errors)}`).toBe(true);
      }
    }
    expect(any({ apiVersion: 'promptctl/v1', kind: 'TrafficSplit', spec: { template: 'abc', routes: [{ version: 1.1, weight: 100 }] } })).toBe(false);
  });

  it('accepts a minimal valid document of each kind', () => {
    const ok = {
      PromptTemplate: { apiVersion: 'promptctl/v1', kind: 'PromptTemplate', metadata: { name: 'abc' }, spec: { model: 'gpt-4o' } },
      PromptVersion: { apiVersion: 'promptctl/v1', kind: 'PromptVersion', spec: { template: 'abc', version: '1.0.0', systemInstruction: 'x', userTemplate: { file: 'a.md' } } },
      TrafficSplit: { apiVersion: 'promptctl/v1', kind: 'TrafficSplit', spec: { template: 'abc', routes: [{ version: '1.0.0', weight: 100 }] } },
      SafetyFilter: {
        apiVersion: 'promptctl/v1',
        kind: 'SafetyFilter',
        metadata: { name: 'abc' },
        spec: { priority: 1, categories: ['pii'], action: 'flag_and_pass', thresholds: { pii: 0.5 }, falsePositiveTolerance: 0 },
      },
      Config: { apiVersion: 'promptctl/v1', kind: 'Config', spec: {} },
    } as const;
    for (const kind of DOCUMENT_KINDS) expect(validators().validate(kind, ok[kind])).toEqual([]);
  });
});

describe('checkHeader', () => {
  it('reports a non-mapping document', () => {
    expect(short(check('- a\n- b\n'))).toEqual(['1:1 schema/document a promptctl document is a mapping with apiVersion, kind, metadata and spec, not a list']);
  });
  it('reports a wrong apiVersion at its value and still validates the kind', () => {
    expect(short(check(VERSION.replace('promptctl/v1', 'v1').replace('  version: "1.0.0"\n', '')))).toEqual([
      '1:13 schema/api-version apiVersion "v1" is not supported; use "promptctl/v1"',
      '4:3 schema/required missing required field "version" in spec',
    ]);
  });
  it('reports missing apiVersion and kind once each, at the document', () => {
    expect(short(check('# c\nmetadata: {name: abc}\n'))).toEqual([
      '2:1 schema/api-version missing apiVersion: add "apiVersion: promptctl/v1"',
      '2:1 schema/kind missing kind: one of PromptTemplate, PromptVersion, TrafficSplit, SafetyFilter, Config',
    ]);
  });
  it('suggests the closest kind', () => {
    expect(short(check('apiVersion: promptctl/v1\nkind: trafficsplit\n'))[0]).toContain('did you mean "TrafficSplit"?');
    expect(short(check('apiVersion: promptctl/v1\nkind: 42\n'))[0]).toBe(
      '2:7 schema/unknown-kind unknown kind 42; expected one of PromptTemplate, PromptVersion, TrafficSplit, SafetyFilter, Config',
    );
  });
});

describe('mapSchemaErrors', () => {
  it('points a missing property at the mapping that lacks it (its first entry)', () => {
    expect(short(check(VERSION.replace('  template: billing\n', '')))).toEqual(['4:3 schema/required missing required field "template" in spec']);
  });

  it('points a missing property of a list item at the item', () => {
    expect(short(check(`${VERSION}  variables:\n    - name: q\n      maxLength: 3\n`))).toEqual([
      '9:7 schema/required missing required field "type" in spec.variables[0]',
    ]);
  });

  it('points an unknown field at its key, with a did-you-mean, and drops the required echo', () => {
    expect(short(check(VERSION.replace('  template: billing', '  tempalte: billing')))).toEqual([
      '4:3 schema/unknown-field unknown field "tempalte" in spec (did you mean "template"?)',
    ]);
    expect(short(check(VERSION.replace('systemInstruction: Be brief.', 'systemInstruction: {fil: a.md}')))).toEqual([
      '6:23 schema/unknown-field unknown field "fil" in spec.systemInstruction (did you mean "file"?)',
    ]);
    expect(short(check(`${VERSION}  colour: blue\n`))[0]).toMatch(/^8:3 schema\/unknown-field unknown field "colour" in spec; allowed: template, version, /);
  });

  it('says merge keys do not exist in YAML 1.2', () => {
    expect(short(check(`${VERSION}  <<: {a: 1}\n`))).toEqual([
      '8:3 schema/unknown-field unknown field "<<" in spec: YAML 1.2 has no merge keys; write the fields out',
    ]);
  });

  it('explains type errors with hints', () => {
    expect(short(check(`${VERSION}  temperature: "0.5"\n  maxTokens: 2.5\n  safetyGuardrails: {piiFilter: no}\n`))).toEqual([
      '8:16 schema/type spec.temperature must be a number, not "0.5"; remove the quotes',
      '9:14 schema/type spec.maxTokens must be a whole number, not 2.5',
      '10:33 schema/type spec.safetyGuardrails.piiFilter must be true or false, not "no"; YAML 1.2 reads yes/no/on/off as text: write true or false',
    ]);
  });

  it('explains enum, range, length, pattern and duplicate-item errors at the value', () => {
    const filter = `apiVersion: promptctl/v1
kind: SafetyFilter
metadata:
  name: A_bad_name
spec:
  priority: 101
  categories: [pii, pii]
  action: redact
  thresholds: {}
  falsePositiveTolerance: -0.1
  description: "${'x'.repeat(1025)}"
`;
    expect(short(check(filter).sort((a, b) => a.line - b.line))).toEqual([
      '4:9 schema/pattern metadata.name "A_bad_name" is not valid: Lowercase letters, digits and hyphens; 3 to 128 characters; starts and ends with a letter or digit (did you mean "a-bad-name"?)',
      '6:13 schema/range spec.priority must be at most 100, not 101',
      '7:21 schema/duplicate-item spec.categories lists "pii" twice (items 1 and 2)',
      '8:11 schema/enum spec.action must be one of block_and_log, redact_and_log, flag_and_pass, not "redact" (did you mean "redact_and_log"?)',
      '9:15 schema/length spec.thresholds needs at least 1 entry',
      '10:27 schema/range spec.falsePositiveTolerance must be at least 0, not -0.1',
      '11:16 schema/length spec.description must be at most 1024 characters long (it is 1025)',
    ]);
  });

  it('points an invalid map key (threshold category) at the key', () => {
    const filter = `apiVersion: promptctl/v1
kind: SafetyFilter
metadata: {name: abc}
spec:
  priority: 1
  categories: [violence]
  action: block_and_log
  thresholds:
    violnce: 0.5
  falsePositiveTolerance: 0
`;
    expect(short(check(filter))).toEqual([
      '9:5 schema/enum unknown key "violnce" in spec.thresholds (did you mean "violence"?); allowed: hate_speech, violence, self_harm, sexual, political, pii, phishing',
    ]);
  });

  it('turns if/then requirements into one rule-specific message', () => {
    const split = 'apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: abc\n  strategy: sticky\n  routes: [{version: "1.0.0", weight: 100}]\n';
    expect(short(check(split))).toEqual([
      // At `strategy: sticky`, the line that asks for a stickyKey.
      '5:13 traffic/sticky-key strategy sticky needs a stickyKey (the request attribute that pins each caller to one route)',
    ]);
    expect(short(check(`${VERSION}  variables:\n    - {name: q, type: enum}\n`))).toEqual([
      '9:23 variables/enum-values variable "q" has type enum but no values: list the allowed values under values:',
    ]);
  });

  it('says that an unquoted {{placeholder}} value became a mapping, once per field', () => {
    const src = VERSION.replace('userTemplate: "{{q}}"', 'userTemplate: {{q}}') + '  fewShotExamples:\n    - {input: {{q}}, output: ok}\n';
    expect(short(check(src))).toEqual([
      '7:17 schema/type spec.userTemplate starts with "{{", which YAML reads as a mapping, not text: put the whole text in quotes or in a | block',
      '9:15 schema/type spec.fewShotExamples[0].input starts with "{{", which YAML reads as a mapping, not text: put the whole text in quotes or in a | block',
    ]);
  });

  it('reports version labels with the version rules, routes included', () => {
    expect(short(check(VERSION.replace('"1.0.0"', '1.10')))).toEqual([
      '5:12 version/not-string version must be a quoted string: YAML reads the unquoted 1.10 as the number 1.1. Quote it: version: "1.10" (and give all three parts, e.g. "1.10.0")',
    ]);
    const split = 'apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: abc\n  routes:\n    - {version: 2.0, weight: 50}\n    - {version: "v1.2.3", weight: 50}\n';
    expect(short(check(split))).toEqual([
      '6:17 version/not-string routes[0].version must be a quoted string: YAML reads the unquoted 2.0 as the number 2. Quote it: routes[0].version: "2.0" (and give all three parts, e.g. "2.0.0")',
      '7:17 version/not-semver routes[1].version "v1.2.3" is not a semantic version MAJOR.MINOR.PATCH[-prerelease] (did you mean "1.2.3"?)',
    ]);
  });

  it('caps the number of schema problems per document', () => {
    const vars = Array.from({ length: 80 }, (_, i) => `    - {name: v${i}, type: nope}`).join('\n');
    const ds = check(`${VERSION}  variables:\n${vars}\n`);
    expect(ds).toHaveLength(51);
    expect(ds[50]!.rule).toBe('schema/too-many-errors');
  });
});

describe('paths', () => {
  it('decodes JSON pointers and prints readable paths', () => {
    expect(pointerSegments('/spec/a~1b/0/c~0d')).toEqual(['spec', 'a/b', '0', 'c~d']);
    expect(displayPath(['spec', 'variables', '0', 'name'])).toBe('spec.variables[0].name');
    expect(displayPath([])).toBe('the document');
  });
});
