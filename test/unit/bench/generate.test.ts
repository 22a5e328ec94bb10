// The bench's prompt-set generator: sets larger than the open-file limit are written whole.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const GENERATE = join(import.meta.dirname, '../../../bench/generate.mjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('generatePromptSet', () => {
  it('writes more templates than the process may have files open (every file was opened at once: EMFILE at 20,000 under a limit of 20,000)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-generate-'));
    dirs.push(dir);
    const script = `import(${JSON.stringify(GENERATE)}).then((m) => m.generatePromptSet(process.argv[1], { templates: 600 }))`;
    // A soft limit of 256 open files, in a shell of its own.
    const r = spawnSync('sh', ['-c', 'ulimit -n 256 && exec "$0" -e "$1" "$2"', process.execPath, script, dir], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EMFILE/);
    expect(r.status).toBe(0);
    expect(readdirSync(join(dir, 'templates'))).toHaveLength(600);
  });
});
