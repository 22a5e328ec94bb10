// after an apply's first interrupt a failed call is not resent (f4a562e). A publish job
// already started is still confirmed (README Interrupts: "that only reads, and the record then
// says whether the version was published"). A confirming GET that fails once (503) after the
// interrupt is a read: it changes nothing, so not resending it only makes the apply misreport a
// publish that landed.
import http from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { forwardTo } from '../helpers/forward.js';
import { closeAfterEach, NEW_VERSION, outcomeOf } from '../helpers/interrupt.js';
import { scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

/** Interrupts when the publish POST arrives (and passes it on); answers the first GET after it 503. */
async function proxyFailingFirstLateRead(emulatorUrl: string) {
  const upstream = new URL(emulatorUrl);
  const ac = new AbortController();
  const seen: Array<{ method: string; path: string; late: boolean; answered503?: boolean }> = [];
  let failedOne = false;
  const server = http.createServer((req, res) => {
    const method = req.method ?? '';
    const path = (req.url ?? '').split('?')[0]!;
    const late = ac.signal.aborted;
    const entry: (typeof seen)[number] = { method, path, late };
    seen.push(entry);
    if (!late && method === 'POST' && path.endsWith('/jobs')) ac.abort();
    if (late && method === 'GET' && !path.includes('/oauth/') && !failedOne) {
      failedOne = true;
      entry.answered503 = true;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'unavailable', code: 'service.unavailable', status: 503 }));
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

describe('a publish confirmation read that fails once after the interrupt', () => {
  it('is read again (a GET changes nothing): the publish that landed is recorded as published, not failed "not resent"', async () => {
    const s = closing(await scenario());
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    const file = join(s.dir.path, 'prompts/support/support-triage.yaml');
    await writeFile(file, (await readFile(file, 'utf8')) + NEW_VERSION);
    const proxy = closing(await proxyFailingFirstLateRead(s.emu.url));

    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: s.dir.path, env: { ...s.emu.env, GENESYSCLOUD_API_URL: proxy.url }, signal: proxy.signal });
    expect(proxy.signal.aborted).toBe(true);
    expect(proxy.seen.some((x) => x.answered503), JSON.stringify(proxy.seen)).toBe(true);
    // The publish job was started before the interrupt and the server ran it.
    const plan = await s.cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
    // So the apply must not say it failed, and its record must say what landed.
    expect(r.stderr).not.toMatch(/not resent/);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'success', after: { content: { state: 'Published' } } });
    expect(r.code, r.stderr).toBe(0);
  });
});
