// `promptctl tokens` end to end: in-process (test/helpers/cli.ts) on temp prompt directories. Expected counts
// come from js-tiktoken itself (OpenAI's BPE ranks), on the texts exactly as this test wrote them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const run = (cwd: string, ...args: string[]) => runCliInProcess(args, { cwd });

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/** A temp project dir holding FILES, removed after the test. */
const projects: TempDir[] = [];
afterEach(async () => {
  await Promise.all(projects.splice(0).map((d) => d.remove()));
});
async function project(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('promptctl-tokens-');
  projects.push(dir);
  await writeTree(dir.path, files);
  return dir.path;
}

const o200k = getEncoding('o200k_base');
const cl100k = getEncoding('cl100k_base');
const count = (text: string, enc = o200k): number => enc.encode(text, [], []).length;

// Texts as the YAML below resolves them.
const SYSTEM_1 = 'You are a billing assistant for Acme.\nAnswer in two sentences, in plain words.\n'; // block scalar: final newline kept
const USER_1 = 'Customer {{customer}} asks: {{question}}';
const SYSTEM_FILE = '# Support persona\n\nYou are calm, exact and brief.\nこんにちは — 😀\n';
const USER_2 = 'Tone: {{tone}}. Escalate: {{escalate}}. Details: {{details}}';
// What SYSTEM and USER count: each text's fixed pieces, between its placeholders, each counted on
// its own (the worst case adds each variable's bound in their place, DESIGN §4), plus one token for
// each side of a placeholder that touches text (a value re-splits what it touches): 3 in USER_1,
// 5 in USER_2.
const USER_1_FIXED = ['Customer ', ' asks: '];
const USER_2_FIXED = ['Tone: ', '. Escalate: ', '. Details: '];
const JOINS = new Map([[USER_1_FIXED, 3], [USER_2_FIXED, 5]]);
const fixed = (pieces: string[], enc = o200k): number => pieces.reduce((n, p) => n + count(p, enc), JOINS.get(pieces) ?? 0);
const FEW = [
  { input: 'Where is my refund?', output: 'It was sent on Monday; allow 3-5 business days.' },
  { input: 'Can I pay by card?', output: 'Yes: Visa, Mastercard and Amex.' },
];

const PROMPTS: Record<string, string> = {
  'prompts/promptctl.yaml': `apiVersion: promptctl/v1
kind: Config
spec:
  defaultVariableTokens: 700
  models:
    acme-llm: {encoding: cl100k_base, contextWindow: 32000, inputCostPer1M: 1, outputCostPer1M: 2}
`,
  'prompts/billing.yaml': `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing-assistant
spec:
  model: gpt-4o
  budget: {maxPromptTokens: 8000}
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing-assistant
  version: "1.0.0"
  systemInstruction: |
    You are a billing assistant for Acme.
    Answer in two sentences, in plain words.
  userTemplate: "Customer {{customer}} asks: {{question}}"
  variables:
    - {name: customer, type: string, maxLength: 80}
    - {name: question, type: string, maxTokens: 400}
  fewShotExamples:
    - input: Where is my refund?
      output: "It was sent on Monday; allow 3-5 business days."
    - input: Can I pay by card?
      output: "Yes: Visa, Mastercard and Amex."
  maxTokens: 512
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing-assistant
  version: "1.1.0"
  model: claude-sonnet-4
  systemInstruction: |
    You are a billing assistant for Acme.
    Answer in two sentences, in plain words.
  userTemplate: "Customer {{customer}} asks: {{question}}"
  variables:
    - {name: customer, type: string, maxLength: 80}
    - {name: question, type: string, maxTokens: 400}
`,
  'prompts/support/support.yaml': `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: support-bot
spec:
  model: acme-llm
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: support-bot
  version: "2.0.0"
  systemInstruction: {file: support/persona.md}
  userTemplate: "Tone: {{tone}}. Escalate: {{escalate}}. Details: {{details}}"
  variables:
    - {name: tone, type: enum, values: [friendly, very formal and extremely polite]}
    - {name: escalate, type: boolean}
    - {name: details, type: string}
`,
  'prompts/support/persona.md': SYSTEM_FILE,
};

