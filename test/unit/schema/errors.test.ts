import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import type { DocContext } from '../../../src/config/nodes.js';
import { mapSchemaErrors, pointerSegments } from '../../../src/schema/errors.js';
import { displayPath } from '../../../src/schema/messages.js';
import { checkHeader } from '../../../src/schema/header.js';
import { validators, SCHEMAS_DIR } from '../../../src/schema/validator.js';
import { DOCUMENT_KINDS } from '../../../src/model/address.js';
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
      Guide: { apiVersion: 'promptctl/v1', kind: 'Guide', metadata: { name: 'Returns / exchanges' }, spec: { instruction: { file: 'g.md' } } },
      SummarySetting: { apiVersion: 'promptctl/v1', kind: 'SummarySetting', metadata: { name: 'Voice wrap-up' }, spec: { language: 'en-US' } },
      PromptTest: {
        apiVersion: 'promptctl/v1',
        kind: 'PromptTest',
        metadata: { name: 'abc' },
        spec: { target: { guide: 'Returns / exchanges' }, cases: [{ name: 'c', expect: [{ contains: 'x' }] }] },
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
      '2:1 schema/kind missing kind: one of PromptTemplate, PromptVersion, TrafficSplit, SafetyFilter, Guide, SummarySetting, PromptTest, Config',
    ]);
  });
  it('suggests the closest kind', () => {
    expect(short(check('apiVersion: promptctl/v1\nkind: trafficsplit\n'))[0]).toContain('did you mean "TrafficSplit"?');
    expect(short(check('apiVersion: promptctl/v1\nkind: 42\n'))[0]).toBe(
      '2:7 schema/unknown-kind kind must be one of PromptTemplate, PromptVersion, TrafficSplit, SafetyFilter, Guide, SummarySetting, PromptTest, Config, as text, not 42',
    );
    // Not text at all: no "unknown kind a list".
    expect(short(check('apiVersion: promptctl/v1\nkind: [PromptTemplate]\n'))[0]).toBe(
      '2:7 schema/unknown-kind kind must be one of PromptTemplate, PromptVersion, TrafficSplit, SafetyFilter, Guide, SummarySetting, PromptTest, Config, as text, not a list',
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

  it('names the character that keeps a key from the field it prints as: a byte-order mark before it, a look-alike in it', () => {
    // Each was 'unknown field "maxTokens" (did you mean "maxTokens"?)' to the eye. (Unquoted, a
    // byte-order mark starting a key's line is YAML's problem: config/parse.ts says so first.)
    expect(short(check(`${VERSION}  "\uFEFFmaxTokens": 5\n  t\u0435mperature: 1\n`))).toEqual([
      '8:3 schema/unknown-field unknown field "\uFEFFmaxTokens" in spec (did you mean "maxTokens"?) (it holds U+FEFF, which no reader sees)',
      '9:3 schema/unknown-field unknown field "t\u0435mperature" in spec (did you mean "temperature"?) (it holds U+0435, a look-alike of "e")',
    ]);
    // A no-break space (pasted from a web page) in a quoted top-level key: no field is near, and the note still says it.
    // (Unquoted, it indents the line: config/parse.ts says so first.)
    expect(short(check(`${VERSION}"\u00a0 colour": x\n`))[0]).toMatch(/^8:1 schema\/unknown-field unknown field "\u00a0 colour"; allowed: apiVersion, kind, metadata, spec \(it holds U\+00A0, a look-alike of " "\)$/);
    // A value that prints as one of those allowed.
    expect(short(check('apiVersion: promptctl/v1\nkind: SafetyFilter\nmetadata: {name: pii}\nspec:\n  priority: 1\n  categories: [pii]\n  action: bl\u043eck_and_log\n  thresholds: {pii: 0.5}\n  falsePositiveTolerance: 0.1\n'))).toEqual([
      '7:11 schema/enum spec.action must be one of block_and_log, redact_and_log, flag_and_pass, not "bl\u043eck_and_log" (did you mean "block_and_log"?) (it holds U+043E, a look-alike of "o")',
    ]);
    const header = VERSION.replace('apiVersion: promptctl/v1\nkind: PromptVersion', 'kind: PromptVersion\n"\uFEFFapiVersion": promptctl/v1');
    expect(short(check(header))[0]).toBe('2:1 schema/api-version unknown field "\uFEFFapiVersion" (did you mean "apiVersion"?) (it holds U+FEFF, which no reader sees)');
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
      '7:21 schema/duplicate-item spec.categories lists "pii" twice (spec.categories[0] and spec.categories[1])',
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

describe('AI Studio kinds and PromptTest', () => {
  const GUIDE = (name: string, spec: string) => `apiVersion: promptctl/v1\nkind: Guide\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
  const SUMMARY = (spec: string) => `apiVersion: promptctl/v1\nkind: SummarySetting\nmetadata:\n  name: Voice wrap-up\nspec:\n${spec}`;
  const TEST = (spec: string) => `apiVersion: promptctl/v1\nkind: PromptTest\nmetadata:\n  name: smoke\nspec:\n${spec}`;

  it('a Guide or SummarySetting name is free text, but one line without stray spaces', () => {
    expect(check(GUIDE('"Returns / exchanges: EU"', '  instruction: Hi.\n'))).toEqual([]);
    expect(short(check(GUIDE('"Returns "', '  instruction: Hi.\n')))).toEqual([
      expect.stringMatching(/^4:9 schema\/pattern metadata.name "Returns " is not valid: 1 to 255 characters on one line, .* \(did you mean "Returns"\?\)$/),
    ]);
    expect(short(check(GUIDE('""', '  instruction: Hi.\n')))).toEqual(['4:9 schema/length metadata.name must not be empty']);
  });

  it('Guide enums are the Genesys spellings, with a did-you-mean', () => {
    const ds = short(check(GUIDE('G', '  instruction: Hi.\n  variables:\n    - {name: a, type: string, scope: Input}\n    - {name: b, type: String, scope: InputOutput}\n')));
    expect(ds).toEqual([
      '8:23 schema/enum spec.variables[0].type must be one of String, Integer, Number, Boolean, Date, List, not "string" (did you mean "String"?)',
      '9:38 schema/enum spec.variables[1].scope must be one of Input, Output, InputAndOutput, GuideOnly, not "InputOutput" (did you mean "InputAndOutput"?)',
    ]);
  });

  it('Guide variable settings: listValues and validation are objects, a List item and an attribute have known fields, each at its line and column', () => {
    const ok = `  instruction: Hi {{Variable.items}}.
  variables:
    - name: items
      type: List
      scope: Input
      validation: {required: true}
      listValues: {values: [a, b]}
      listVariables:
        - {name: sku, type: String, scope: Input, listValues: {}}
      customConversationAttributes:
        - {attributeName: basket, schema: {id: s1, selfUri: /api/v2/s1}}
`;
    expect(check(GUIDE('G', ok))).toEqual([]);
    const bad = `  instruction: Hi {{Variable.items}}.
  variables:
    - name: items
      type: List
      scope: Input
      validation: true
      listValues: [a, b]
      listVariables:
        - {name: sku, type: Strin, scope: Input, lstValues: {}}
      customConversationAttributes:
        - {attributeName: basket, schema: {id: s1, name: x}}
`;
    expect(short(check(GUIDE('G', bad)))).toEqual([
      '11:19 schema/type spec.variables[0].validation must be a mapping, not true',
      '12:19 schema/type spec.variables[0].listValues must be a mapping, not a list',
      '14:50 schema/unknown-field unknown field "lstValues" in spec.variables[0].listVariables[0] (did you mean "listValues"?)',
      '14:29 schema/enum spec.variables[0].listVariables[0].type must be one of String, Integer, Number, Boolean, Date, List, not "Strin" (did you mean "String"?)',
      '16:52 schema/unknown-field unknown field "name" in spec.variables[0].customConversationAttributes[0].schema; allowed: id, selfUri',
    ]);
  });

  it('a SummarySetting: BCP-47 language with a fix, and External needs an integrationId (at serviceType)', () => {
    expect(short(check(SUMMARY('  language: en_US\n  serviceType: External\n')))).toEqual([
      '7:16 summaries/integration-required serviceType External needs an integrationId (the integration of the external summarisation service)',
      '6:13 schema/pattern spec.language "en_US" is not valid: A BCP-47 language tag such as en-US or it-IT (did you mean "en-US"?)',
    ]);
    expect(check(SUMMARY('  language: zh-Hans-CN\n  serviceType: External\n  integrationId: abc\n  timeoutDuration: 30\n'))).toEqual([]);
  });

  it('an unknown assertion type has its own rule and a did-you-mean, at the key', () => {
    expect(short(check(TEST('  target: {template: billing}\n  cases:\n    - name: a\n      expect:\n        - contians: x\n        - {isjson: true, not: true}\n')))).toEqual([
      '10:11 tests/unknown-assertion unknown assertion type "contians" (did you mean "contains"?); one of contains, notContains, regex, equals, isJson, jsonSchema, maxOutputTokens, maxLatencyMs, maxCostUsd, blockedBy, redacts, routedTo',
      '11:12 tests/unknown-assertion unknown assertion type "isjson" (did you mean "isJson"?); one of contains, notContains, regex, equals, isJson, jsonSchema, maxOutputTokens, maxLatencyMs, maxCostUsd, blockedBy, redacts, routedTo',
    ]);
  });

  it('one type per assertion item, and at least one', () => {
    const ds = short(check(TEST('  target: {template: billing}\n  cases:\n    - name: a\n      expect:\n        - {contains: a, regex: b, not: true}\n        - not: true\n        - {}\n')));
    expect(ds).toEqual([
      '10:25 tests/assertion-shape one assertion per list item: this one has 2 types (contains, regex); move "regex" to an item of its own ("- regex: …")',
      expect.stringMatching(/^11:11 tests\/assertion-shape an assertion needs a type: write \{<type>: value\}, one of contains, /),
      expect.stringMatching(/^12:11 tests\/assertion-shape an assertion needs a type/),
    ]);
  });

  it('assertion values: types, categories, semver; a target is a template or a guide, not both', () => {
    const ds = short(
      check(
        TEST(
          '  target: {template: billing, guide: Returns}\n  cases:\n    - name: a\n      vars: {q: {nested: 1}}\n      expect:\n        - redacts: email\n        - routedTo: 1.1\n        - maxOutputTokens: "50"\n        - isJson: false\n',
        ),
      ),
    );
    expect(ds).toEqual([
      '6:12 tests/target spec.target.template cannot go with guide: a test targets a template (with an optional version) or a guide, not both',
      '9:17 schema/type spec.cases[0].vars.q must be a string or a number or true or false or a list, not a mapping',
      '11:20 schema/enum spec.cases[0].expect[0].redacts must be one of hate_speech, violence, self_harm, sexual, political, pii, phishing, not "email"',
      '12:21 version/not-string routedTo must be a quoted string: YAML reads the unquoted 1.1 as a number. Quote it: routedTo: "1.1" (and give all three parts, e.g. "1.1.0")',
      '13:28 schema/type spec.cases[0].expect[2].maxOutputTokens must be a whole number, not "50"; remove the quotes',
      '14:19 schema/enum spec.cases[0].expect[3].isJson must be true, not false',
    ]);
    expect(short(check(TEST('  target: {version: "1.0.0"}\n  cases: [{name: a, expect: [{contains: x}]}]\n')))).toEqual([
      '6:11 tests/target target names what the cases call: {template: name} (with an optional version) or {guide: name}',
    ]);
  });

  it('responses: the emulator fixture format without template; contains or regex, a quoted version, a known finishReason', () => {
    const CASES = '  cases: [{name: a, expect: [{contains: x}]}]\n';
    const good = [
      '  target: {template: billing}',
      '  responses:',
      '    - match: {version: "1.1.0", contains: refund}',
      '      output: Refunds take 5 days.',
      '      finishReason: stop',
      '    - match: {regex: "(?i)card"}',
      '      output: No cards here.',
      '    - output: Anything else.',
      '',
    ].join('\n');
    expect(check(TEST(good + CASES))).toEqual([]);
    const bad = [
      '  target: {template: billing}',
      '  responses:',
      '    - match: {contains: a, regex: b}',
      '      output: x',
      '    - match: {template: billing, version: 1.1}',
      '      output: x',
      '    - match: {contain: a}',
      '      output: 42',
      '      finishReason: done',
      '    - match: {contains: ""}',
      '',
    ].join('\n');
    // The version's grammar is the target's kind's (checked beside the fields, so said first; the
    // loader sorts what validate shows by position).
    expect(short(check(TEST(bad + CASES)))).toEqual([
      expect.stringMatching(/^10:43 version\/not-string responses\[1\]\.match\.version must be a quoted string: YAML reads the unquoted 1\.1 as a number/),
      '8:28 tests/response-match spec.responses[0].match takes contains or regex, not both: a response matches the prompt by a substring or by a regular expression',
      '10:15 schema/unknown-field unknown field "template" in spec.responses[1].match; allowed: version, contains, regex',
      '12:15 schema/unknown-field unknown field "contain" in spec.responses[2].match (did you mean "contains"?)',
      '13:15 schema/type spec.responses[2].output must be a string, not 42; quote it',
      '14:21 schema/enum spec.responses[2].finishReason must be one of stop, length, content_filter, not "done"',
      '15:7 schema/required missing required field "output" in spec.responses[3]',
      '15:25 schema/length spec.responses[3].match.contains must not be empty',
    ]);
  });
});

describe('positions of values written as aliases', () => {
  it('names the line where the alias is used, not the anchor’s', () => {
    const ds = check(`apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: alias-test
  labels:
    team: &num 5
spec:
  description: *num
  model: gpt-4o-mini
`);
    expect(short(ds)).toEqual([
      '6:16 schema/type metadata.labels.team must be a string, not 5; quote it',
      '8:16 schema/type spec.description must be a string, not 5; quote it',
    ]);
  });
});

