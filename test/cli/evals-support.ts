// Shared by the CLI tests of run, test and status: a prompts directory in a temp dir, a real
// emulator on port 0 with canned answers, and the live objects those prompts describe, created
// through the production client (so these tests do not depend on apply).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorOptions } from '../../src/emulator/server.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import type { VersionCreate } from '../../src/targets/llmgateway/wire.js';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

export const REFUND_ANSWER = 'Refunds reach your card within 5 working days of the return arriving at our warehouse.';
export const PARCEL_ANSWER = 'Your parcel ships tomorrow and arrives in two days.';

export const RESPONSES = [
  { match: { template: 'faq-bot', contains: 'refund' }, output: REFUND_ANSWER },
  { match: { template: 'faq-bot', contains: 'parcel' }, output: PARCEL_ANSWER },
];

export const PHISHING = 'Your Acme account is locked. Confirm your password within 24 hours at http://acme-account-verify.example/login or it will be deleted.';
export const CARD = 'I paid with 4111 1111 1111 1111 and was charged twice.';

const versions: VersionCreate[] = [
  {
    version: '1.0.0',
    systemInstruction: 'You answer questions about Acme orders.',
    userTemplate: 'Question: {{question}}',
    variables: [{ name: 'question', type: 'string', maxLength: 500 }],
    maxTokens: 120,
  },
  {
    version: '1.1.0',
    systemInstruction: 'You answer questions about Acme orders. Be brief.',
    userTemplate: 'Question: {{question}}',
    variables: [{ name: 'question', type: 'string', maxLength: 500 }],
    maxTokens: 100,
  },
];

function versionYaml(v: VersionCreate): string {
  return [
    'apiVersion: promptctl/v1',
    'kind: PromptVersion',
    'spec:',
    '  template: faq-bot',
    `  version: "${v.version}"`,
    `  systemInstruction: ${JSON.stringify(v.systemInstruction)}`,
    `  userTemplate: ${JSON.stringify(v.userTemplate)}`,
    '  variables:',
    '    - name: question',
    '      type: string',
    '      maxLength: 500',
    `  maxTokens: ${v.maxTokens}`,
  ].join('\n');
}

export const PROMPTS_YAML = [
  ['apiVersion: promptctl/v1', 'kind: PromptTemplate', 'metadata:', '  name: faq-bot', 'spec:', '  model: gpt-4o-mini'].join('\n'),
  ...versions.map(versionYaml),
  [
    'apiVersion: promptctl/v1',
    'kind: TrafficSplit',
    'spec:',
    '  template: faq-bot',
    '  routes:',
    '    - version: "1.0.0"',
    '      weight: 50',
    '    - version: "1.1.0"',
    '      weight: 50',
  ].join('\n'),
  [
    'apiVersion: promptctl/v1',
    'kind: SafetyFilter',
    'metadata:',
    '  name: faq-pii-redact',
    'spec:',
    '  priority: 1',
    '  categories: [pii]',
    '  action: redact_and_log',
    '  thresholds: {pii: 0.5}',
    '  falsePositiveTolerance: 0',
    '  appliesTo: {templates: [faq-bot]}',
  ].join('\n'),
  [
    'apiVersion: promptctl/v1',
    'kind: SafetyFilter',
    'metadata:',
    '  name: faq-phishing-block',
    'spec:',
    '  priority: 2',
    '  categories: [phishing]',
    '  action: block_and_log',
    '  thresholds: {phishing: 0.5}',
    '  falsePositiveTolerance: 0',
    '  appliesTo: {templates: [faq-bot]}',
  ].join('\n'),
].join('\n---\n');

/** A passing and a failing case on 1.1.0. */
/** One case of faq-bot 1.1.0 that one invocation answers: the tests of a single call's failure. */
export const REFUND_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-refund
spec:
  target:
    template: faq-bot
    version: "1.1.0"
  cases:
    - name: refund
      vars:
        question: How long does a refund take?
      expect:
        - contains: "5 working days"
