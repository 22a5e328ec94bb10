// The timers that finish the emulator's jobs (gateway publish jobs, AI Studio guide jobs) once
// they are due on the emulator's clock. What they have armed can be awaited (settled), so a test
// waits for a job to finish rather than polling for it.
export class JobTimers {
  private readonly armed = new Map<string, { timer: NodeJS.Timeout; settle: () => void }>();
  private readonly settling = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly now: () => number) {}

  /** Runs `finish` (given the time it runs at, ISO) once `finishAt` has come; one timer per job. */
  arm(id: string, finishAt: number, finish: (now: string) => Promise<unknown>): void {
    if (this.stopped || this.armed.has(id)) return;
    let settle!: () => void;
    const settled: Promise<void> = new Promise<void>((r) => (settle = r)).then(() => {
      this.settling.delete(settled);
    });
    this.settling.add(settled);
    const timer = setTimeout(
      () => {
        this.armed.delete(id);
        if (this.stopped) return settle();
        finish(new Date(this.now()).toISOString())
          .catch(() => undefined)
          .finally(settle);
      },
      Math.max(0, finishAt - this.now()),
    );
    timer.unref();
    this.armed.set(id, { timer, settle });
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
