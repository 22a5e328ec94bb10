// Temporary working directories for tests, removed afterwards, and copies of the fixture sets.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const FIXTURES = resolve(import.meta.dirname, 'fixtures');

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

export async function tempDir(prefix = 'promptctl-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A temp dir holding a copy of test/helpers/fixtures/<name> (e.g. "basic" → <tmp>/prompts/...). */
export async function fixtureCopy(name: string): Promise<TempDir> {
  const dir = await tempDir(`promptctl-${name}-`);
  await cp(join(FIXTURES, name), dir.path, { recursive: true });
  return dir;
}

/** A temp dir holding the prompts directory `dir` with these files (name → text): a CLI test's project. */
export async function promptsIn(prefix: string, files: Readonly<Record<string, string>>, dir = 'p'): Promise<TempDir> {
  const t = await tempDir(prefix);
  await mkdir(join(t.path, dir), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(t.path, dir, name), text);
  return t;
}
