// The process behind promptctl: the only place that touches the process's streams, environment,
// working directory, signals and exit code. Everything else runs through `run` (main.ts) with an
// injected Io, as the in-process CLI tests do.
import { EXIT } from '../util/errors.js';
import { run } from './main.js';

const signals = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs the command the process's arguments name and sets its exit code. `codeCache`: whether
 * the one-file build started from its code cache (bin/promptctl.js), for PROMPTCTL_STATS.
 */
export function runProcess(startup: { codeCache?: boolean } = {}): void {
  run(process.argv.slice(2), {
    ...startup,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    exitNow(code) {
      process.exit(code);
    },
    onInterrupt(listener) {
      for (const s of signals) process.on(s, listener);
      return () => {
        for (const s of signals) process.off(s, listener);
      };
    },
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`error: internal: ${String(err)}\n`);
      process.exitCode = EXIT.error;
    },
  );
}
