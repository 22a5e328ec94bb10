// What stops an apply from starting new calls: an interrupt (SIGINT, SIGTERM) or its output
// losing its reader, heard for the whole command and said once, with the exit code it ends with.
import { EXIT } from '../util/errors.js';
import type { CliContext } from './context.js';

/**
 * What stops an apply from starting new calls (DESIGN §5): the first SIGINT/SIGTERM, or stdout or
 * stderr losing its reader (`apply | head -3`), which is taken as a first interrupt, since
 * nobody can read what the apply does any more and SIGPIPE would end any other tool. Either
 * way the calls in flight finish and are recorded, locks are released and the embedded
 * emulator closes. A second signal ends the process at once, its `lastWords` said first. Both are heard for the whole
 * command: before the plan executes, the first ends the run once the reads under way are done,
 * with nothing applied (exit 130) and the lock released.
 */
export class Stop {
  readonly controller = new AbortController();
  outputClosed = false;
  /** A SIGINT or SIGTERM came (while the plan was made, confirmed or executed). */
  signalled = false;
  /** Where the run is: the first interrupt says what it stops. */
  phase: 'planning' | 'executing' | 'done' = 'planning';
  /**
   * Said on the second signal, before the process exits: the audit head, once the trail is open
   * (the anchor CI keeps, whose second signal lands here). Synchronous: nothing is waited for.
   */
  lastWords: (() => void) | undefined;
  private offInterrupts: (() => void) | undefined;
  private readonly offClosed: (() => void) | undefined;

  constructor(private readonly ctx: CliContext) {
    this.offClosed = ctx.io.onOutputClosed?.(() => {
      this.outputClosed = true;
      this.abort('output closed: finishing the calls in flight and recording them; nothing new is started');
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Listens for SIGINT/SIGTERM until dispose(). */
  listenForInterrupts(): void {
    this.offInterrupts = this.ctx.io.onInterrupt?.(() => {
      if (this.signalled) {
        this.ctx.info('interrupted again: exiting now; the next apply settles what is still open');
        this.lastWords?.();
        this.ctx.io.exitNow?.(EXIT.interrupted);
        return;
      }
      this.signalled = true;
      this.abort(
        this.phase === 'planning'
          ? '\ninterrupted: nothing will be applied; finishing the reads under way (interrupt again to stop at once)'
          : this.phase === 'executing'
            ? '\ninterrupted: finishing the calls in flight and recording them (interrupt again to stop at once)'
            : '\ninterrupted: the apply has ended; closing the audit trail and the target',
      );
    });
  }

  /** The run's exit code once the executor has stopped early. */
  code(interrupted: boolean): number {
    if (this.outputClosed) return EXIT.closedPipe;
    return interrupted ? EXIT.interrupted : EXIT.error;
  }

  dispose(): void {
    this.offClosed?.();
    this.offInterrupts?.();
  }

  private abort(message: string): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort();
    this.ctx.info(message);
  }
}
