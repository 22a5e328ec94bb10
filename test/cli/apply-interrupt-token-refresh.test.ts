// after an apply's interrupt a publish already started is still confirmed (README
// Interrupts). If the token is refused (401) during that confirmation, the client signs in
// again; a token request "changes nothing" and is "resent freely" (transport.ts requestToken),
// but after the interrupt a token POST answered 503 once is not resent, and the publish that
// landed is reported failed.
import http from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { forwardTo } from '../helpers/forward.js';
import { closeAfterEach, NEW_VERSION, outcomeOf } from '../helpers/interrupt.js';
import { scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

/** Interrupts at the publish POST (passed on); then the first GET is 401 and the first token request 503. */
async function proxy(emulatorUrl: string) {
  const upstream = new URL(emulatorUrl);
  const ac = new AbortController();
  const seen: Array<{ method: string; path: string; late: boolean; status?: number }> = [];
  let refused = false;
  let tokenFailed = false;
  const answer = (res: http.ServerResponse, status: number, code: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: code, code, status }));
  };
  const server = http.createServer((req, res) => {
    const method = req.method ?? '';
    const path = (req.url ?? '').split('?')[0]!;
    const late = ac.signal.aborted;
    const entry: (typeof seen)[number] = { method, path, late };
    seen.push(entry);
    if (!late && method === 'POST' && path.endsWith('/jobs')) ac.abort();
    if (late && method === 'GET' && !refused) {
      refused = true;
      entry.status = 401;
      req.resume();
      return answer(res, 401, 'bad.credentials');
    }
    if (late && refused && path.includes('/oauth/token') && !tokenFailed) {
      tokenFailed = true;
      entry.status = 503;
      req.resume();
      return answer(res, 503, 'service.unavailable');
    }
    forwardTo(upstream, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    signal: ac.signal,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('signing in again during a publish confirmation after the interrupt', () => {
  it('a token request answered 503 once is made again: the publish that landed is recorded as published', async () => {
    const s = closing(await scenario());
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    const file = join(s.dir.path, 'prompts/support/support-triage.yaml');
    await writeFile(file, (await readFile(file, 'utf8')) + NEW_VERSION);
    const p = closing(await proxy(s.emu.url));

    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: s.dir.path, env: { ...s.emu.env, GENESYSCLOUD_API_URL: p.url, GENESYSCLOUD_LOGIN_URL: p.url }, signal: p.signal });
    expect(p.signal.aborted).toBe(true);
    expect(p.seen.some((x) => x.status === 503), JSON.stringify(p.seen)).toBe(true);
    const plan = await s.cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(r.stderr).not.toMatch(/not resent/);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'success', after: { content: { state: 'Published' } } });
    expect(r.code, r.stderr).toBe(0);
  });
});
