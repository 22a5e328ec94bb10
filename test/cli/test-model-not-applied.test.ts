// A template's model changed in git and not applied yet: the target answers a test's calls with
// its own model (a version that names none takes the template's), so the report says which model
// answered, as it says of a split not applied yet, instead of passing as if git's model had.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const PROMPTS = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: model-bot
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: model-bot
  version: "1.0.0"
  systemInstruction: "Answer."
  userTemplate: "Q: {{question}}"
  variables:
    - name: question
      type: string
      maxLength: 100
  maxTokens: 20
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: model-bot
  version: "1.1.0"
  systemInstruction: "Answer briefly."
  userTemplate: "Q: {{question}}"
  model: gpt-4o
  variables:
    - name: question
      type: string
      maxLength: 100
  maxTokens: 20
---
apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: model-check
spec:
  target: {template: model-bot, version: "1.0.0"}
  cases:
    - name: answers
      vars: {question: hi}
      expect:
        - maxOutputTokens: 20
`;

const NOTE = "git's model for model-bot (gpt-4o-mini) is not applied to the target yet: its calls were answered by the target's, gpt-4o";

describe('a template model changed in git, not applied yet', () => {
  it("is said on the test whose calls the target's model answered", async () => {
    dir = await promptsIn('promptctl-model-not-applied-', { 'all.yaml': PROMPTS }, 'prompts');
    const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path });
    expect(applied.code, applied.stderr).toBe(0);

    const before = await runCliInProcess(['test'], { cwd: dir.path });
    expect(before.code, before.stdout + before.stderr).toBe(0);
    expect(before.stdout).not.toContain('is not applied to the target yet');

    const file = join(dir.path, 'prompts', 'all.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('spec:\n  model: gpt-4o\n', 'spec:\n  model: gpt-4o-mini\n'));

    const text = await runCliInProcess(['test'], { cwd: dir.path });
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toContain(`note: ${NOTE}`);

    const json = await runCliInProcess(['test', '--format', 'json'], { cwd: dir.path });
    const report = JSON.parse(json.stdout) as { tests: Array<{ notes: string[]; runs: Array<{ observation: { model?: string } }> }> };
    expect(report.tests[0]!.notes).toContain(NOTE);
    expect(report.tests[0]!.runs[0]!.observation.model).toBe('gpt-4o');

    // 1.1.0 names its own model: the template's does not answer for it.
    const compared = await runCliInProcess(['test', '--compare', '1.0.0,1.1.0'], { cwd: dir.path });
    expect(compared.stdout).toContain("note: git's model for model-bot (gpt-4o-mini) is not applied to the target yet: the calls on 1.0.0 were answered by the target's, gpt-4o");
  });
});
