// An answer whose body never ends (a broken proxy, a hostile host) is given up past 64 MiB as it
// arrives, named so, rather than held whole: got kept every byte of it, and an endless one took
// the machine's memory.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, type EvalsProject } from './evals-support.js';
import { forwardTo } from '../helpers/forward.js';

let p: EvalsProject | undefined;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  await p?.close();
  p = undefined;
});

describe('a listing answered with a body past 64 MiB', () => {
  it('plan stops at it, saying the body is too large, having read no more than a little past the limit', async () => {
    p = await evalsProject();
    const upstream = new URL(p.emu.url);
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    server = createServer((req, res) => {
      if (req.method === 'GET' && (req.url ?? '').startsWith('/api/v2/llmgateway/prompttemplates')) {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' });
        // 80 MiB, written as the reader takes it: what was sent when it stops is what it read.
        const pump = (): void => {
          while (sent < 80 && !res.destroyed) {
            sent += 1;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => undefined);
        pump();
        return;
      }
      forwardTo(upstream, req, res);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await p.cli(['plan'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error: GET \/api\/v2\/llmgateway\/prompttemplates\S* failed: 200 http\.200: OK \(the answer's body is larger than 64 MiB; promptctl reads no more of it\)/);
    // Not sent again (a 2xx answered is only read for), and given up before the whole 80 MiB.
    expect(sent).toBeLessThan(80);
  });
});

describe("a streamed call's error answer with a body past 64 MiB", () => {
  it('run stops at it, saying the body is too large, having read no more than a little past the limit', async () => {
    p = await evalsProject();
    const upstream = new URL(p.emu.url);
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    let calls = 0;
    server = createServer((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').includes('/invocations')) {
        req.resume();
        calls += 1;
        res.writeHead(400, { 'content-type': 'application/json' });
        const pump = (): void => {
          while (sent < 80 && !res.destroyed) {
            sent += 1;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      forwardTo(upstream, req, res);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await p.cli(['run', 'faq-bot', '--var', 'question=hi'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("(the answer's body is larger than 64 MiB; promptctl reads no more of it)");
    expect(calls).toBe(1);
    expect(sent).toBeLessThan(80);
  });
});

