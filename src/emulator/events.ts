// Server-Sent Events out of the emulator: `event:` + one `data:` line per event, each written
// (and so flushed as its own HTTP chunk) separately; a `: ping` comment whenever the stream has
// been idle for the ping interval, so proxies and clients keep it open.
import type { ServerResponse } from 'node:http';
import { EVENT_STREAM } from '../targets/llmgateway/wire.js';

export class EventStream {
  private idle: NodeJS.Timeout | undefined;
  private done = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly pingIntervalMs: number,
  ) {
    res.once('close', () => this.stop());
  }

  /** Sends the 200 head at once (before any event), so the client knows the call was taken. */
  open(): void {
    this.res.writeHead(200, {
      'Content-Type': `${EVENT_STREAM}; charset=utf-8`,
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.res.flushHeaders();
    this.armPing();
  }

  /** False once the client went away (or the stream ended). */
  get live(): boolean {
    return !this.done && !this.res.destroyed && !this.res.writableEnded;
  }

  send(event: string, data: unknown): void {
    if (!this.live) return;
    // JSON.stringify escapes newlines, so the data is one line.
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    this.armPing();
  }

  end(): void {
    this.stop();
    if (!this.res.writableEnded && !this.res.destroyed) this.res.end();
  }

  /** Waits (pinging if the wait outlasts the ping interval); resolves early if the client leaves. */
  wait(ms: number): Promise<void> {
    if (ms <= 0 || !this.live) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.res.off('close', finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.res.once('close', finish);
    });
  }

  private armPing(): void {
    if (this.idle) clearTimeout(this.idle);
    if (!this.live || this.pingIntervalMs <= 0) return;
    this.idle = setTimeout(() => {
      if (!this.live) return;
      this.res.write(': ping\n\n');
      this.armPing();
    }, this.pingIntervalMs);
    this.idle.unref();
  }

  private stop(): void {
    this.done = true;
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
  }
}
