// A publish job that fails with an error quoting the request's Authorization header (its code and
// message): the access token is in neither what apply prints nor the audit trail's outcome.
import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, type EvalsProject } from './evals-support.js';
import { forwardTo } from '../helpers/forward.js';

let p: EvalsProject | undefined;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  await p?.close();
  p = undefined;
});

const V120 = `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: faq-bot
  version: "1.2.0"
  systemInstruction: "You answer questions about Acme orders. Be very brief."
  userTemplate: "Question: {{question}}"
  variables:
    - name: question
      type: string
      maxLength: 500
  maxTokens: 100
`;

describe('a failed publish job that echoes the credentials', () => {
  it('apply says it failed, without the token, on screen and in the audit trail', async () => {
    p = await evalsProject();
    await writeFile(join(p.dir.path, 'prompts', 'v120.yaml'), V120);
    const upstream = new URL(p.emu.url);
    let seen = '';
    server = createServer((req, res) => {
      if (req.method === 'POST' && /\/versions\/[^/]+\/jobs$/.test(req.url ?? '')) {
        req.resume();
        seen = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'job-1', status: 'Failed', errors: [{ status: 500, code: `publish.failed.${seen}`, message: `refused for ${seen}`, contextId: `ctx-${seen}` }], selfUri: '/x' }));
        return;
      }
      forwardTo(upstream, req, res);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await p.cli(['apply', '--auto-approve'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(seen.length).toBeGreaterThan(8);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/publish\.failed/);
    expect(r.stdout + r.stderr).not.toContain(seen);
    const trail = await readFile(join(p.dir.path, '.promptctl', 'audit.jsonl'), 'utf8');
    expect(trail).toMatch(/publish\.failed/);
    expect(trail).not.toContain(seen);
  });
});

describe('a failed write whose error dumps the request base64-encoded', () => {
  it('the audit trail masks the access token in every form output masks it in, as what apply prints does', async () => {
    p = await evalsProject();
    await writeFile(join(p.dir.path, 'prompts', 'v120.yaml'), V120);
    const upstream = new URL(p.emu.url);
    let seen = '';
    server = createServer((req, res) => {
      if (req.method === 'POST' && /\/versions$/.test(req.url ?? '')) {
        req.resume();
        seen = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        // A server's debug dump of the request headers, base64-encoded (output masks this form).
        const dump = Buffer.from(`Authorization: Bearer ${seen}\r\n`).toString('base64');
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'bad.request', message: `refused; request dump ${dump}`, status: 400 }));
        return;
      }
      forwardTo(upstream, req, res);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await p.cli(['apply', '--auto-approve'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(seen.length).toBeGreaterThan(8);
    expect(r.code, r.stderr).toBe(1);
    // The token's bytes alone, as base64 carries them at this offset (what a reader decodes back).
    const dumped = Buffer.from(`Authorization: Bearer ${seen}\r\n`).toString('base64');
    const tokenPart = dumped.slice(32, 32 + Math.floor((seen.length * 4) / 3) - 4);
    expect(r.stdout + r.stderr).toMatch(/refused; request dump/);
    expect(r.stdout + r.stderr).not.toContain(tokenPart);
    const trail = await readFile(join(p.dir.path, '.promptctl', 'audit.jsonl'), 'utf8');
    expect(trail).toMatch(/refused; request dump/);
    expect(trail).not.toContain(tokenPart);
    expect(Buffer.from(trail.match(/request dump ([A-Za-z0-9+/=]+)/)?.[1] ?? '', 'base64').toString()).not.toContain(seen);
  });
});
