// A sink's reply body was read whole (got holds every byte): a sink answering without end took
// memory for as long as the attempt's timeout let it. The status is all a delivery needs: past
// 1 MiB the reply is given up, and the delivery judged by its status. Counted in bytes, not timed.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliverToSink } from '../../../src/audit/sink.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A sink answering `status` with up to 64 MiB, written as the reader takes it; how much it sent. */
async function endlessSink(status: number): Promise<{ url: string; sentMiB: () => number }> {
  let sent = 0;
  server = createServer((req, res: ServerResponse) => {
    req.resume();
    res.writeHead(status, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const pump = (): void => {
      while (sent < 64 && !res.destroyed) {
        sent += 1;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/audit`, sentMiB: () => sent };
}

describe("an audit sink's reply", () => {
  it('past 1 MiB is given up as it arrives: a 200 is a delivery, having read a little past the limit', async () => {
    const sink = await endlessSink(200);
    expect((await deliverToSink({ url: sink.url }, '{"seq":1}', 'h1', {}, { timeoutMs: 10_000, retries: 0 }))?.warning ?? null).toBeNull();
    expect(sink.sentMiB()).toBeLessThan(64);
  });

  it('past 1 MiB with a failure status is that status, not a transport error', async () => {
    const sink = await endlessSink(400);
    expect((await deliverToSink({ url: sink.url }, '{"seq":1}', 'h1', {}, { timeoutMs: 10_000, retries: 0 }))?.warning).toMatch(/^audit sink http:\/\/127\.0\.0\.1:\d+\/audit: HTTP 400 after 1 attempt$/);
    expect(sink.sentMiB()).toBeLessThan(64);
  });
});
