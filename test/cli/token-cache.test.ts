// validate and plan share the token counts cached by content hash in .promptctl/cache/ (not
// only `tokens`): they write the counts they make, and they read what is there (shown here with
// a planted count, which only a cache lookup can produce). Each run is in-process with a fresh
// context: the counts carried between runs are only those on disk.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN_CACHE_FILE } from '../../src/tokens/cache-file.js';
import { memoKey } from '../../src/tokens/count.js';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const SYSTEM = 'You answer billing questions briefly and cite the policy section.\n';
const PROMPTS = [
  'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: cached\nspec:\n  model: gpt-4o\n',
  `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: cached\n  version: "1.0.0"\n  systemInstruction: |\n    ${SYSTEM}  userTemplate: "{{q}}"\n  variables:\n    - {name: q, type: string, maxLength: 100}\n`,
  'apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: cached\n  routes:\n    - {version: "1.0.0", weight: 100}\n',
].join('---\n');

const cacheFile = (root: string) => join(root, '.promptctl', 'cache', TOKEN_CACHE_FILE);

describe('token count cache', () => {
  it('validate writes the counts it made, keyed by content hash', async () => {
    dir = await tempDir('promptctl-token-cache-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts', 'p.yaml'), PROMPTS);
    const r = await runCliInProcess(['validate'], { cwd: dir.path });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const cache = JSON.parse(await readFile(cacheFile(dir.path), 'utf8')) as { counts: Record<string, number> };
    expect(cache.counts[memoKey(SYSTEM, 'o200k_base')]).toBeGreaterThan(5);
  });

  it('validate and plan read the cache: a planted count is what they check the budget with', async () => {
    dir = await tempDir('promptctl-token-cache-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts', 'p.yaml'), PROMPTS);
    await mkdir(join(dir.path, '.promptctl', 'cache'), { recursive: true });
    const planted = { format: 1, counter: 'tiktoken-encode-ordinary/1', counts: { [memoKey(SYSTEM, 'o200k_base')]: 500_000 } };
    await writeFile(cacheFile(dir.path), JSON.stringify(planted));

    const validate = await runCliInProcess(['validate'], { cwd: dir.path });
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(/worst-case prompt 50\d,\d{3} tokens exceeds gpt-4o's context window/);
    const plan = await runCliInProcess(['plan'], { cwd: dir.path });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/worst-case prompt 50\d,\d{3} tokens exceeds gpt-4o's context window/);
  });

  it('says so, once, when the cache file is damaged or not its own, and still counts and replaces it', async () => {
    dir = await tempDir('promptctl-token-cache-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts', 'p.yaml'), PROMPTS);
    await mkdir(join(dir.path, '.promptctl', 'cache'), { recursive: true });
    const cases: [string, RegExp][] = [
      ['{"format": 1, "counter": "tiktoken-encode-ordinary/1", "coun', /damaged: not JSON/],
      ['["another tool\'s file"]', /not a token count cache/],
      [JSON.stringify({ format: 1, counter: 'tiktoken-encode-ordinary/0', counts: {} }), /written by another version of promptctl/],
    ];
    for (const [content, why] of cases) {
      await writeFile(cacheFile(dir.path), content);
      const r = await runCliInProcess(['tokens', '--format', 'json'], { cwd: dir.path });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toHaveProperty('versions'); // stdout stays the document alone
      const notes = r.stderr.split('\n').filter((l) => l.includes('token count cache'));
      expect(notes, content).toHaveLength(1);
      expect(notes[0]).toContain('.promptctl/cache/token-counts.json');
      expect(notes[0]).toMatch(why);
      // Replaced by a good one: the next run says nothing.
      const again = await runCliInProcess(['tokens'], { cwd: dir.path });
      expect(again.stderr).not.toContain('token count cache');
    }
    // An absent cache is no news.
    await rm(cacheFile(dir.path));
    expect((await runCliInProcess(['validate'], { cwd: dir.path })).stderr + '').not.toContain('token count cache');
  });
});
