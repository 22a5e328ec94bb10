// V8 code caches for promptctl's own scripts: the one-file build (cli/cached-bundle.ts) and the
// build's precompiled schema validators (precompiled.ts), which stay files of their own beside it.
// Node 20 has no compile cache (module.enableCompileCache is Node 22), and what V8 checks of a
// cache is not enough to trust it: its own version and flags and the source's LENGTH, and in
// release builds no checksum (a damaged cache can crash the process or run wrong code). So a cache
// file names what it was made for (a build id, the Node version, the architecture) and carries
// the sha256 of V8's data; a cache that fails any of them, or that V8 rejects, costs a compile.
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/** A cache file: one line `promptctl-code-cache <build> <node version> <arch> <sha256 of data>`, then V8's data. */
const CACHE_HEADER = 'promptctl-code-cache ';

function headerFor(build: string, data: Buffer): string {
  return `${CACHE_HEADER}${build} ${process.version} ${process.arch} ${hash('sha256', data)}\n`;
}

/** A cache file for `build`: V8's data under its header. */
export function cacheFileFor(build: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(headerFor(build, data)), data]);
}

/** V8's data from the cache file when it was made for `build` on this Node and is whole, else undefined. */
export function savedCache(path: string, build: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined; // no cache: compile
  }
  const eol = bytes.indexOf(10);
  if (eol < 0) return undefined;
  const data = bytes.subarray(eol + 1);
  return bytes.toString('latin1', 0, eol + 1) === headerFor(build, data) ? data : undefined;
}

/** A CommonJS file compiled and run, with its saved cache when one fits. */
export interface CachedScript {
  exports: unknown;
  /** Whether V8 took the saved cache. */
  cacheUsed: boolean;
  /** V8's data for everything of the file compiled so far, as a cache file. */
  cacheFile(): Buffer;
}

/**
 * Runs a CommonJS file as Node's loader would (its own require, module and exports), compiled with
 * the cache saved beside it (`<file>.cache`) when that was made for this very source: the build id
 * is the source's sha256, so an edited or rebuilt file never takes an old cache.
 */
export function runCommonJs(file: string): CachedScript {
  const source = readFileSync(file, 'utf8');
  const build = hash('sha256', source);
  const cachedData = savedCache(`${file}.cache`, build);
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  const init = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  init.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
    cacheFile: () => cacheFileFor(build, script.createCachedData()),
  };
}
