// tokens/any-script end to end: a gpt-4 version (maxTokens 4,000) with a string variable of
// maxLength 2,000 passed validate, its worst case counted at one token a character, and 2,000 ×
// "𓀀" (2,000 characters, 4 tokens each) was then refused at call time, 400
// context.length.exceeded (a review). validate now warns at that maxLength, tokens' JSON carries the
// figure, and the call that proves it is still refused as before. The example prompts stay clear.
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { cookbookChat } from '../helpers/cookbook-tokens.js';
import { promptsIn, tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const DIGEST = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: digest
spec:
  model: gpt-4
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: digest
  version: "1.0.0"
  systemInstruction: Summarise the note.
  userTemplate: "{{note}}"
  variables:
    - name: note
      type: string
      maxLength: 2000
  maxTokens: 4000
`;

describe('a maxLength that 4 tokens a character takes past the context window', () => {
  it('is a warning at validate, a figure in tokens --format json, and is what a call of "𓀀" sends', async () => {
    dir = await promptsIn('promptctl-any-script-', { 'digest.yaml': DIGEST }, 'prompts');
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });

    const validate = await cli(['validate']);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    // What a real gpt-4 bills for 2,000 × "𓀀" (OpenAI's cookbook on js-tiktoken): 4 tokens each.
    const any = 2000 * 4 + cookbookChat('Summarise the note.', '', 'cl100k_base');
    const shown = any.toLocaleString('en-US');
    expect(validate.stdout + validate.stderr).toContain(
      `prompts/digest.yaml:18:18: warning: "note" (maxLength 2,000) at 4 tokens a character, as characters from U+10000 up (such as "𓀀") may take, makes the worst-case prompt ${shown} tokens, with maxTokens 4,000 above gpt-4's context window of 8,192: ` +
        'the gateway checks maxLength in characters, so it lets such a value through; a maxTokens on the variable bounds it in tokens [tokens/any-script]',
    );

    const tokens = await cli(['tokens', '--format', 'json']);
    const version = JSON.parse(tokens.stdout).versions[0];
    // DESIGN §4's worst case, one token a character, is left as it is.
    expect(version).toMatchObject({ worstCasePromptTokens: any - 3 * 2000, anyScriptWorstCasePromptTokens: any });
    expect(version.worstCasePromptTokens + 4000).toBeLessThanOrEqual(8192);

    // The call it warns of: the gateway takes the 2,000 characters, the model refuses them all.
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const run = await cli(['run', 'digest@1.0.0', '--var', `note=${'𓀀'.repeat(2000)}`, '--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('context.length.exceeded');
    expect(run.stdout + run.stderr).toContain(`The prompt is ${any} tokens`);
  });

  it('says nothing of the example prompts, whose figures stay within their budgets', async () => {
    dir = await tempDir('promptctl-any-script-examples-');
    copyExamplePrompts(dir.path);
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
    const validate = await cli(['validate', '--format', 'json']);
    expect(validate.stdout).not.toContain('tokens/any-script');
    const versions = JSON.parse((await cli(['tokens', '--format', 'json'])).stdout).versions as { address: string; anyScriptWorstCasePromptTokens?: number }[];
    // billing-assistant's customerName (maxLength 80) carries a figure, far within its 6,000.
    const billing = versions.filter((v) => v.address.startsWith('PromptVersion/billing-assistant@'));
    expect(billing.length).toBeGreaterThan(0);
    for (const v of billing) expect(v.anyScriptWorstCasePromptTokens).toBeLessThan(6000);
  });
});