`;

export const ANSWERS_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-answers
spec:
  target:
    template: faq-bot
    version: "1.1.0"
  cases:
    - name: refund
      vars:
        question: "How long does a refund take?"
      expect:
        - contains: "5 working days"
        - maxOutputTokens: 100
        - routedTo: "1.1.0"
    - name: parcel
      vars:
        question: "Where is my parcel?"
      expect:
        - contains: "5 working days" # the parcel answer does not say this: fails
`;

/** The real filters: a phishing message blocked, a card number redacted, a plain question neither. */
export const SAFETY_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-safety
spec:
  target:
    template: faq-bot
    version: "1.0.0"
  cases:
    - name: phishing is blocked
      vars:
        question: ${JSON.stringify(PHISHING)}
      expect:
        - blockedBy: faq-phishing-block
    - name: card number is redacted
      vars:
        question: ${JSON.stringify(CARD)}
      expect:
        - redacts: pii
        - notContains: "4111 1111 1111 1111"
        - blockedBy: faq-phishing-block
          not: true
    - name: plain question
      vars:
        question: "Where is my parcel?"
      expect:
        - redacts: pii
          not: true
        - blockedBy: faq-phishing-block
          not: true
`;

/** The same calls with the expectations turned around: every assertion must fail. */
export const SAFETY_WRONG_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-safety-wrong
spec:
  target:
    template: faq-bot
    version: "1.0.0"
  cases:
    - name: phishing is not blocked
      vars:
        question: ${JSON.stringify(PHISHING)}
      expect:
        - blockedBy: faq-phishing-block
          not: true
    - name: plain question redacted
      vars:
        question: "Where is my parcel?"
      expect:
        - redacts: pii
        - blockedBy: faq-phishing-block
`;

export interface EvalsProject {
  dir: TempDir;
  emu: TestEmulator;
  cli(args: readonly string[], opts?: { tty?: boolean; env?: Record<string, string | undefined> }): Promise<CliResult>;
  /** Invocations the emulator has answered so far (its analytics count every one). */
  invocations(): Promise<number>;
  write(file: string, text: string): Promise<void>;
  close(): Promise<void>;
}

/** Creates the live objects PROMPTS_YAML describes, through the client. */
export async function createLive(api: GatewayApi): Promise<void> {
  const t = await api.createTemplate({ name: 'faq-bot', model: 'gpt-4o-mini', labels: { 'managed-by': 'promptctl' } });
  for (const v of versions) {
    await api.createVersion(t.id, v);
    await api.publishVersion(t.id, v.version);
  }
  await api.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 50 }], version: 0 });
  await api.createFilter({ name: 'faq-pii-redact', priority: 1, categories: ['pii'], action: 'redact_and_log', thresholds: { pii: 0.5 }, falsePositiveTolerance: 0, appliesTo: { templates: ['faq-bot'] } });
  await api.createFilter({
    name: 'faq-phishing-block',
    priority: 2,
    categories: ['phishing'],
    action: 'block_and_log',
    thresholds: { phishing: 0.5 },
    falsePositiveTolerance: 0,
    appliesTo: { templates: ['faq-bot'] },
  });
}

