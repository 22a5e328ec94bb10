// The user's interrupt (SIGINT/SIGTERM) for a command that makes calls or writes files and must
// end in good order (`test`, `run`, `export`; apply has its own Stop, which also hears a closed output): the first
// interrupt aborts `signal` (no new call starts, the calls in flight are cut off) and the command
// then ends in its own time with EXIT.interrupted; a second one ends the process at once.
import { setMaxListeners } from 'node:events';
import { EXIT } from '../util/errors.js';
import type { CliContext } from './context.js';

export interface InterruptMessages {
  /** Said on the first interrupt, if anything (a command may say it when it has stopped instead). */
  first?: () => string | undefined;
  /** Said on the second, just before the process ends (a function: what it says depends on when it comes). */
  again: string | (() => string);
}

export class Interrupt {
  private readonly controller = new AbortController();

  constructor(
    private readonly ctx: CliContext,
    private readonly messages: InterruptMessages,
    /** Run on the second interrupt, just before the process ends: synchronous, what must not be left behind (export's temp file). */
    private readonly beforeExit?: () => void,
  ) {
    // Every call in flight (and each of its waits) listens on the one signal.
    setMaxListeners(1000, this.controller.signal);
  }

  /** Aborted by the first interrupt. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get interrupted(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * Runs `fn` hearing interrupts (while nobody listens, an interrupt ends the process as it
   * always has). In-process (tests) there is no `exitNow`: a second interrupt changes nothing.
   */
  async during<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const off = this.ctx.io.onInterrupt?.(() => this.heard());
    try {
      return await fn(this.signal);
    } finally {
      off?.();
    }
  }

  private heard(): void {
    if (this.controller.signal.aborted) {
      this.beforeExit?.();
      const { again } = this.messages;
      this.ctx.info(typeof again === 'string' ? again : again());
      this.ctx.io.exitNow?.(EXIT.interrupted);
      return;
    }
    this.controller.abort();
    const said = this.messages.first?.();
    if (said !== undefined) this.ctx.info(said);
  }
}
