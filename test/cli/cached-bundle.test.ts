// The one-file build and its code cache (src/cli/cached-bundle.ts, scripts/bundle.mjs): the cache
// the build saved is used; none, a cache made for another build of the same length, for another
// Node, or a damaged one is not, and the bundle still runs; a cache saved from a warmed bundle is
// taken by the next process.
// Each load runs in a fresh Node process with no extra V8 flags, as the binary does.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, REPO } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const BUNDLE = join(REPO, 'dist/bundle/promptctl.cjs');
const LOADER = join(REPO, 'dist/cli/cached-bundle.js');

/** Loads `file` in a new process; what it reports, and `--version` run through the loaded bundle. */
function load(file: string, save?: string): { cacheUsed: boolean; version: string } {
  const script = `
    import { loadBundle } from ${JSON.stringify(LOADER)};
    import { writeFileSync } from 'node:fs';
    import { Writable, Readable } from 'node:stream';
    const b = loadBundle(${JSON.stringify(file)});
    let out = '';
    const stdout = new Writable({ write(c, _e, done) { out += c; done(); } });
    const code = await b.exports.run(['--version'], { stdout, stderr: stdout, stdin: Readable.from([]), env: {}, cwd: process.cwd() });
    ${save ? `writeFileSync(${JSON.stringify(save)}, b.cacheFile());` : ''}
    process.stdout.write(JSON.stringify({ cacheUsed: b.cacheUsed, version: code === 0 ? out.trim() : 'exit ' + code }));
  `;
  // No NODE_OPTIONS: V8 flags from there would make V8 reject any cache, as in the binary.
  const text = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: cleanEnv({ NODE_OPTIONS: undefined }), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(text) as { cacheUsed: boolean; version: string };
}

const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

/** A copy of the build laid out as the package is (the bundle finds package.json at ../../). */
function copyOfBuild(into: string, edit: (source: string) => string = (s) => s): string {
  mkdirSync(join(into, 'dist/bundle'), { recursive: true });
  copyFileSync(join(REPO, 'package.json'), join(into, 'package.json'));
  const file = join(into, 'dist/bundle/promptctl.cjs');
  writeFileSync(file, edit(readFileSync(BUNDLE, 'utf8')));
  return file;
}

describe('the one-file build and its code cache', () => {
  it('uses the cache the build saved', () => {
    expect(load(BUNDLE)).toEqual({ cacheUsed: true, version });
  });

  it('runs without a cache, and never takes one made for another build (same length, other build id)', async () => {
    dir = await tempDir();
    const none = copyOfBuild(join(dir.path, 'none'));
    expect(load(none)).toEqual({ cacheUsed: false, version });

    // V8 itself would take it: it compares the source's length, not its text.
    const other = copyOfBuild(join(dir.path, 'other'), (s) => s.replace(/(\/\/# promptctl-build [0-9a-f-]+)[0-9a-f]/, (_m, head: string) => `${head}x`));
    expect(readFileSync(other, 'utf8').length).toBe(readFileSync(BUNDLE, 'utf8').length);
    copyFileSync(`${BUNDLE}.cache`, `${other}.cache`);
    expect(load(other)).toEqual({ cacheUsed: false, version });
  });

  it('never takes a damaged cache (V8 itself does not checksum one), nor one made on another Node', async () => {
    dir = await tempDir();
    const damaged = copyOfBuild(join(dir.path, 'damaged'));
    const bytes = readFileSync(`${BUNDLE}.cache`);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1000]! ^= 0x55;
    writeFileSync(`${damaged}.cache`, flipped);
    expect(load(damaged)).toEqual({ cacheUsed: false, version });

    const otherNode = copyOfBuild(join(dir.path, 'other-node'));
    const header = bytes.subarray(0, bytes.indexOf(10)).toString('latin1');
    expect(header).toContain(` ${process.version} ${process.arch} `);
    writeFileSync(`${otherNode}.cache`, Buffer.concat([Buffer.from(header.replace(process.version, 'v0.0.0')), bytes.subarray(bytes.indexOf(10))]));
    expect(load(otherNode)).toEqual({ cacheUsed: false, version });
  });

  it('saves a cache that the next process takes', async () => {
    dir = await tempDir();
    const file = copyOfBuild(dir.path);
    expect(load(file, `${file}.cache`)).toEqual({ cacheUsed: false, version });
    expect(readFileSync(`${file}.cache`).subarray(0, 21).toString()).toBe('promptctl-code-cache ');
    expect(load(file)).toEqual({ cacheUsed: true, version });
  });

  it('says how to build when the bundle is missing', async () => {
    dir = await tempDir();
    expect(() => load(join(dir!.path, 'dist/bundle/promptctl.cjs'))).toThrow(/promptctl is not built: .*promptctl\.cjs is missing \(run npm run build\)/);
  });

  // A clone never built (`npm ci --ignore-scripts`), or a build that failed after emptying dist/:
  // the binary itself has nothing to load, not even the loader.
  it('the binary says how to build when dist/ is missing altogether, without a stack trace', async () => {
    dir = await tempDir();
    mkdirSync(join(dir.path, 'bin'));
    copyFileSync(join(REPO, 'bin/promptctl.js'), join(dir.path, 'bin/promptctl.js'));
    copyFileSync(join(REPO, 'package.json'), join(dir.path, 'package.json'));
    const r = spawnSync(process.execPath, [join(dir.path, 'bin/promptctl.js'), 'plan'], { env: cleanEnv({ NODE_OPTIONS: undefined }), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: promptctl is not built: .*dist\/cli\/cached-bundle\.js is missing \(run npm run build\)\n$/);
  });

  it("reads yaml's exports once, not through esbuild's getters on every call (scripts/bundle.mjs yaml-exports-once)", () => {
    const text = readFileSync(BUNDLE, 'utf8');
    // promptctl's imports of yaml name the module that reads them once; yaml's own code is still bundled.
    expect(text).toContain('"yaml-once:yaml"');
    expect(text).toMatch(/\{[^{}]*\bisMap\b[^{}]*\bparseAllDocuments\b[^{}]*\}=yaml\b/);
  });
});
