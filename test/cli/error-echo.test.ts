// A target whose error answers echo the request's credentials (a proxy or gateway that quotes the
// Authorization header back, in the error's code, its correlation id header and its message):
// what promptctl prints names the call, status and code, never the bearer token or the secret.
import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { PROMPTS_YAML } from './evals-support.js';
import { forwardTo } from '../helpers/forward.js';

const TOKEN = `tok${Math.random().toString(36).slice(2, 12)}ABCDEFGH12345`;
const SECRET = `sec${Math.random().toString(36).slice(2, 12)}-xyz`;

let server: Server | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  await dir?.remove();
  dir = undefined;
});

/** Starts `handle` as the stand-in server on a loopback port (closed after each test): its URL. */
async function listening(handle: Parameters<typeof createServer>[1] & object): Promise<string> {
  server = createServer(handle);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function echoingServer(): Promise<string> {
  return listening((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/oauth/token')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: 3600 }));
        return;
      }
      const raw = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      res.writeHead(400, { 'content-type': 'application/json', 'inin-correlation-id': `cid-${raw}` });
      res.end(JSON.stringify({ code: `bad.request.${raw}`, message: `you sent ${req.headers.authorization}`, status: 400 }));
    });
  });
}

const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: echo
spec:
  target:
    template: faq-bot
  cases:
    - name: one
      vars: {question: hi}
      expect:
        - contains: hi
`;

describe('an error answer that echoes the credentials', () => {
  it('run, status and test print the error without the bearer token', async () => {
    const url = await echoingServer();
    dir = await tempDir('promptctl-echo-');
    await mkdir(join(dir.path, 'prompts'), { recursive: true });
    await writeFile(join(dir.path, 'prompts', 'test.yaml'), TEST);
    await writeFile(join(dir.path, 'prompts', 'faq.yaml'), `${PROMPTS_YAML}\n`);
    const env = { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_OAUTHCLIENT_ID: 'local-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: SECRET };
    for (const args of [['run', 'faq-bot', '--var', 'question=hi'], ['status'], ['test'], ['test', '--format', 'json']]) {
      const r = await runCliInProcess(args, { cwd: dir.path, env });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).not.toBe(0);
      const all = r.stdout + r.stderr;
      expect(all, args.join(' ')).toMatch(/bad\.request|400/);
      expect(all, args.join(' ')).not.toContain(TOKEN);
      expect(all, args.join(' ')).not.toContain(SECRET);
    }
  });
});

describe('a streamed answer whose error event echoes the credentials', () => {
  it('run prints the error without the bearer token', async () => {
    const { evalsProject } = await import('./evals-support.js');
    const p = await evalsProject();
    // A proxy to the emulator that answers the invocation itself: a delta, then an error event
    // quoting the Authorization header it was sent (in its code, message and context id).
    const upstream = new URL(p.emu.url);
    let seen = '';
    const url = await listening((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').includes('/invocations')) {
        req.resume();
        const auth = req.headers.authorization ?? '';
        seen = auth.replace(/^Bearer /, '');
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`event: delta\ndata: ${JSON.stringify({ text: 'Hello ' })}\n\nevent: error\ndata: ${JSON.stringify({ status: 500, code: `model.failed.${seen}`, message: `upstream refused ${auth} (token ${seen})`, contextId: `ctx-${seen}` })}\n\n`);
        return;
      }
      forwardTo(upstream, req, res);
    });
    try {
      const r = await runCliInProcess(['run', 'faq-bot@1.1.0', '--var', 'question=hi'], { cwd: p.dir.path, env: { ...p.emu.env, GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
      expect(seen.length).toBeGreaterThan(8);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toBe('Hello \n');
      expect(r.stderr).toMatch(/^error: .*500/m);
      expect(r.stdout + r.stderr).not.toContain(seen);
    } finally {
      await p.close();
    }
  });
});

describe('a streamed answer whose error event quotes a credential of the content', () => {
  it('run prints the error with the key masked', async () => {
    const { evalsProject } = await import('./evals-support.js');
    const p = await evalsProject();
    // Not a value the run knows: found by its shape, as validate finds one in a prompt.
    const KEY = `sk-proj-${Math.random().toString(36).slice(2, 12)}Abc123Def456`;
    const upstream = new URL(p.emu.url);
    const url = await listening((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').includes('/invocations')) {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`event: delta\ndata: ${JSON.stringify({ text: 'Hello ' })}\n\nevent: error\ndata: ${JSON.stringify({ status: 500, code: 'model.failed', message: `the provider refused key ${KEY}`, contextId: 'ctx-1' })}\n\n`);
        return;
      }
      forwardTo(upstream, req, res);
    });
    try {
      const r = await p.cli(['run', 'faq-bot@1.1.0', '--var', 'question=hi'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toBe('Hello \n');
      expect(r.stderr).toMatch(/^error: .*500 model\.failed: the provider refused key \[redacted: an API key \(sk-…\)\]/m);
      expect(r.stdout + r.stderr).not.toContain(KEY);
    } finally {
      await p.close();
    }
  });
});

describe('an error answer that quotes a credential of the content (a key the server echoes)', () => {
  it('apply prints it masked and records it masked in the audit trail', async () => {
    const { evalsProject } = await import('./evals-support.js');
    const p = await evalsProject();
    // Not a value the run knows: found by its shape, as validate finds one in a prompt.
    const KEY = `sk-proj-${Math.random().toString(36).slice(2, 12)}Abc123Def456`;
    // A private key: its whole block, not only the BEGIN line the pattern finds.
    const BODY = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw${Math.random().toString(36).slice(2, 12)}`;
    const PEM = `-----BEGIN PRIVATE KEY-----\n${BODY}\n-----END PRIVATE KEY-----`;
    const upstream = new URL(p.emu.url);
    let answered = 0;
    const url = await listening((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').startsWith('/api/v2/llmgateway/safetyfilters')) {
        req.resume();
        answered += 1;
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'bad.request', status: 400, message: `the provider refused key ${KEY} and ${PEM}`, messageParams: { key: KEY } }));
        return;
      }
      forwardTo(upstream, req, res);
    });
    try {
      await p.write(
        'prompts/extra.yaml',
        ['apiVersion: promptctl/v1', 'kind: SafetyFilter', 'metadata:', '  name: faq-extra-flag', 'spec:', '  priority: 3', '  categories: [pii]', '  action: flag_and_pass', '  thresholds: {pii: 0.5}', '  falsePositiveTolerance: 0'].join('\n') + '\n',
      );
      const r = await p.cli(['apply', '--auto-approve'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
      expect(answered).toBeGreaterThan(0);
      expect(r.code, r.stderr).toBe(1);
      const all = r.stdout + r.stderr;
      expect(all).toMatch(/400 bad\.request: the provider refused key \[redacted: an API key \(sk-…\)\]/);
      expect(all).not.toContain(KEY);
      expect(all).toMatch(/and \[redacted: a private key\] \(correlation id/);
      expect(all).not.toContain(BODY);
      const trail = await readFile(join(p.dir.path, '.promptctl', 'audit.jsonl'), 'utf8');
      expect(trail).toContain('the provider refused key [redacted');
      expect(trail).not.toContain(KEY);
      expect(trail).not.toContain(BODY);
    } finally {
      await p.close();
    }
  });
});

