// `promptctl tokens` on what a review found its numbers assumed without saying: an enum bounded by
// its maxLength in characters (undercounting its values' tokens), a version without maxTokens
// costed at more output than its context window leaves, a dated snapshot priced as its family, and
// another vendor's model declared under models: shown as an exact count. In-process, on a temp
// prompts directory; counts from js-tiktoken itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const o200k = getEncoding('o200k_base');
const cl100k = getEncoding('cl100k_base');

const FILES: Record<string, string> = {
  'promptctl.yaml': `apiVersion: promptctl/v1
kind: Config
spec:
  models:
    claude-house: {encoding: cl100k_base, contextWindow: 200000, inputCostPer1M: 3, outputCostPer1M: 15, maxOutputTokens: 8000}
    acme-llm: {encoding: o200k_base, contextWindow: 32000, approximate: true}
`,
  'prompts.yaml': `apiVersion: promptctl/v1
kind: PromptTemplate
metadata: {name: moods}
spec:
  model: gpt-4o
  budget: {maxPromptTokens: 15}
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: moods
  version: "1.0.0"
  systemInstruction: ""
  userTemplate: "{{mood}}"
  variables:
    - {name: mood, type: enum, values: ["🧿🧿🧿", ok], maxLength: 3}
  maxTokens: 1
---
apiVersion: promptctl/v1
kind: PromptTemplate
metadata: {name: digest}
spec:
  model: gpt-4
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: digest
  version: "1.0.0"
  systemInstruction: Summarise the document.
  userTemplate: "{{doc}}"
  variables:
    - {name: doc, type: string, maxTokens: 6000}
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: digest
  version: "1.1.0"
  model: gpt-4o-2024-05-13
  systemInstruction: Summarise the document.
  userTemplate: "{{doc}}"
  variables:
    - {name: doc, type: string, maxTokens: 6000}
  maxTokens: 300
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: digest
  version: "1.2.0"
  model: gpt-4o-2024-05-13
  systemInstruction: Summarise the document.
  userTemplate: "{{doc}}"
  variables:
    - {name: doc, type: string, maxTokens: 6000}
  maxTokens: 200
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: digest
  version: "1.3.0"
  model: claude-house
  systemInstruction: Summarise the document.
  userTemplate: "{{doc}}"
  variables:
    - {name: doc, type: string, maxTokens: 6000}
  maxTokens: 300
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: digest
  version: "1.4.0"
  model: acme-llm
  systemInstruction: Summarise the document.
  userTemplate: "{{doc}}"
  variables:
    - {name: doc, type: string, maxTokens: 6000}
  maxTokens: 300
`,
};

describe('promptctl tokens: what its numbers assume', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await tempDir('promptctl-tokens-assume-');
    await mkdir(join(dir.path, 'prompts'));
    for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir.path, 'prompts', name), text);
  });
  afterAll(() => dir.remove());
  const tokens = (...args: string[]) => runCliInProcess(['tokens', '--dir', 'prompts', ...args], { cwd: dir.path });

  it('says it in the JSON', async () => {
    const r = await tokens('--format', 'json');
    const doc = JSON.parse(r.stdout) as { versions: Record<string, unknown>[] };
    const at = (address: string) => doc.versions.find((v) => v.address === `PromptVersion/${address}`)!;
    // The enum's longest value in tokens, as a call sends it: over the budget of 15, an error.
    const emoji = o200k.encode('🧿🧿🧿', [], []).length;
    // The chat framing, as OpenAI's cookbook counts it: 3 a message and its role, 3 priming the reply.
    const framing = (enc: typeof o200k) => 3 + ['system', 'user'].reduce((n, role) => n + 3 + enc.encode(role, [], []).length, 0);
    expect(framing(o200k)).toBe(11);
    expect(at('moods@1.0.0').worstCasePromptTokens).toBe(framing(o200k) + emoji);
    expect(r.stderr).toContain('[tokens/budget]');
    // gpt-4's window holds prompt and answer: the cost assumes what is left of its 8,192 tokens.
    const digest = at('digest@1.0.0');
    const worst = digest.worstCasePromptTokens as number;
    expect(worst).toBe(6_000 + cl100k.encode('Summarise the document.', [], []).length + framing(cl100k));
    expect(digest).toMatchObject({ assumedOutputTokens: 8_192 - worst, assumedOutputFrom: 'contextWindow', costPer1kCalls: Math.round((worst * 30 + (8_192 - worst) * 60) / 1e3 * 1e4) / 1e4 });
    expect(digest.pricedAs).toBeUndefined();
    expect(at('digest@1.1.0')).toMatchObject({ model: 'gpt-4o-2024-05-13', pricedAs: 'gpt-4o', approximate: false });
    expect(at('digest@1.3.0')).toMatchObject({ model: 'claude-house', approximate: true });
    expect(at('digest@1.4.0')).toMatchObject({ model: 'acme-llm', approximate: true });
  });

  it('says it under the table', async () => {
    const r = await tokens();
    const lines = r.stdout.split('\n');
    const row = (version: string) => lines.find((l) => l.startsWith(version))!;
    expect(row('digest@1.3.0')).toContain('≈');
    expect(row('digest@1.4.0')).toContain('≈');
    expect(row('digest@1.1.0')).not.toContain('≈');
    expect(r.stdout).toContain('counted claude-house with cl100k_base, acme-llm with o200k_base');
    expect(lines.filter((l) => l.startsWith('gpt-4o-2024-05-13:'))).toEqual([
      'gpt-4o-2024-05-13: counted and priced as gpt-4o, its family; declare it under models: in promptctl.yaml if its price, window or output limit differ',
    ]);
    expect(r.stdout).toMatch(/MAX OUT - : no maxTokens; the cost assumes what the context window leaves after the worst-case prompt, less than the model's maximum output \(digest@1\.0\.0: 2,\d{3} of gpt-4's 8,192\)/);
  });
});
