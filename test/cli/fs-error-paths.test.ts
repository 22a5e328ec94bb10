// A file-system error names its path as the user can find it: relative under the working
// directory, and as it is elsewhere (it read "../../../proc/x" for /proc/x).
import { existsSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCliInProcess } from '../helpers/cli.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const dirs: TempDir[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await d.remove();
});

describe('file-system errors', () => {
  // /proc takes no new directory, even from root (a read-only directory does not stop root).
  it.runIf(existsSync('/proc/self'))('name a path outside the working directory as it is, and one under it relative', async () => {
    const project = await tempDir();
    dirs.push(project);
    copyExamplePrompts(project.path);
    const outside = await runCliInProcess(['export', '--out', '/proc/promptctl-x'], { cwd: project.path, env: cleanEnv() });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/^error: cannot mkdir \/proc\/promptctl-x: E[A-Z]+ /m);
    await symlink('/proc', join(project.path, 'proc-link'));
    const inside = await runCliInProcess(['export', '--out', 'proc-link/promptctl-x'], { cwd: project.path, env: cleanEnv() });
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/^error: cannot mkdir proc-link\/promptctl-x: E[A-Z]+ /m);
  });
});