export async function evalsProject(tests: Record<string, string> = {}, opts: EmulatorOptions = {}): Promise<EvalsProject> {
  const dir = await tempDir('promptctl-evals-');
  const emu = await startTestEmulator({ responses: RESPONSES, rateLimit: 1_000_000, ...opts });
  await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'faq.yaml'), PROMPTS_YAML + '\n');
  for (const [name, text] of Object.entries(tests)) await writeFile(join(dir.path, 'prompts', 'tests', name), text);
  await createLive(emu.api);
  return {
    dir,
    emu,
    cli: (args, o = {}) => runCliInProcess(args, { cwd: dir.path, env: { ...emu.env, ...(o.env ?? {}) }, ...(o.tty ? { tty: true } : {}) }),
    async invocations() {
      const end = new Date(Date.now() + 60_000).toISOString();
      const r = await emu.api.queryAnalytics({ interval: `2000-01-01T00:00:00Z/${end}`, metrics: ['nInvocations'] });
      return r.results.reduce((n, g) => n + g.data.reduce((m, b) => m + (b.metrics[0]?.stats.sum ?? 0), 0), 0);
    },
    write: (file, text) => writeFile(join(dir.path, file), text),
    async close() {
      await emu.close();
      await dir.remove();
    },
  };
}

/**
 * The faq project in DIR (prompts/faq.yaml and an empty prompts/tests/) against an emulator allowing
 * `rateLimit` requests a `rateWindowMs` window, its live objects made first on one without a tight
 * budget over the same state (createLive's own calls would wait for it too).
 */
export async function faqBehindRateLimit(dir: string, rateLimit: number, rateWindowMs: number): Promise<TestEmulator> {
  const stateFile = join(dir, 'org.json');
  const setup = await startTestEmulator({ stateFile, responses: RESPONSES, rateLimit: 1_000_000 });
  await createLive(setup.api);
  await setup.close();
  const emu = await startTestEmulator({ stateFile, responses: RESPONSES, rateLimit, rateWindowMs });
  await mkdir(join(dir, 'prompts', 'tests'), { recursive: true });
  await writeFile(join(dir, 'prompts', 'faq.yaml'), `${PROMPTS_YAML}\n`);
  return emu;
}

/** The attributes of the first element named `tag` in an XML text. */
export function xmlAttributes(xml: string, tag: string): Record<string, string> {
  const m = new RegExp(`<${tag}\\s([^>]*)>`).exec(xml);
  if (!m) throw new Error(`no <${tag}> in ${xml.slice(0, 200)}`);
  return Object.fromEntries([...m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
}

/**
 * A PromptTest `faq-many` of `count` cases on faq-bot 1.1.0, each a call of its own (the case's
 * number is in its question), named `<name> N` and asserting `expect` (a YAML assertion line).
 */
export function manyCasesTest(count: number, c: { name: string; question: string; expect: string }): string {
  const cases = Array.from(
    { length: count },
    (_, i) => `    - name: ${c.name} ${i + 1}\n      vars:\n        question: "${c.question} (${i + 1})"\n      expect:\n        - ${c.expect}`,
  );
  return `apiVersion: promptctl/v1\nkind: PromptTest\nmetadata:\n  name: faq-many\nspec:\n  target:\n    template: faq-bot\n    version: "1.1.0"\n  cases:\n${cases.join('\n')}\n`;
}

/**
 * A project of the faq prompts and one PromptTest (prompts/tests/json.yaml) of faq-bot 1.1.0
 * whose one case expects the JSON Schema `schema` (YAML lines, indented under `- jsonSchema:`;
 * its first line is line 15 of the file).
 */
export async function jsonSchemaTestProject(prefix: string, schema: string): Promise<TempDir> {
  const dir = await tempDir(prefix);
  await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'faq.yaml'), PROMPTS_YAML + '\n');
  const test = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-json
spec:
  target:
    template: faq-bot
    version: "1.1.0"
  cases:
    - name: answers json
      vars:
        question: "json please"
      expect:
        - jsonSchema:
${schema}`;
  await writeFile(join(dir.path, 'prompts', 'tests', 'json.yaml'), test);
  return dir;
}

/** faq-bot through its 50/50 split, six runs of one case, no responses: block: the routed version varies between runs. */
export const ROUTED_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-routed
spec:
  target:
    template: faq-bot
  repeat: 6
  threshold: 0.5
  cases:
    - name: refund
      vars:
        question: "How long does a refund take?"
      expect:
        - contains: "5 working days"
`;
