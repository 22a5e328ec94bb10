// An invocation the gateway answers with a 5xx may have run the model, and each one run is billed;
// no read can tell whether it did (DESIGN §5: a POST of unknown outcome is resent only once a read
// has settled it). run and test send it once: the call fails saying it was not sent again. It was
// resent up to 10 times over about 26 s, so one call could be billed 11 times.
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, type EvalsProject, REFUND_TEST } from './evals-support.js';
import { interceptor, type Interceptor } from '../helpers/forward.js';

let p: EvalsProject | undefined;
let server: Interceptor | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await p?.close();
  p = undefined;
});


const NOT_SENT_AGAIN = /^error: POST \/api\/v2\/llmgateway\/invocations failed: 500 internal\.server\.error: the model host failed \(correlation id [\w-]+\); the gateway may have run it \(each call is billed\), so it was not sent again$/m;

/** A server before the emulator answering the first invocation 500 (the next ones go through); its URL and how many it was sent. */
async function failingOnce(project: EvalsProject): Promise<{ url: string; invocations: () => number }> {
  let invocations = 0;
  server = await interceptor(new URL(project.emu.url), (req, res) => {
    if (!(req.method === 'POST' && (req.url ?? '').startsWith('/api/v2/llmgateway/invocations'))) return false;
    if (++invocations > 1) return false;
    req.resume();
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'the model host failed', code: 'internal.server.error', status: 500, contextId: 'c-1' }));
    return true;
  });
  return { url: server.url, invocations: () => invocations };
}

describe('an invocation answered 500', () => {
  it('run sends it once and fails saying it was not sent again', async () => {
    p = await evalsProject();
    const { url, invocations } = await failingOnce(p);
    const r = await p.cli(['run', 'faq-bot@1.1.0', '--var', 'question=How long does a refund take?'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(NOT_SENT_AGAIN);
    expect(r.stdout).toBe('');
    expect(invocations()).toBe(1);
  });

  it("test sends it once: the case is that error, saying it was not sent again", async () => {
    p = await evalsProject({ 'refund.yaml': REFUND_TEST });
    const { url, invocations } = await failingOnce(p);
    const r = await p.cli(['test', '--format', 'json', '--no-cache'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    expect(invocations()).toBe(1);
    expect(JSON.stringify(JSON.parse(r.stdout))).toContain(JSON.stringify('the model host failed; the gateway may have run it (each call is billed), so it was not sent again'));
    expect(JSON.parse(r.stdout).invocations).toBe(1);
  });
});

describe('an invocation whose connection drops once it is sent', () => {
  it("test makes it that case's error and runs the other cases: the host is there, only that call failed", async () => {
    p = await evalsProject({ 'refund.yaml': REFUND_TEST.replace('      expect:\n        - contains: "5 working days"\n', (c) => `${c}    - name: refund again\n      vars:\n        question: How long does a refund take, again?\n${c.slice(c.indexOf('      expect'))}`) });
    let invocations = 0;
    server = await interceptor(new URL(p.emu.url), (req) => {
      if (!(req.method === 'POST' && (req.url ?? '').startsWith('/api/v2/llmgateway/invocations'))) return false;
      if (++invocations > 1) return false;
      req.socket.destroy();
      return true;
    });
    const r = await p.cli(['test', '--format', 'json', '--no-cache'], { env: { GENESYSCLOUD_API_URL: server.url, GENESYSCLOUD_LOGIN_URL: server.url } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/^error:/m);
    const report = JSON.parse(r.stdout) as { invocations: number; tests: { runs: { passed: boolean; observation: { outcome: string; error?: { message: string } } }[] }[] };
    expect(invocations).toBe(2);
    expect(report.invocations).toBe(2);
    const { runs } = report.tests[0]!;
    expect(runs.map((x) => x.observation.outcome).sort()).toEqual(['answered', 'error']);
    expect(runs.find((x) => x.observation.outcome === 'error')!.observation.error!.message).toMatch(/^POST \/api\/v2\/llmgateway\/invocations failed: connection dropped \(ECONNRESET\) \(http:\/\/127\.0\.0\.1:\d+\); the gateway may have run it \(each call is billed\), so it was not sent again$/);
  });
});
