// An answer whose body never ends (a broken proxy, a hostile host) is given up past 64 MiB as it
// arrives, named so, rather than held whole: got kept every byte of it, and an endless one took
// the machine's memory.
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, type EvalsProject } from './evals-support.js';
import { interceptor, type Interceptor } from '../helpers/forward.js';

let p: EvalsProject | undefined;
let server: Interceptor | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await p?.close();
  p = undefined;
});

describe('a listing answered with a body past 64 MiB', () => {
  it('plan stops at it, saying the body is too large, having read no more than a little past the limit', async () => {
    p = await evalsProject();
    const upstream = new URL(p.emu.url);
    let sent = 0;
    const sizes: string[] = [];
    server = await interceptor(upstream, (req, res) => {
      if (!(req.method === 'GET' && (req.url ?? '').startsWith('/api/v2/llmgateway/prompttemplates'))) return false;
      sizes.push(new URL(req.url!, 'http://x').searchParams.get('pageSize') ?? '');
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      // 80 MiB, written as the reader takes it: what was sent when it stops is what it read.
      writeMiB(res, 80, () => sent++);
      return true;
    });
    const url = server.url;
    const r = await p.cli(['plan'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error: GET \/api\/v2\/llmgateway\/prompttemplates\S* failed: 200 http\.200: OK \(the answer's body is larger than 64 MiB; promptctl reads no more of it\)/);
    // Not sent again at one size (a 2xx answered is only read for), but asked for in fewer
    // entities, halving down to 1, each given up before the whole 80 MiB.
    expect(sizes).toEqual(['100', '50', '25', '12', '6', '3', '1']);
    expect(sent).toBeLessThan(80 * sizes.length);
    expect(r.stderr).toMatch(/^listing: GET \/api\/v2\/llmgateway\/prompttemplates is read 1 entity a page: its pages of 100 were too large to take in$/m);
  });
});

describe("a streamed call's error answer with a body past 64 MiB", () => {
  it('run stops at it, saying the body is too large, having read no more than a little past the limit', async () => {
    p = await evalsProject();
    const upstream = new URL(p.emu.url);
    let sent = 0;
    let calls = 0;
    server = await interceptor(upstream, (req, res) => {
      if (!(req.method === 'POST' && (req.url ?? '').includes('/invocations'))) return false;
      req.resume();
      calls += 1;
      res.writeHead(400, { 'content-type': 'application/json' });
      writeMiB(res, 80, () => sent++);
      return true;
    });
    const url = server.url;
    const r = await p.cli(['run', 'faq-bot', '--var', 'question=hi'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("(the answer's body is larger than 64 MiB; promptctl reads no more of it)");
    expect(calls).toBe(1);
    expect(sent).toBeLessThan(80);
  });
});

/** Writes `total` MiB to `res` as the reader takes them (on drain), counting each one sent. */
function writeMiB(res: ServerResponse, total: number, sent: () => number): void {
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  let n = 0;
  const pump = (): void => {
    while (n < total && !res.destroyed) {
      n += 1;
      sent();
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}
