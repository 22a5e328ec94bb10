// The entry of the one-file build (dist/bundle/promptctl.cjs, scripts/bundle.mjs): what
// bin/promptctl.js starts, and `run`, which the build calls to warm the code cache it saves.
export { run } from './main.js';
export { runProcess } from './process.js';
export { saveGeneratedCaches } from '../util/precompiled.js';
