// Loads the one-file build (dist/bundle/promptctl.cjs) with the V8 code cache the build saved
// beside it. Compiling promptctl and its libraries is most of a small command's time, and Node 20
// has no compile cache of its own (module.enableCompileCache is Node 22). What V8 checks of a
// cache is not enough to trust it: its own version and flags, the source's LENGTH only, and in
// release builds no checksum (a damaged cache can crash the process or run wrong code). So the
// cache file names the build, the Node version and architecture it was made for and the sha256
// of V8's data; a cache that fails any of them, or that V8 rejects, costs only the compile.
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type * as Bundle from './bundle.js';

export const BUNDLE = fileURLToPath(new URL('../bundle/promptctl.cjs', import.meta.url));

/** A line at the bundle's end, `//# promptctl-build <id>`: which build a cache belongs to. */
const BUILD_MARK = '//# promptctl-build ';
/** A cache file: one line `promptctl-code-cache <build> <node version> <arch> <sha256 of data>`, then V8's data. */
const CACHE_HEADER = 'promptctl-code-cache ';

function headerFor(build: string, data: Buffer): string {
  return `${CACHE_HEADER}${build} ${process.version} ${process.arch} ${hash('sha256', data)}\n`;
}

export interface LoadedBundle {
  exports: typeof Bundle;
  /** Whether V8 took the saved cache: false when there was none, or it was another build's, Node's or machine's, damaged, or rejected by V8. */
  cacheUsed: boolean;
  /** A cache file for this build: V8's data for everything compiled so far, under the build id. */
  cacheFile(): Buffer;
}

export function loadBundle(file = BUNDLE, cache: 'use' | 'ignore' = 'use'): LoadedBundle {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new Error(`promptctl is not built: ${file} is missing (run npm run build)`);
  }
  const build = buildId(source);
  const cachedData = cache === 'use' && build ? savedCache(`${file}.cache`, build) : undefined;
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    // Only for a compile without the cache: Node gives a script taken from a cache no loader, so
    // scripts/bundle.mjs refuses a bundle with a dynamic import() in it.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as typeof Bundle };
  const init = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  init.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
    cacheFile: () => {
      if (!build) throw new Error(`${file} has no build id (${BUILD_MARK.trim()} …) to save a code cache under`);
      const data = script.createCachedData();
      return Buffer.concat([Buffer.from(headerFor(build, data)), data]);
    },
  };
}

function buildId(source: string): string | undefined {
  const at = source.lastIndexOf(BUILD_MARK);
  if (at < 0) return undefined;
  const end = source.indexOf('\n', at);
  return source.slice(at + BUILD_MARK.length, end < 0 ? undefined : end).trim() || undefined;
}

/** V8's data from the cache file when it was made for this build on this Node and is whole, else undefined. */
function savedCache(path: string, build: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined; // not built with a cache: compile
  }
  const eol = bytes.indexOf(10);
  if (eol < 0) return undefined;
  const data = bytes.subarray(eol + 1);
  return bytes.toString('latin1', 0, eol + 1) === headerFor(build, data) ? data : undefined;
}
