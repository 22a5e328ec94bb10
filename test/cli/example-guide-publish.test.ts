// The example prompts/ as shipped: its guide leaves `publish` out, so each environment's
// guidePublish applies (staging tests in TestReady). It used to set `publish: ProductionReady`
// ("the default"), which wins over guidePublish: staging published straight to production.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe("the example guide in each of the example's environments", () => {
  it("is published as the environment's guidePublish says: TestReady in staging, ProductionReady elsewhere", { timeout: 60_000 }, async () => {
    dir = await tempDir('promptctl-example-guide-');
    await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    const plan = async (...args: string[]) => {
      const r = await runCliInProcess(['plan', '--no-color', ...args], { cwd: dir!.path, env: {} });
      expect(r.code, r.stderr).toBe(0);
      return /\+ create Guide\/Returns assistant\n\s+creates the guide .* and publishes it to (\w+)/.exec(r.stdout)?.[1];
    };
    expect(await plan('--env', 'staging')).toBe('TestReady');
    expect(await plan('--env', 'dev')).toBe('ProductionReady');
    expect(await plan()).toBe('ProductionReady');
  });
});

describe('a markdown plan of the example guide alone', () => {
  it('counts the kinds it has, with no all-zero rows for kinds the repository does not use', { timeout: 60_000 }, async () => {
    dir = await tempDir('promptctl-guide-only-');
    await cp(join(REPO, 'prompts/guides'), join(dir.path, 'prompts/guides'), { recursive: true });
    const r = await runCliInProcess(['plan', '--format', 'markdown'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\| \w+ \| \d/.test(l));
    expect(rows).toEqual(['| Guide | 1 | 0 | 0 | 0 |']);
  });
});
