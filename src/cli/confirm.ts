// The question apply asks before it changes anything ("Apply these changes? Only 'yes' is
// accepted"), on the run's own streams: yes, anything else, or an interrupt while it waits.
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { CliContext, OutStream } from './context.js';

const CONFIRM_QUESTION = "Apply these changes? Only 'yes' is accepted: ";

/**
 * The answer to the confirmation question. Ctrl+C there is the user's interrupt (a terminal in
 * readline's raw mode sends no signal: readline hears the key), Ctrl+D answers nothing; readline
 * rejects the question with an AbortError for either, which is neither yes nor an internal error.
 */
export async function confirm(ctx: CliContext, stopped: AbortSignal): Promise<'yes' | 'no' | 'interrupted'> {
  if (stopped.aborted) return 'interrupted';
  const rl = createInterface({ input: ctx.io.stdin, output: readlineOutput(ctx.io.stderr) });
  const asked = new AbortController();
  let interrupted = false;
  // A SIGTERM (or a closed output) while the question waits ends it too.
  const onStop = (): void => {
    interrupted = true;
    asked.abort();
  };
  stopped.addEventListener('abort', onStop, { once: true });
  // Heard, readline emits Ctrl+C here instead of closing itself.
  rl.once('SIGINT', () => {
    interrupted = true;
    asked.abort();
  });
  try {
    const answer = await rl.question(CONFIRM_QUESTION, { signal: asked.signal });
    return answer.trim() === 'yes' ? 'yes' : 'no';
  } catch (err) {
    if (interrupted) return 'interrupted';
    if (err instanceof Error && err.name === 'AbortError') return 'no';
    throw err;
  } finally {
    stopped.removeEventListener('abort', onStop);
    rl.close();
  }
}

/** readline wants a stream it can listen on: the process's stderr as it is, anything else wrapped. */
function readlineOutput(s: OutStream): NodeJS.WritableStream {
  if (typeof (s as Partial<NodeJS.WritableStream>).on === 'function') return s as NodeJS.WritableStream;
  const w = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      s.write(String(chunk));
      done();
    },
  });
  return Object.assign(w, { isTTY: s.isTTY, columns: s.columns });
}
