// The process behind promptctl: the only place that touches the process's streams, environment,
// working directory, signals and exit code. Everything else runs through `run` (main.ts) with an
// injected Io, as the in-process CLI tests do.
import { EXIT } from '../util/errors.js';
import { maskClipped, maskSecrets } from '../util/secrets.js';
import { withEscapedForms } from '../util/secret-forms.js';
import { secretsIn } from './context.js';
import { run } from './main.js';

const signals = ['SIGINT', 'SIGTERM'] as const;

/** The command's own handlers of SIGINT/SIGTERM (apply, test, run, emulator), while it listens. */
const interruptListeners = new Set<() => void>();

/** Who must hear of a closed stdout or stderr before the process may end (apply, mid-run). */
const outputClosedListeners = new Set<() => void>();
/** A standard stream's reader has gone: the exit code is EXIT.closedPipe whatever the command returns. */
let outputClosed = false;

/**
 * Runs the command the process's arguments name and sets its exit code. `codeCache`: whether
 * the one-file build started from its code cache (bin/promptctl.js), for PROMPTCTL_STATS.
 */
export function runProcess(startup: { codeCache?: boolean } = {}): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', (err: NodeJS.ErrnoException) => endOnWriteError(stream, err));
  // Heard for the whole run, so that no interrupt ends the process by the signal itself (a shell
  // would say 143 for SIGTERM): a command that listens handles it, any other moment exits 130.
  for (const s of signals) process.on(s, interrupted);
  const cwd = workingDirectory();
  if (cwd === undefined) {
    process.stderr.write('error: the working directory no longer exists (it was deleted or moved); cd into one that does and run again\n');
    process.exitCode = EXIT.error;
    return;
  }
  run(process.argv.slice(2), {
    ...startup,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd,
    exitNow(code) {
      process.exit(code);
    },
    onOutputClosed(listener) {
      outputClosedListeners.add(listener);
      return () => {
        outputClosedListeners.delete(listener);
      };
    },
    onInterrupt(listener) {
      interruptListeners.add(listener);
      return () => {
        interruptListeners.delete(listener);
      };
    },
  }).then(
    (code) => {
      process.exitCode = outputClosed ? EXIT.closedPipe : code;
    },
    (err: unknown) => {
      process.stderr.write(`${lastResortLine(err, process.env)}\n`);
      process.exitCode = EXIT.error;
    },
  );
}

/**
 * A SIGINT or SIGTERM: the command's to handle while it listens (it stops in order, DESIGN §5).
 * Otherwise (plan, status, drift, or a command before it listens) nothing under way must end in
 * order: the process exits at once with EXIT.interrupted, as DESIGN §4 says, whichever the signal.
 */
function interrupted(): void {
  if (interruptListeners.size > 0) {
    for (const listener of [...interruptListeners]) listener();
    return;
  }
  process.stderr.write('interrupted\n');
  process.exit(EXIT.interrupted);
}

/** The process's working directory; undefined when it has been deleted (uv_cwd fails with ENOENT). */
function workingDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * What is said when the command could not even be set up (its context failed): no masking context
 * exists yet, so the environment's credentials are masked here. If that fails too, the error's
 * text is withheld rather than printed unmasked.
 */
export function lastResortLine(err: unknown, env: NodeJS.ProcessEnv): string {
  try {
    const forms = withEscapedForms(secretsIn(env));
    return `error: internal: ${maskClipped(maskSecrets(String(err), forms), forms)}`;
  } catch {
    return `error: internal (${err instanceof Error ? err.name : typeof err}; its text is withheld: it could not be checked for credentials)`;
  }
}

/**
 * A standard stream that cannot be written. Its reader has gone (`promptctl run … | head -c 20`):
 * the run ends at once and says nothing, as a Unix tool stopped by SIGPIPE does (Node ignores
 * the signal, so the write fails with EPIPE instead), unless a command listens (an apply under
 * way must not be cut in half: it stops as on a first interrupt and exits 141 itself). Writes
 * after that fail too, and are dropped. Any other failure (a full disk behind `>`) is said in one
 * line on stderr, if stderr is not the stream that failed.
 */
function endOnWriteError(stream: NodeJS.WriteStream, err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE' || outputClosed) return closedOutput();
  if (stream !== process.stderr) process.stderr.write(`error: cannot write to stdout: ${err.code ?? err.message}\n`);
  process.exit(EXIT.error);
}

/** The reader of stdout or stderr has gone: tell the listeners once, or end now if there are none. */
function closedOutput(): void {
  if (outputClosedListeners.size === 0) process.exit(EXIT.closedPipe);
  if (outputClosed) return;
  outputClosed = true;
  for (const listener of [...outputClosedListeners]) listener();
}
