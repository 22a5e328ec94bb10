// an apply interrupted while the publish POST of a version it has just created is in
// flight, and that POST answered 503 (not resent, f4a562e). The version was created: it is a
// Draft on the target. README Interrupts: an action an interrupt ended partway is listed under
// `Partly done:` saying what landed, and its audit outcome is `failure` with what landed as its
// `after`. The 'unsent' failure instead records `after: null` and lists it as plain Failed.
import http from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { forwardTo } from '../helpers/forward.js';
import { closeAfterEach, NEW_VERSION, outcomeOf } from '../helpers/interrupt.js';
import { scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

/** Interrupts when `trigger` matches; `mode` 'fail' answers it 503 unsent, 'lost' forwards it and answers 503 anyway. */
async function proxy(emulatorUrl: string, trigger: (m: string, p: string) => boolean, mode: 'fail' | 'lost') {
  const upstream = new URL(emulatorUrl);
  const ac = new AbortController();
  const seen: Array<{ method: string; path: string; late: boolean }> = [];
  const server = http.createServer((req, res) => {
    const method = req.method ?? '';
    const path = (req.url ?? '').split('?')[0]!;
    const late = ac.signal.aborted;
    seen.push({ method, path, late });
    if (!late && trigger(method, path)) {
      ac.abort();
      const fail = () => {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'unavailable', code: 'service.unavailable', status: 503 }));
      };
      if (mode === 'fail') {
        req.resume();
        fail();
      } else {
        const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method, headers: req.headers }, (r) => {
          r.resume();
          r.on('end', fail);
        });
        req.pipe(up);
      }
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

async function appliedWithNewVersion() {
  const s = closing(await scenario());
  const first = await s.cli(['apply', '--auto-approve']);
  expect(first.code, first.stderr).toBe(0);
  const file = join(s.dir.path, 'prompts/support/support-triage.yaml');
  await writeFile(file, (await readFile(file, 'utf8')) + NEW_VERSION);
  return s;
}

describe('a call not resent after the interrupt, in an action whose earlier write landed', () => {
  it('publish POST answered 503 (not sent on): the created Draft is on record as what landed and the action is partly done', async () => {
    const s = await appliedWithNewVersion();
    const p = closing(await proxy(s.emu.url, (m, path) => m === 'POST' && path.endsWith('/jobs'), 'fail'));
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: s.dir.path, env: { ...s.emu.env, GENESYSCLOUD_API_URL: p.url }, signal: p.signal });
    expect(p.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(p.seen.filter((x) => x.late && x.method === 'POST'), JSON.stringify(p.seen)).toEqual([]);
    // The version was created: it is on the target as a Draft.
    const plan = await s.cli(['plan']);
    expect(plan.stdout).toMatch(/update PromptVersion\/support-triage@2\.1\.0/);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'failure', after: { content: { state: 'Draft' } } });
    expect(r.stderr).toMatch(/Partly done:[\s\S]*support-triage@2\.1\.0/);
  });

  it('a create that landed though answered 503: the read finds it, and the action ends midway before publishing', async () => {
    const s = await appliedWithNewVersion();
    const p = closing(await proxy(s.emu.url, (m, path) => m === 'POST' && /\/prompttemplates\/[^/]+\/versions$/.test(path), 'lost'));
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: s.dir.path, env: { ...s.emu.env, GENESYSCLOUD_API_URL: p.url }, signal: p.signal });
    expect(p.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(p.seen.filter((x) => x.late && x.method === 'POST'), JSON.stringify(p.seen)).toEqual([]);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'failure', after: { content: { state: 'Draft' } } });
    expect(r.stderr).toMatch(/Partly done:[\s\S]*support-triage@2\.1\.0/);
  });
});
