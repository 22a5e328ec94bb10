// The precompiled schema validators' code caches (src/util/code-cache.ts runCommonJs, saved by
// scripts/code-cache.mjs): the build saves one beside each generated module its warm-up ran, the
// next process takes it, and one made for another source (same length), another Node, or damaged
// is not taken while the module still runs. Each load is a fresh Node process with no V8 flags.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, REPO } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const LOADER = join(REPO, 'dist/util/code-cache.js');
const GENERATED = ['dist/schema/documents.compiled.cjs', 'dist/schema/plan.compiled.cjs', 'dist/targets/answers.compiled.cjs', 'dist/emulator/wire.compiled.cjs'].map((f) => join(REPO, f));

/** Runs `file` in a new process: whether the cache was taken, and what the module exports (names). */
function run(file: string, save?: string): { cacheUsed: boolean; exports: string[] } {
  const script = `
    import { runCommonJs } from ${JSON.stringify(LOADER)};
    import { writeFileSync } from 'node:fs';
    const s = runCommonJs(${JSON.stringify(file)});
    ${save ? `writeFileSync(${JSON.stringify(save)}, s.cacheFile());` : ''}
    process.stdout.write(JSON.stringify({ cacheUsed: s.cacheUsed, exports: Object.keys(s.exports).sort() }));
  `;
  const text = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: cleanEnv({ NODE_OPTIONS: undefined }), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(text) as { cacheUsed: boolean; exports: string[] };
}

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('code caches of the precompiled schema validators', () => {
  it('the build saved one beside each generated module its warm-up ran, and the next process takes it', () => {
    for (const file of GENERATED) {
      expect(existsSync(`${file}.cache`), file).toBe(true);
      const r = run(file);
      expect(r.cacheUsed, file).toBe(true);
      expect(r.exports).toContain('sourceHash');
    }
  });

  it('takes no cache made for another source of the same length, nor for another Node, nor a damaged one; the module runs all the same', async () => {
    dir = await tempDir();
    const source = readFileSync(GENERATED[2]!, 'utf8');
    const cache = readFileSync(`${GENERATED[2]!}.cache`);
    const expected = run(GENERATED[2]!).exports;

    // V8 would take it: it compares the source's length, not its text.
    const other = join(dir.path, 'other.cjs');
    writeFileSync(other, source.replace(/exports\.sourceHash = "([0-9a-f])/, (_m, c: string) => `exports.sourceHash = "${c === '0' ? '1' : '0'}`));
    expect(readFileSync(other, 'utf8').length).toBe(source.length);
    writeFileSync(`${other}.cache`, cache);
    expect(run(other)).toEqual({ cacheUsed: false, exports: expected });

    const damaged = join(dir.path, 'damaged.cjs');
    copyFileSync(GENERATED[2]!, damaged);
    const flipped = Buffer.from(cache);
    flipped[flipped.length - 1000]! ^= 0x55;
    writeFileSync(`${damaged}.cache`, flipped);
    expect(run(damaged)).toEqual({ cacheUsed: false, exports: expected });

    const otherNode = join(dir.path, 'other-node.cjs');
    copyFileSync(GENERATED[2]!, otherNode);
    const header = cache.subarray(0, cache.indexOf(10)).toString('latin1');
    expect(header).toContain(` ${process.version} ${process.arch} `);
    writeFileSync(`${otherNode}.cache`, Buffer.concat([Buffer.from(header.replace(process.version, 'v0.0.0')), cache.subarray(cache.indexOf(10))]));
    expect(run(otherNode)).toEqual({ cacheUsed: false, exports: expected });
  });

  it('saves a cache that the next process takes', async () => {
    dir = await tempDir();
    const file = join(dir.path, 'module.cjs');
    writeFileSync(file, 'exports.answer = function answer(x) { return x * 2; };\nexports.sourceHash = "abc";\n');
    expect(run(file, `${file}.cache`)).toEqual({ cacheUsed: false, exports: ['answer', 'sourceHash'] });
    expect(readFileSync(`${file}.cache`).subarray(0, 21).toString()).toBe('promptctl-code-cache ');
    expect(run(file)).toEqual({ cacheUsed: true, exports: ['answer', 'sourceHash'] });
  });
});
