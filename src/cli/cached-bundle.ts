// Loads the one-file build (dist/bundle/promptctl.cjs) with the V8 code cache the build saved
// beside it (util/code-cache.ts: what a cache file names, and why). Compiling promptctl and its
// libraries is most of a small command's time. The bundle's build id is a mark at its end, not
// its hash: reading it costs nothing, where hashing the bundle would cost a millisecond a run.
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type * as Bundle from './bundle.js';
import { cacheFileFor, savedCache } from '../util/code-cache.js';

export const BUNDLE = fileURLToPath(new URL('../bundle/promptctl.cjs', import.meta.url));

/** A line at the bundle's end, `//# promptctl-build <id>`: which build a cache belongs to. */
const BUILD_MARK = '//# promptctl-build ';
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
      return cacheFileFor(build, script.createCachedData());
    },
  };
}

function buildId(source: string): string | undefined {
  const at = source.lastIndexOf(BUILD_MARK);
  if (at < 0) return undefined;
  const end = source.indexOf('\n', at);
  return source.slice(at + BUILD_MARK.length, end < 0 ? undefined : end).trim() || undefined;
}
