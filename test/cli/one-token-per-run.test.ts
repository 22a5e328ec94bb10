// A run asks the org for one access token, whatever surfaces it reads or writes: the LLM Gateway
// and AI Studio clients share one connection (its token, its pacing under the token's rate limit,
// its sockets). Genesys counts the rate limit per token and limits how fast tokens are made; a
// second token per run was one more request on every command, and a second budget the org never
// meant this client to have.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GUIDES_BASE, SUMMARY_SETTINGS_BASE } from '../../src/targets/aistudio/paths.js';
import { forwardTo } from '../helpers/forward.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
let proxy: { url: string; seen: string[]; close(): Promise<void> } | undefined;
afterEach(async () => {
  await proxy?.close();
  await s?.close();
  proxy = undefined;
  s = undefined;
});

/** Passes every request on to `upstream` and notes each as `METHOD path` (no query). */
async function countingProxy(upstream: URL): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    forwardTo(upstream, req, res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

const tokens = (seen: readonly string[]) => seen.filter((r) => r === 'POST /oauth/token').length;

describe('one access token a run', () => {
  it('serves both surfaces: a plan reads the gateway and AI Studio, an apply writes, on one token each', async () => {
    s = await scenario();
    proxy = await countingProxy(new URL(s.emu.url));
    const env = { GENESYSCLOUD_API_URL: proxy.url };

    const planned = await s.cli(['plan'], env);
    expect(planned.code, planned.stderr).toBe(0);
    // Both surfaces were read: the guard against a plan that no longer reads AI Studio passing this.
    expect(proxy.seen.some((r) => r.startsWith('GET /api/v2/llmgateway/'))).toBe(true);
    expect(proxy.seen).toContain(`GET ${GUIDES_BASE}`);
    expect(proxy.seen).toContain(`GET ${SUMMARY_SETTINGS_BASE}`);
    expect(tokens(proxy.seen)).toBe(1);

    proxy.seen.length = 0;
    const applied = await s.cli(['apply', '--auto-approve'], env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(proxy.seen.some((r) => r.startsWith('POST /api/v2/llmgateway/'))).toBe(true);
    expect(tokens(proxy.seen)).toBe(1);
  });
});
