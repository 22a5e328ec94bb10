// after an apply's first interrupt no failed call is resent (f4a562e, DESIGN §5). The
// transport asks `stopped` only when an attempt fails; an interrupt that arrives while the call
// waits out a 429's Retry-After (or a 5xx backoff) is not heard, and the resend goes out after it.
import http from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { forwardTo } from '../helpers/forward.js';
import { closeAfterEach, NEW_VERSION } from '../helpers/interrupt.js';
import { scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

/** Answers the first version create 429 (Retry-After: 1) and interrupts 300 ms later, during the wait. */
async function proxy(emulatorUrl: string) {
  const upstream = new URL(emulatorUrl);
  const ac = new AbortController();
  const seen: Array<{ method: string; path: string; late: boolean }> = [];
  let answered = false;
  const server = http.createServer((req, res) => {
    const method = req.method ?? '';
    const path = (req.url ?? '').split('?')[0]!;
    seen.push({ method, path, late: ac.signal.aborted });
    if (!answered && method === 'POST' && /\/prompttemplates\/[^/]+\/versions$/.test(path)) {
      answered = true;
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ message: 'too many requests', code: 'too.many.requests', status: 429 }));
      setTimeout(() => ac.abort(), 300);
      return;
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

describe('an interrupt that arrives while a failed call waits to be resent', () => {
  it('stops the resend: no write starts after the interrupt, and the run exits 130', async () => {
    const s = closing(await scenario());
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    const file = join(s.dir.path, 'prompts/support/support-triage.yaml');
    await writeFile(file, (await readFile(file, 'utf8')) + NEW_VERSION);
    const p = closing(await proxy(s.emu.url));

    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: s.dir.path, env: { ...s.emu.env, GENESYSCLOUD_API_URL: p.url }, signal: p.signal });
    expect(p.signal.aborted).toBe(true);
    expect(p.seen.filter((x) => x.late && x.method !== 'GET' && !x.path.includes('/oauth/')), JSON.stringify(p.seen)).toEqual([]);
    expect(r.code, r.stderr).toBe(130);
  });
});
