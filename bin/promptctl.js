#!/usr/bin/env node
// promptctl: the one-file build, started with the code cache the build saved for it
// (src/cli/cached-bundle.ts; `node dist/cli/bin.js` runs the same, module by module).
import { fileURLToPath } from 'node:url';

// Imported inside the try, not statically: in a checkout never built (`npm ci --ignore-scripts`),
// or whose build failed after emptying dist/, the loader is missing too, and Node would say so
// with a stack trace instead of how to build.
const LOADER = new URL('../dist/cli/cached-bundle.js', import.meta.url);

// Until the build is loaded and hears SIGINT and SIGTERM itself (runProcess), an interrupt ends
// the process as at any other moment before a command starts: 130, saying so, not killed by the
// signal (which a shell reports as 143 for SIGTERM). Loading takes seconds on a busy runner.
const EXIT_INTERRUPTED = 130;
const SIGNALS = ['SIGINT', 'SIGTERM'];
const interruptedWhileLoading = () => {
  process.stderr.write('interrupted\n');
  process.exit(EXIT_INTERRUPTED);
};
for (const s of SIGNALS) process.on(s, interruptedWhileLoading);

let bundle;
try {
  const { loadBundle } = await import(LOADER.href);
  bundle = loadBundle();
} catch (err) {
  const unbuilt = err?.code === 'ERR_MODULE_NOT_FOUND' && err.url === LOADER.href;
  const message = unbuilt ? `promptctl is not built: ${fileURLToPath(LOADER)} is missing (run npm run build)` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
bundle.exports.runProcess({ codeCache: bundle.cacheUsed });
// runProcess listens now (synchronously, before any signal can be dispatched).
for (const s of SIGNALS) process.off(s, interruptedWhileLoading);
