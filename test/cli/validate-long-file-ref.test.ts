// A `{file: ...}` reference of 100,000 characters (no file system takes a path past 4,096) was
// repeated whole in its diagnostic: one line of 100 KB, in the terminal and in a GitHub annotation.
// The message now cuts it, says how long it was, and is still at the reference's line and column.
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('a very long {file: ...} reference', () => {
  it('is named cut short, at its place, on a line of reasonable length', async () => {
    const ref = `${'a'.repeat(100_000)}.md`;
    dir = await promptsIn('promptctl-long-file-ref-', {
      'v.yaml': `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: billing\nspec:\n  model: gpt-4o\n---\napiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: billing\n  version: "1.0.0"\n  systemInstruction: {file: ${ref}}\n  userTemplate: hi\n`,
    }, 'prompts');
    for (const format of ['text', 'github']) {
      const r = await runCliInProcess(['validate', '--format', format], { cwd: dir.path });
      expect(r.code).toBe(1);
      const lines = r.stdout.split('\n').filter((l) => l.includes('file-ref/missing'));
      expect(lines).toHaveLength(1);
      expect(lines[0]!.length).toBeLessThan(500);
      expect(lines[0]).toContain(`"${'a'.repeat(200)}… (100003 characters)" not found in the prompts directory`);
      if (format === 'text') expect(lines[0]).toMatch(/^prompts\/v\.yaml:13:29: error: /);
    }
  });
});
