// An apply interrupted under a tight rate limit (DESIGN §5, rev27 CI review): the interrupt comes
// the moment the emulator has counted the last request its window allows, so every call the apply
// has not sent yet (queued for the pacer's turn, or about to start) would have to wait for the
// window to reset. After the interrupt none of them is sent, and nothing waits for the window:
// the emulator receives no request after the interrupt beyond those already in flight, and none
// is refused (429). Before the fix the queued writes (a version's create, a publish) were sent
// once the window reset, a minute after the interrupt on Genesys, and the second interrupt
// that CI sends 7.5 s after the first cut the run short with intents open.
import http from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generatePromptSet } from '../../bench/generate.mjs';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { RATELIMIT_HEADERS } from '../../src/genesys/conventions.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

/** Requests per window: the plan's reads and some of the apply's calls, far from all of them. */
const LIMIT = 60;
/**
 * Longer than the run takes once interrupted, so a call held for the window's reset shows as a
 * request after the interrupt (the old behaviour: the test then fails on the count, not on time).
 */
const WINDOW_MS = 30_000;

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
let proxy: Awaited<ReturnType<typeof budgetProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  await emu?.close();
  await dir?.remove();
  proxy = emu = dir = undefined;
});

interface Request {
  method: string;
  path: string;
  /** Arrived after the interrupt. */
  late: boolean;
  /** The emulator's status. */
  status?: number;
}

/**
 * A proxy in front of the emulator that interrupts the apply when an answer shows the window's
 * budget spent (inin-ratelimit-count reaching inin-ratelimit-allowed), before that answer is passed
 * on, noting how many requests were in flight then and every request that arrives afterwards.
 */
async function budgetProxy(target: string) {
  const upstream = new URL(target);
  const interrupt = new AbortController();
  const requests: Request[] = [];
  let open = 0;
  let inFlightAtInterrupt: number | undefined;
  const server = http.createServer((req, res) => {
    const r: Request = { method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, late: interrupt.signal.aborted };
    requests.push(r);
    open += 1;
    const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      r.status = answer.statusCode;
      const count = Number(answer.headers[RATELIMIT_HEADERS.count]);
      const allowed = Number(answer.headers[RATELIMIT_HEADERS.allowed]);
      if (!interrupt.signal.aborted && r.path.startsWith('/api/') && count >= allowed) {
        // This answer included: still in flight as the interrupt comes.
        inFlightAtInterrupt = open;
        interrupt.abort();
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', () => (open -= 1));
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    signal: interrupt.signal,
    requests,
    inFlightAtInterrupt: () => inFlightAtInterrupt,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('apply interrupted under a spent rate limit', () => {
  it('sends nothing it had not sent, waits for no window, records every change, exits 130; the next plan shows what is left', async () => {
    emu = await startTestEmulator({ rateLimit: LIMIT, rateWindowMs: WINDOW_MS });
    dir = await fixtureCopy('basic');
    await generatePromptSet(join(dir.path, 'prompts'), { templates: 40, versions: 1 });
    proxy = await budgetProxy(emu.url);
    const env = { ...emu.env, GENESYSCLOUD_API_URL: proxy.url };

    const started = Date.now();
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env, signal: proxy.signal });
    // No call waited for the window, before the interrupt either: a pacer that counted an answered
    // request twice held the apply for a reset with budget left (31-93 s; 2-3 s otherwise).
    expect(Date.now() - started, 'the apply waited for the rate window').toBeLessThan(WINDOW_MS / 2);

    expect(proxy.signal.aborted, 'the budget was never spent: the apply is too small for the limit').toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^Apply interrupted: [1-9]\d* created, 0 updated, 0 deleted; 0 failed, .*[1-9]\d* not started\.$/m);
    const late = proxy.requests.filter((q) => q.late);
    // Only what was already on its way: no call queued behind the pacer, no resend, no next call.
    expect(late.length, JSON.stringify(late)).toBeLessThanOrEqual(proxy.inFlightAtInterrupt()!);
    expect(late.filter((q) => q.method !== 'GET'), 'no write starts after the interrupt').toEqual([]);
    // Nothing met the spent budget, and nothing waited for the window to reset (it would then have been sent).
    expect(proxy.requests.filter((q) => q.status === 429)).toEqual([]);
    expect(emu.emulator.stats().rateLimited).toBe(0);

    // Every attempted change has its outcome: intent and outcome in pairs, none open.
    const auditFile = join(dir.path, '.promptctl/audit.jsonl');
    expect(await verifyAuditFile(auditFile)).toMatchObject({ ok: true, pending: [] });

    // A new run has a new token, so a budget of its own: its plan shows what is left.
    const next = await runCliInProcess(['plan', '--detailed-exitcode'], { cwd: dir.path, env: emu.env });
    expect(next.code, next.stderr).toBe(2);
  }, 120_000);
});
