// The timers that finish the emulator's jobs (gateway publish jobs, AI Studio guide jobs) once
// they are due on the emulator's clock. What they have armed can be awaited (settled), so a test
// waits for a job to finish rather than polling for it.
/** The longest delay setTimeout takes as given; Node runs a longer one after 1 ms. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export class JobTimers {
  private readonly armed = new Map<string, { timer: NodeJS.Timeout | undefined; settle: () => void }>();
  private readonly settling = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly now: () => number) {}

  /**
   * Runs `finish` (given the time it runs at, ISO) once `finishAt` has come on the clock; one timer
   * per job. A timer that runs early by the clock (set back since, or a delay beyond setTimeout's
   * 2^31-1 ms, which Node would cut to 1 ms) waits again for the rest.
   */
  arm(id: string, finishAt: number, finish: (now: string) => Promise<unknown>): void {
    if (this.stopped || this.armed.has(id)) return;
    let settle!: () => void;
    const settled: Promise<void> = new Promise<void>((r) => (settle = r)).then(() => {
      this.settling.delete(settled);
    });
    this.settling.add(settled);
    const entry = { timer: undefined as NodeJS.Timeout | undefined, settle };
    const wait = (): void => {
      entry.timer = setTimeout(
        () => {
          if (this.stopped) {
            this.armed.delete(id);
            return settle();
          }
          if (this.now() < finishAt) return wait();
          this.armed.delete(id);
          finish(new Date(this.now()).toISOString())
            .catch(() => undefined)
            .finally(settle);
        },
        Math.min(MAX_TIMER_DELAY_MS, Math.max(0, finishAt - this.now())),
      );
      entry.timer.unref();
    };
    wait();
    this.armed.set(id, entry);
  }

  /** Resolves once every job armed so far has finished (its change durable) or been dropped by stop(). */
  async settled(): Promise<void> {
    await Promise.all([...this.settling]);
  }

  /** Drops every timer (the emulator is closing). */
  stop(): void {
    this.stopped = true;
    for (const { timer, settle } of this.armed.values()) {
      clearTimeout(timer);
      settle();
    }
    this.armed.clear();
  }
}
