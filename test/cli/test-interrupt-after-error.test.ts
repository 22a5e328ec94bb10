// promptctl test whose run failed (the target refusing its call: a 403 stops the run) and which
// was then interrupted while the target closed: the error is still said, then the interrupt, exit
// 130 (DESIGN §5: the user's interrupt wins), as for run. The interrupt is injected at the target's
// close (a remote target closes in microseconds, no window a signal can be aimed at).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { interceptor, type Interceptor } from '../helpers/forward.js';
import { evalsProject, type EvalsProject, REFUND_TEST } from './evals-support.js';

const closing = vi.hoisted(() => ({ interrupt: undefined as (() => void) | undefined, closes: 0 }));

// The target as it is, but its close interrupts first (when a test asks it to).
vi.mock('../../src/cli/target.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/cli/target.js')>();
  return {
    ...real,
    openTarget: async (...args: Parameters<typeof real.openTarget>) => {
      const t = await real.openTarget(...args);
      return {
        ...t,
        close: async () => {
          closing.closes++;
          closing.interrupt?.();
          await t.close();
        },
      };
    },
  };
});


let p: EvalsProject | undefined;
let server: Interceptor | undefined;
afterEach(async () => {
  closing.interrupt = undefined;
  await server?.close();
  server = undefined;
  await p?.close();
  p = undefined;
});

describe('promptctl test interrupted while the target closes, after the run failed', () => {
  it.each(['text', 'json', 'junit'] as const)('%s: the error is said, then the interrupt, exit 130', async (format) => {
    p = await evalsProject({ 'refund.yaml': REFUND_TEST });
    // The gateway refuses this client the call (403): a refusal every call would meet stops the run.
    server = await interceptor(new URL(p.emu.url), (req, res) => {
      if (!(req.method === 'POST' && (req.url ?? '').includes('/invocations'))) return false;
      req.resume();
      const body = { message: 'this client lacks the permissions for /api/v2/llmgateway/invocations', code: 'missing.any.permissions', status: 403 };
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return true;
    });
    const ac = new AbortController();
    closing.closes = 0;
    closing.interrupt = () => ac.abort();
    const r = await runCliInProcess(['test', '--format', format], { cwd: p.dir.path, env: { ...p.emu.env, GENESYSCLOUD_API_URL: server.url, GENESYSCLOUD_LOGIN_URL: server.url }, signal: ac.signal });
    expect(closing.closes).toBe(1);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^error: POST \/api\/v2\/llmgateway\/invocations failed: 403 missing\.any\.permissions: .*\ninterrupted: the test run had already failed \(the error above\); nothing more was done\n$/m);
    // The document a run that ends before its report writes, holding the error (not the interrupt).
    if (format === 'json') expect(JSON.parse(r.stdout).error).toMatch(/^POST \/api\/v2\/llmgateway\/invocations failed: 403 missing\.any\.permissions/);
    else if (format === 'junit') expect(r.stdout).toMatch(/<error message="POST \/api\/v2\/llmgateway\/invocations failed: 403 missing\.any\.permissions/);
    else expect(r.stdout).toBe('');
  });
});
