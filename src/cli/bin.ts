// The unbundled entry (`node dist/cli/bin.js`): the same process as bin/promptctl.js, module by
// module, without the one-file build and its code cache (for debugging the build itself).
import { runProcess } from './process.js';

runProcess();
