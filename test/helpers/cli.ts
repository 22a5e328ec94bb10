// Runs promptctl in a test: in-process through `run` (src/cli/main.ts) with injected streams,
// environment and working directory (the default, and fast), or as the built binary
// (bin/promptctl.js → dist/bundle) in a child process, for what only a real process shows.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';

export const REPO = resolve(import.meta.dirname, '../..');
export const BIN = resolve(REPO, 'bin/promptctl.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  /** Added to a clean environment (no GENESYSCLOUD_*, no GITHUB_*, colour off). */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. Without it stdin is closed at once (not a TTY). */
  input?: string;
}

export interface InProcessOptions extends CliOptions {
  /**
   * In-process only: stdin, stdout and stderr say they are terminals (isTTY), as on a pty, so
   * that apply asks for confirmation and draws its progress bar. Colour stays off.
   */
  tty?: boolean;
  /** In-process only: aborting it is the interrupt (SIGINT/SIGTERM) of the binary. */
  signal?: AbortSignal;
  /** In-process only: called with everything on stderr so far after each write (a test acts on progress). */
  watchStderr?: (soFar: string) => void;
  /** In-process only: called with everything on stdout so far after each write. */
  watchStdout?: (soFar: string) => void;
  /** In-process only: aborting it is stdout's reader going away (EPIPE in the binary). */
  outputClosed?: AbortSignal;
  /** In-process only: the run's clock (Io.now). */
  now?: () => number;
  /** In-process only: the most of one API answer the run takes in (Io.maxAnswerBytes). */
  maxAnswerBytes?: number;
}

/** The environment a test command sees: the machine's, minus anything that picks a target or CI. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GENESYSCLOUD_') || k.startsWith('GITHUB_') || k === 'CI' || k === 'FORCE_COLOR') continue;
    env[k] = v;
  }
  env.NO_COLOR = '1';
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs the built binary in a child process (build first: `npm run build`). */
export function runCli(args: readonly string[], opts: CliOptions): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: cleanEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A stream that keeps what is written to it, flagged as a terminal or not. */
function collector(tty: boolean, watch?: (soFar: string) => void): Writable & { text: string; isTTY: boolean; columns?: number } {
  const w = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      out.text += String(chunk);
      watch?.(out.text);
      done();
    },
  });
  const out = Object.assign(w, { text: '', isTTY: tty, ...(tty ? { columns: 80 } : {}) });
  return out;
}

/**
 * Runs promptctl in this process, with the same environment and result as `runCli`: the
 * sources (no build needed), a fresh context per run, output captured as strings.
 */
export async function runCliInProcess(args: readonly string[], opts: InProcessOptions): Promise<CliResult> {
  const { run } = await import('../../src/cli/main.js');
  const tty = opts.tty ?? false;
  const stdout = collector(tty, opts.watchStdout);
  const stderr = collector(tty, opts.watchStderr);
  const stdin = Object.assign(Readable.from(opts.input !== undefined && opts.input !== '' ? [opts.input] : []), { isTTY: tty });
  const { signal, outputClosed } = opts;
  const code = await run([...args], {
    stdout,
    stderr,
    stdin,
    env: cleanEnv(opts.env),
    cwd: opts.cwd,
    color: false,
    startedAt: performance.now(),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.maxAnswerBytes !== undefined ? { maxAnswerBytes: opts.maxAnswerBytes } : {}),
    ...(signal
      ? {
          onInterrupt(listener: () => void) {
            signal.addEventListener('abort', listener, { once: true });
            return () => signal.removeEventListener('abort', listener);
          },
        }
      : {}),
    ...(outputClosed
      ? {
          onOutputClosed(listener: () => void) {
            // A pipe closed before the command listened is closed still.
            if (outputClosed.aborted) listener();
            outputClosed.addEventListener('abort', listener, { once: true });
            return () => outputClosed.removeEventListener('abort', listener);
          },
        }
      : {}),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
