// A version label that is a semantic version but longer than 64 characters was called "not a
// semantic version MAJOR.MINOR.PATCH[-prerelease]", which sent the user looking for a typo: it is
// said to be too long, in a PromptVersion and in a TrafficSplit's route alike (both allow 64).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { checkVersionLabel } from '../../src/util/semver.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const long = `1.0.0-${'a'.repeat(59)}`; // 65 characters

describe('a version label longer than 64 characters', () => {
  it('is said to be too long, not to be no semantic version', () => {
    expect(checkVersionLabel(long, undefined)).toEqual({ rule: 'version/not-semver', message: `version "${long.slice(0, 40)}…" is too long: 65 characters (at most 64)` });
    expect(checkVersionLabel(long.slice(0, 64), undefined)).toBeUndefined();
  });

  it('is said so by validate in a version and in a split route alike', { timeout: 60_000 }, async () => {
    dir = await tempDir('promptctl-version-too-long-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(
      join(dir.path, 'prompts', 'kb.yaml'),
      [
        'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: kb-assistant}\nspec: {model: gpt-4o}',
        `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: kb-assistant\n  version: "${long}"\n  systemInstruction: Be brief.\n  userTemplate: Hello`,
        `apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: kb-assistant\n  routes: [{version: "${long}", weight: 100}]\n`,
      ].join('\n---\n'),
    );
    const r = await runCliInProcess(['validate'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.includes('error:'));
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e).toMatch(/version "1\.0\.0-a+…" is too long: 65 characters \(at most 64\) \[version\/not-semver\]$/);
  });
});
