// The calls `promptctl test` makes pin versions and may get canned answers: counted in status they
// skewed shares and verdicts (apply.yml runs the tests against each environment after every
// apply). The emulator records them as the analytics' `origin` test (promptctl's extension of the
// dimensions); status leaves them out unless --include-tests, and says which. A target whose
// analytics refuse the dimension is asked again without it, and status says the tests are counted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardTo } from '../helpers/forward.js';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
let proxy: http.Server | undefined;
afterEach(async () => {
  if (proxy) {
    proxy.closeAllConnections();
    await new Promise((r) => proxy!.close(r));
    proxy = undefined;
  }
  await p?.close();
  p = undefined;
});

/**
 * A proxy in front of the project's emulator that hands each analytics query's body to `answer`:
 * a reply of its own ({status, body}), or the body to send on (as it came, or rewritten).
 */
async function analyticsProxy(project: EvalsProject, answer: (body: string) => { status: number; body: unknown } | string): Promise<string> {
  const upstream = new URL(project.emu.url);
  proxy = http.createServer((req, res) => {
    if (req.method !== 'POST' || !(req.url ?? '').includes('/analytics/')) return forwardTo(upstream, req, res);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const a = answer(Buffer.concat(chunks).toString());
      if (typeof a !== 'string') {
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(a.body));
        return;
      }
      const headers = { ...req.headers, 'content-length': String(Buffer.byteLength(a)) };
      const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.end(a);
    });
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-pinned
spec:
  target:
    template: faq-bot
    version: "1.1.0"
  repeat: 3
  cases:
    - name: refund
      vars:
        question: How long does a refund take?
      expect:
        - notContains: "zz-never-said"
`;

type Version = { version: string; invocations: number; share: number | null };
const byVersion = (report: { templates: Array<{ versions: Version[] }> }): Record<string, number> =>
  Object.fromEntries(report.templates[0]!.versions.map((v) => [v.version, v.invocations]));

describe('status and the calls promptctl test made', () => {
  it('leaves them out by default, counts them with --include-tests, and says which', async () => {
    p = await evalsProject({ 'pinned.yaml': TEST });
    for (const v of ['1.0.0', '1.0.0']) expect((await p.cli(['run', `faq-bot@${v}`, '--var', 'question=Where is my parcel?'])).code).toBe(0);
    const tested = await p.cli(['test', 'faq-pinned', '--no-cache']);
    expect(tested.code, tested.stderr).toBe(0);

    const live = await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h']);
    expect(live.code, live.stderr).toBe(0);
    const report = JSON.parse(live.stdout);
    expect(report.testCalls).toBe('excluded');
    expect(byVersion(report)).toEqual({ '1.0.0': 2, '1.1.0': 0 });
    expect(report.method).toContain('calls made by promptctl test are left out (--include-tests counts them)');

    const all = JSON.parse((await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h', '--include-tests'])).stdout);
    expect(all.testCalls).toBe('included');
    expect(byVersion(all)).toEqual({ '1.0.0': 2, '1.1.0': 3 });

    const text = await p.cli(['status', '--since', '1h']);
    expect(text.stdout).toMatch(/^faq-bot \(split random: 1\.0\.0 50 %, 1\.1\.0 50 %\): 2 calls$/m);
    expect(text.stdout).toContain('· calls made by promptctl test are left out (--include-tests counts them)');
  });

  it('counts them, saying so, on a target whose analytics refuse the origin dimension', async () => {
    p = await evalsProject({ 'pinned.yaml': TEST });
    expect((await p.cli(['test', 'faq-pinned', '--no-cache'])).code).toBe(0);
    // A target that knows only §3's dimensions: 400 for a query naming origin.
    let refused = 0;
    const url = await analyticsProxy(p, (body) => {
      if (!body.includes('"origin"')) return body;
      refused++;
      return { status: 400, body: { message: 'filter.predicates[1].dimension must be one of templateId, version, filterName', code: 'invalid.value', status: 400 } };
    });
    const r = await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h'], { env: { GENESYSCLOUD_API_URL: url } });
    expect(r.code, r.stderr).toBe(0);
    expect(refused).toBeGreaterThan(0);
    const report = JSON.parse(r.stdout);
    expect(report.testCalls).toBe('indistinguishable');
    expect(byVersion(report)).toEqual({ '1.0.0': 0, '1.1.0': 3 });
    expect(report.method.join('\n')).toMatch(/calls made by promptctl test are counted: the target's analytics cannot tell them apart/);
  });

  it('counts them, saying so, on a target whose analytics take the origin filter without knowing it', async () => {
    // A review: a server that ignores a predicate it does not know counted the test's calls while
    // the footer said they were left out. The query groups by origin too: groups without it tell.
    p = await evalsProject({ 'pinned.yaml': TEST });
    expect((await p.cli(['test', 'faq-pinned', '--no-cache'])).code).toBe(0);
    const url = await analyticsProxy(p, (body) => {
      // What such a server reads of the query: no origin anywhere.
      const q = JSON.parse(body) as { groupBy: string[]; filter?: { predicates: { dimension: string }[] } };
      q.groupBy = q.groupBy.filter((d) => d !== 'origin');
      if (q.filter) q.filter.predicates = q.filter.predicates.filter((x) => x.dimension !== 'origin');
      if (q.filter && q.filter.predicates.length === 0) delete q.filter;
      return JSON.stringify(q);
    });
    const r = await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h'], { env: { GENESYSCLOUD_API_URL: url } });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.testCalls).toBe('indistinguishable');
    expect(byVersion(report)).toEqual({ '1.0.0': 0, '1.1.0': 3 });
    expect(report.method.join('\n')).toMatch(/calls made by promptctl test are counted: the target's analytics cannot tell them apart/);
    expect(report.method.join('\n')).not.toMatch(/left out/);
  });
});
