#!/usr/bin/env node
// promptctl: the one-file build, started with the code cache the build saved for it
// (src/cli/cached-bundle.ts; `node dist/cli/bin.js` runs the same, module by module).
import { loadBundle } from '../dist/cli/cached-bundle.js';

let bundle;
try {
  bundle = loadBundle();
} catch (err) {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
bundle.exports.runProcess({ codeCache: bundle.cacheUsed });