describe('a publish job that fails quoting a credential of the content', () => {
  it('apply prints its reason with the key masked and records it masked', async () => {
    const { evalsProject } = await import('./evals-support.js');
    const p = await evalsProject();
    // Not a value the run knows: found by its shape, as validate finds one in a prompt.
    const KEY = `sk-proj-${Math.random().toString(36).slice(2, 12)}Abc123Def456`;
    const upstream = new URL(p.emu.url);
    let answered = 0;
    const url = await listening((req, res) => {
      if (req.method === 'POST' && /\/versions\/[^/]+\/jobs$/.test(req.url ?? '')) {
        req.resume();
        answered += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'job-1', status: 'Failed', errors: [{ code: 'publish.failed', status: 400, message: `the provider refused key ${KEY}`, contextId: `ctx:${KEY}` }] }));
        return;
      }
      forwardTo(upstream, req, res);
    });
    try {
      await p.write(
        'prompts/v2.yaml',
        ['apiVersion: promptctl/v1', 'kind: PromptVersion', 'spec:', '  template: faq-bot', '  version: "2.0.0"', '  systemInstruction: "You answer questions about Acme orders."', '  userTemplate: "Q: {{question}}"', '  variables:', '    - name: question', '      type: string', '      maxLength: 500', '  maxTokens: 100'].join('\n') + '\n',
      );
      const r = await p.cli(['apply', '--auto-approve'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
      expect(answered).toBeGreaterThan(0);
      expect(r.code, r.stderr).toBe(1);
      const all = r.stdout + r.stderr;
      expect(all).toMatch(/publish\.failed: the provider refused key \[redacted: an API key \(sk-…\)\]/);
      expect(all).not.toContain(KEY);
      const trail = await readFile(join(p.dir.path, '.promptctl', 'audit.jsonl'), 'utf8');
      expect(trail).toContain('the provider refused key [redacted');
      expect(trail).not.toContain(KEY);
    } finally {
      await p.close();
    }
  });
});