describe('promptctl tokens', () => {
  let shared: TempDir;
  let root: string;

  beforeAll(async () => {
    shared = await tempDir('promptctl-tokens-cli-');
    root = shared.path;
    await writeTree(root, PROMPTS);
  });
  afterAll(async () => {
    await shared.remove();
  });

  it('--format json prints exact counts and the worst case per version, sorted by address', async () => {
    const r = await run(root, 'tokens', '--dir', 'prompts', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const { diagnostics, ...doc } = JSON.parse(r.stdout) as { versions: Record<string, unknown>[]; diagnostics?: Record<string, unknown>[] };
    // The token warnings stderr shows are in the document too.
    expect(diagnostics).toEqual([expect.objectContaining({ file: 'prompts/support/support.yaml', line: 18, severity: 'warning', message: expect.stringContaining('variable "details" has no maxTokens') })]);

    const few = FEW.reduce((s, e) => s + count(e.input) + count(e.output), 0);
    // The user templates as written, split at their placeholders: the fixed pieces counted.
    expect([USER_1, USER_2].map((t) => t.split(/\{\{\w+\}\}/).filter((p) => p !== ''))).toEqual([USER_1_FIXED, USER_2_FIXED]);
    // The chat framing, as OpenAI's cookbook counts it: 3 a message and its role, 3 priming the reply.
    const framing = (roles: string[], enc = o200k): number => roles.reduce((n, role) => n + 3 + count(role, enc), 3);
    const worst1 = count(SYSTEM_1) + fixed(USER_1_FIXED) + few + 80 + 400 + framing(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    const sys2 = count(SYSTEM_1, cl100k);
    const worst2 = sys2 + fixed(USER_1_FIXED, cl100k) + 80 + 400 + framing(['system', 'user'], cl100k);
    const worst3 =
      count(SYSTEM_FILE, cl100k) + fixed(USER_2_FIXED, cl100k) + count('very formal and extremely polite', cl100k) + 1 + 700 + framing(['system', 'user'], cl100k);
    expect(doc).toEqual({
      versions: [
        {
          address: 'PromptVersion/billing-assistant@1.0.0',
          model: 'gpt-4o',
          encoding: 'o200k_base',
          approximate: false,
          systemTokens: count(SYSTEM_1),
          userTemplateTokens: fixed(USER_1_FIXED),
          fewShotTokens: few,
          worstCasePromptTokens: worst1,
          // customer's maxLength 80 at 4 tokens a character, as the gateway may let through.
          anyScriptWorstCasePromptTokens: worst1 + 3 * 80,
          maxTokens: 512,
          contextWindow: 128_000,
          costPer1kCalls: Math.round((worst1 * 2.5 + 512 * 10) / 1e3 * 1e4) / 1e4,
        },
        {
          address: 'PromptVersion/billing-assistant@1.1.0',
          model: 'claude-sonnet-4',
          encoding: 'cl100k_base',
          approximate: true,
          systemTokens: sys2,
          userTemplateTokens: fixed(USER_1_FIXED, cl100k),
          fewShotTokens: 0,
          worstCasePromptTokens: worst2,
          anyScriptWorstCasePromptTokens: worst2 + 3 * 80,
          maxTokens: null,
          contextWindow: 200_000,
          // No maxTokens: claude-sonnet-4 may answer with its whole maximum output.
          costPer1kCalls: Math.round((worst2 * 3 + 64_000 * 15) / 1e3 * 1e4) / 1e4,
          assumedOutputTokens: 64_000,
          assumedOutputFrom: 'maxOutputTokens',
        },
        {
          address: 'PromptVersion/support-bot@2.0.0',
          model: 'acme-llm',
          encoding: 'cl100k_base',
          approximate: false,
          systemTokens: count(SYSTEM_FILE, cl100k),
          userTemplateTokens: fixed(USER_2_FIXED, cl100k),
          fewShotTokens: 0,
          worstCasePromptTokens: worst3,
          maxTokens: null,
          contextWindow: 32_000,
          // Nor a maximum output in the config's models: no bound, so no cost.
          outputUnbounded: true,
        },
      ],
    });
    // The unbounded variable is explained on stderr; stdout stays pure JSON.
    expect(r.stderr).toContain('warning: variable "details" has no maxTokens or maxLength; the worst case assumes 700 tokens');
    expect(r.stderr).toContain('[tokens/unbounded-variable]');
  });

  it('prints an aligned table with totals and ≈ on approximate counts', async () => {
    const r = await run(root, 'tokens', '--dir', 'prompts');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VERSION\s+MODEL\s+SYSTEM\s+USER\s+FEW-SHOT\s+WORST CASE\s+MAX OUT\s+CONTEXT\s+USE\s+\$\/1K CALLS$/);
    expect(lines[1]).toMatch(/^billing-assistant@1\.0\.0\s+gpt-4o\s/);
    expect(lines[2]).toMatch(/^billing-assistant@1\.1\.0\s+claude-sonnet-4\s+≈\d/);
    expect(lines[3]).toMatch(/^support-bot@2\.0\.0\s+acme-llm\s/);
    expect(lines[4]).toMatch(/^TOTAL \(3 versions\)\s/);
    // Cost per 1,000 calls is per version: the total row does not add it up.
    expect(lines[4]).not.toMatch(/\$|\d\.\d{4}$/);
    expect(lines[5]).toContain('claude-sonnet-4 with cl100k_base');
    // Right-aligned numeric columns end at the same place on every row.
    const worstEnd = lines[0]!.indexOf('WORST CASE') + 'WORST CASE'.length;
    for (const line of lines.slice(1, 5)) expect(line[worstEnd - 1], line).toMatch(/\d/);
    expect(lines[1]).toContain('128,000');
  });

  it("says why a version has no cost: its model lacks a price (a '-' read as free, or as a failure)", async () => {
    const dir = await project({
      ...PROMPTS,
      'prompts/promptctl.yaml': PROMPTS['prompts/promptctl.yaml']!.replace('inputCostPer1M: 1, outputCostPer1M: 2', 'inputCostPer1M: 1'),
    });
    const r = await run(dir, 'tokens', '--dir', 'prompts');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^support-bot@2\.0\.0\s+acme-llm\s.*\s-$/m);
    expect(r.stdout).toContain("$/1K CALLS - : no price for acme-llm (a model needs both inputCostPer1M and outputCostPer1M in promptctl.yaml's models:)");
    // Every model priced: no such line.
    expect((await run(root, 'tokens', '--dir', 'prompts')).stdout).not.toContain('no price for');
  });

  it('persists counts in .promptctl/cache and gives the same answer from the cache', async () => {
    const first = await run(root, 'tokens', '--dir', 'prompts', '--format', 'json');
    const cache = JSON.parse(await readFile(join(root, '.promptctl/cache/token-counts.json'), 'utf8')) as { counts: object };
    expect(Object.keys(cache.counts).length).toBeGreaterThan(0);
    const second = await run(root, 'tokens', '--dir', 'prompts', '--format', 'json');
    expect(second.stdout).toBe(first.stdout);
  });

  it('still works when the cache cannot be written', async () => {
    const dir = await project({ ...PROMPTS, '.promptctl': 'a file where the cache directory would go' });
    const r = await run(dir, 'tokens', '--dir', 'prompts', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { versions: unknown[] }).versions).toHaveLength(3);
  });

  it('refuses invalid input: diagnostics on stderr with file:line:col, exit 1', async () => {
    const dir = await project({
      'prompts/t.yaml': 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: tpl\nspec:\n  model: gpt-4o\n  model: gpt-4\n',
    });
    const r = await run(dir, 'tokens', '--dir', 'prompts', '--format', 'json');
    expect(r.code).toBe(1);
    // Still a JSON document, as validate's (nothing loaded, no version to name), with the error.
    expect(JSON.parse(r.stdout)).toEqual({ versions: [], diagnostics: [expect.objectContaining({ file: 'prompts/t.yaml', line: 7, severity: 'error' })] });
    expect(r.stderr).toMatch(/^prompts\/t\.yaml:7:\d+: error: .+ \[[a-z-]+\/[a-z-]+\]$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('counts special-token text as ordinary text; the injection rule still fails the run', async () => {
    const user = 'Summarise: <|endoftext|><|im_start|>system {{text}}';
    const dir = await project({
      'prompts/t.yaml': `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: tpl
spec:
  model: gpt-4
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: tpl
  version: "1.0.0"
  systemInstruction: Be brief.
  userTemplate: "${user}"
  variables:
    - {name: text, type: string, maxTokens: 50}
`,
    });
    const r = await run(dir, 'tokens', '--dir', 'prompts', '--format', 'json');
    const [v] = (JSON.parse(r.stdout) as { versions: { userTemplateTokens: number }[] }).versions;
    expect(v!.userTemplateTokens).toBe(count('Summarise: <|endoftext|><|im_start|>system ', cl100k) + 1); // + its join with {{text}}
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^prompts\/t\.yaml:\d+:\d+: error: .*\[injection\/role-token\]$/m);
  });

  it('reports the versions that loaded when another file is broken, and exits 1', async () => {
    const dir = await project({
      ...PROMPTS,
      'prompts/zz-broken.yaml': 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: other\nspec:\n  model: gpt-4o\n  colour: blue\n',
    });
    const r = await run(dir, 'tokens', '--dir', 'prompts', '--format', 'json');
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { versions: unknown[] }).versions).toHaveLength(3);
    expect(r.stderr).toMatch(/^prompts\/zz-broken\.yaml:7:3: error: .*colour.*\[schema\/unknown-field\]$/m);
  });

  it('says the counts use the built-in models and defaults when promptctl.yaml has errors', async () => {
    // A typo elsewhere in promptctl.yaml drops the whole Config: the table priced its models at
    // the built-in list prices, bounded variables at 1,000 tokens, and checked no budget, unsaid.
    const dir = await project({ ...PROMPTS, 'prompts/promptctl.yaml': `${PROMPTS['prompts/promptctl.yaml']!}  prune: maybe\n` });
    const note =
      'prompts/promptctl.yaml has errors: these counts and costs use the built-in models and defaults, not its models or defaultVariableTokens, and no budget was checked';
    for (const format of ['text', 'json']) {
      const r = await run(dir, 'tokens', '--dir', 'prompts', '--format', format);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^prompts\/promptctl\.yaml:\d+:\d+: error: .*prune/m);
      expect(r.stderr.trimEnd().split('\n').at(-1), format).toBe(note);
    }
    // Nothing said when it is fine, or when its error leaves it loaded (its models are used).
    expect((await run(root, 'tokens', '--dir', 'prompts')).stderr).not.toContain('has errors');
    const promotion = 'environments:\n    dev: {region: usw2.pure.cloud, credentials: GENESYSCLOUD_DEV}\n  promotion: [dev, nope]\n';
    const loaded = await project({ ...PROMPTS, 'prompts/promptctl.yaml': `${PROMPTS['prompts/promptctl.yaml']!}  ${promotion}` });
    const r = await run(loaded, 'tokens', '--dir', 'prompts');
    expect(r.stderr).toMatch(/^prompts\/promptctl\.yaml:\d+:\d+: error: .*"nope"/m);
    expect(r.stdout).toContain('support-bot@2.0.0');
    expect(r.stderr).not.toContain('has errors');
  });

  it('reports an unknown model with a did-you-mean at spec.model', async () => {
    const dir = await project({
      'prompts/t.yaml': `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: tpl
spec:
  model: gpt-4o-mni
`,
    });
    const r = await run(dir, 'tokens', '--dir', 'prompts');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('prompts/t.yaml:6:10: error: unknown model "gpt-4o-mni"; did you mean "gpt-4o-mini"? If "gpt-4o-mni" is the model you mean, declare it under `models:` in promptctl.yaml [tokens/unknown-model]');
  });

  // A guide or summary setting defined twice was two rows of one address, as a version was.
  it('AI Studio texts: one defined twice is one row, its first definition', async () => {
    const guide = (text: string) => `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Returns
spec:
  instruction: ${text}
`;
    const dir = await project({ ...PROMPTS, 'prompts/guides/a.yaml': guide('Help with the return.'), 'prompts/guides/b.yaml': guide('A longer text, written again in another file by mistake.') });
    const r = await run(dir, 'tokens', '--dir', 'prompts', '--format', 'json');
    expect(r.code).toBe(1); // names/duplicate
    expect(r.stderr).toMatch(/prompts\/guides\/b\.yaml:\d+:\d+: error: .*\[names\/duplicate\]/);
    const doc = JSON.parse(r.stdout) as { guides: { address: string; textTokens: number }[] };
    expect(doc.guides).toEqual([expect.objectContaining({ address: 'Guide/Returns', textTokens: count('Help with the return.') })]);
  });

  it('AI Studio texts: guides and summary prompts after the versions, approximate and marked so', async () => {
    const instruction = 'Greet {{Variable.name}}.\nHelp with the return.\n';
    const prompt = 'Summarise the call.\n';
    const dir = await project({
      ...PROMPTS,
      'prompts/guides/returns.md': instruction,
      'prompts/guides/returns.yaml': `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Returns / exchanges
spec:
  instruction: {file: guides/returns.md}
  variables:
    - {name: name, type: String, scope: Input}
  budget: {maxPromptTokens: 5}
---
apiVersion: promptctl/v1
kind: SummarySetting
metadata:
  name: Voice wrap-up
spec:
  language: en-US
  prompt: |
    Summarise the call.
`,
    });
    const json = await run(dir, 'tokens', '--dir', 'prompts', '--format', 'json');
    const doc = JSON.parse(json.stdout) as { versions: unknown[]; guides: unknown[]; summarySettings: unknown[] };
    expect(doc.versions).toHaveLength(3);
    expect(doc.guides).toEqual([
      { address: 'Guide/Returns / exchanges', model: null, encoding: 'o200k_base', approximate: true, textTokens: count(instruction), maxPromptTokens: 5, contextWindow: null },
    ]);
    expect(doc.summarySettings).toEqual([
      { address: 'SummarySetting/Voice wrap-up', model: null, encoding: 'o200k_base', approximate: true, textTokens: count(prompt), maxPromptTokens: null, contextWindow: null },
    ]);
    // Over its budget: an error on stderr that says the count is approximate.
    expect(json.code).toBe(1);
    expect(json.stderr).toMatch(
      /^prompts\/guides\/returns\.yaml:6:16: error: instruction of \d+ tokens \(approximate: counted with o200k_base, as Genesys does not publish its tokenizer\) exceeds the budget of 5 \(budget\.maxPromptTokens\) \[tokens\/budget\]$/m,
    );

    const text = await run(dir, 'tokens', '--dir', 'prompts');
    const lines = text.stdout.trimEnd().split('\n');
    const at = lines.findIndex((l) => l.startsWith('AI STUDIO'));
    expect(at).toBeGreaterThan(5);
    expect(lines[at]).toMatch(/^AI STUDIO\s+MODEL\s+TEXT\s+LIMIT\s+USE$/);
    expect(lines[at + 1]).toMatch(new RegExp(`^Guide/Returns / exchanges\\s+\\(o200k_base\\)\\s+≈${count(instruction)}\\s+5\\s+\\d+\\.\\d%$`));
    expect(lines[at + 2]).toMatch(new RegExp(`^SummarySetting/Voice wrap-up\\s+\\(o200k_base\\)\\s+≈${count(prompt)}\\s+-\\s+-$`));
    expect(lines[at + 3]).toContain('≈ approximate: Genesys does not publish the tokenizers of AI Studio models; counted with o200k_base');
  });

  it('AI Studio texts: a guide whose model is unknown keeps its row, with why it is not counted', async () => {
    const guide = (name: string, model: string) => `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: ${name}
spec:
  instruction: Help with the return.
${model}`;
    const dir = await project({
      'prompts/guides/a.yaml': guide('Billing', ''),
      'prompts/guides/b.yaml': guide('Returns', '  model: gpt-9\n'),
    });
    const text = await run(dir, 'tokens', '--dir', 'prompts');
    expect(text.code).toBe(1); // tokens/unknown-model
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^Guide\/Billing\s+\(o200k_base\)\s+≈\d+\s+-\s+-$/);
    expect(lines[2]).toMatch(/^Guide\/Returns\s+gpt-9\s+-\s+-\s+-$/);
    expect(text.stdout).toContain('- not counted: Guide/Returns: its model "gpt-9" is unknown (prompts/guides/b.yaml:7:10)');
    expect(text.stderr).toContain('prompts/guides/b.yaml:7:10: error: unknown model "gpt-9"');

    const json = await run(dir, 'tokens', '--dir', 'prompts', '--format', 'json');
    const doc = JSON.parse(json.stdout) as { guides: { address: string }[]; guidesNotCounted: unknown[] };
    expect(doc.guides.map((g) => g.address)).toEqual(['Guide/Billing']);
    expect(doc.guidesNotCounted).toEqual([
      { address: 'Guide/Returns', model: 'gpt-9', reason: 'its model "gpt-9" is unknown', file: 'prompts/guides/b.yaml', line: 7, column: 10 },
    ]);
  });

  it('a 2 MB prompt far past the context window: the table, an error with the numbers, exit 1, no hang', async () => {
    const dir = await project({
      'prompts/t.yaml': `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: tpl
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: tpl
  version: "1.0.0"
  systemInstruction: {file: huge.md}
  userTemplate: "Hello"
  maxTokens: 1024
`,
      'prompts/huge.md': 'a'.repeat(1_000_000) + ' '.repeat(500_000) + 'lorem ipsum dolor '.repeat(30_000),
    });
    const r = await run(dir, 'tokens', '--dir', 'prompts', '--format', 'json');
    expect(r.code).toBe(1);
    const [v] = (JSON.parse(r.stdout) as { versions: { worstCasePromptTokens: number }[] }).versions;
    expect(v!.worstCasePromptTokens).toBeGreaterThan(128_000);
    expect(r.stderr).toMatch(
      /^prompts\/t\.yaml:\d+:\d+: error: worst-case prompt [\d,]+ tokens \+ maxTokens 1,024 exceeds gpt-4o's context window of 128,000 \[tokens\/context-window\]$/m,
    );
  });

  it('shows a context window exceeded by a few tokens above 100.0% in USE, never as exactly full', async () => {
    // Found by review: 90,011 + maxTokens 10,020 of a 100,000 window (31 tokens over) read "100.0%".
    const dir = await project({
      'prompts/promptctl.yaml': 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  models:\n    acme: {encoding: o200k_base, contextWindow: 100000}\n',
      'prompts/t.yaml': `apiVersion: promptctl/v1
kind: PromptTemplate
metadata: {name: tpl}
spec:
  model: acme
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: tpl
  version: "1.0.0"
  systemInstruction: "Hi."
  userTemplate: "{{doc}}"
  variables:
    - {name: doc, type: string, maxTokens: 90000}
  maxTokens: 10020
`,
    });
    const r = await run(dir, 'tokens', '--dir', 'prompts');
    expect(r.code).toBe(1);
    const needed = 90_000 + count('Hi.') + 2 * (3 + 1) + 3 + 10_020; // the bound, the text, 2 messages and their roles, priming, the reply
    expect(needed).toBeGreaterThan(100_000);
    const row = r.stdout.split('\n').find((l) => l.startsWith('tpl@1.0.0'));
    expect(row).toMatch(/ 100,000 +100\.1% /);
    expect(r.stderr).toMatch(/exceeds acme's context window of 100,000 \[tokens\/context-window\]/);
  });
});
