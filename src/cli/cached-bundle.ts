// Loads the one-file build (dist/bundle/promptctl.cjs) with the V8 code cache the build saved
// beside it. Compiling promptctl and its libraries is most of a small command's time, and Node 20
// has no compile cache of its own (module.enableCompileCache is Node 22). V8 checks the cache's
// V8 version and flags itself and only the length of the source, so the cache also names the
// build it was made for: a cache from another build, or one V8 rejects, costs only the compile.
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type * as Bundle from './bundle.js';

export const BUNDLE = fileURLToPath(new URL('../bundle/promptctl.cjs', import.meta.url));

/** A line at the bundle's end, `//# promptctl-build <id>`: which build a cache belongs to. */
const BUILD_MARK = '//# promptctl-build ';
/** A cache file: this line, the build id and a newline, then V8's data. */
const CACHE_HEADER = 'promptctl-code-cache ';

export interface LoadedBundle {
  exports: typeof Bundle;
  /** Whether V8 took the saved cache (false when there was none, or it was another build's). */
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
      return Buffer.concat([Buffer.from(`${CACHE_HEADER}${build}\n`), script.createCachedData()]);
    },
  };
}

function buildId(source: string): string | undefined {
  const at = source.lastIndexOf(BUILD_MARK);
  if (at < 0) return undefined;
  const end = source.indexOf('\n', at);
  return source.slice(at + BUILD_MARK.length, end < 0 ? undefined : end).trim() || undefined;
}

/** V8's data from the cache file when it was made for this build, else undefined. */
function savedCache(path: string, build: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined; // not built with a cache: compile
  }
  const header = `${CACHE_HEADER}${build}\n`;
  if (bytes.length <= header.length || bytes.toString('latin1', 0, header.length) !== header) return undefined;
  return bytes.subarray(header.length);
}
