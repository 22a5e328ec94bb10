// promptctl behind a corporate proxy, end to end with the built binary (build first): HTTPS to
// an org reached only through an HTTP CONNECT proxy that wants credentials. The org is the test
// emulator behind a TLS front for the name gateway.promptctl.test, a name no resolver knows: only
// the proxy can reach it. The certificate is trusted through NODE_EXTRA_CA_CERTS, as a company CA is.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { hasIpv6Loopback } from '../helpers/ports.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

const TLS = join(REPO, 'test/fixtures/tls');
const HOST = 'gateway.promptctl.test';
const PASSWORD = 'proxy-pa55word-7Qz';

let open: { close(): unknown }[] = [];
let dir: TempDir | undefined;
afterEach(async () => {
  for (const o of open) await o.close();
  open = [];
  await dir?.remove();
  dir = undefined;
});

/** TLS for gateway.promptctl.test in front of the emulator's plain HTTP. */
async function tlsFront(emu: TestEmulator, host = '127.0.0.1'): Promise<number> {
  const port = Number(new URL(emu.url).port);
  const server: TlsServer = createTlsServer({ key: readFileSync(join(TLS, 'gateway.key')), cert: readFileSync(join(TLS, 'gateway.crt')) }, (s) => {
    const up = connect(port, '127.0.0.1');
    s.pipe(up).pipe(s);
    s.on('error', () => up.destroy());
    up.on('error', () => s.destroy());
  });
  server.listen(0, host);
  await once(server, 'listening');
  open.push({ close: () => new Promise((r) => server.close(r)) });
  return (server.address() as AddressInfo).port;
}

const IPV6 = await hasIpv6Loopback();

/** An HTTP CONNECT proxy on `host` that wants `user:PASSWORD` and reaches every host on 127.0.0.1. */
async function proxy(host = '127.0.0.1'): Promise<{ url: string; tunnels: { target: string; auth: string | undefined }[] }> {
  const tunnels: { target: string; auth: string | undefined }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket) => {
    sockets.add(client);
    const auth = req.headers['proxy-authorization'];
    tunnels.push({ target: req.url ?? '', auth });
    if (auth !== `Basic ${Buffer.from(`user:${PASSWORD}`).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
      return;
    }
    const port = Number((req.url ?? '').split(':').pop());
    const up = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.pipe(client).pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  server.listen(0, host);
  await once(server, 'listening');
  open.push({
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  });
  const at = host.includes(':') ? `[${host}]` : host;
  return { url: `http://user:${PASSWORD}@${at}:${(server.address() as AddressInfo).port}`, tunnels };
}

/** The org at gateway.promptctl.test (its TLS front at `front`), reached through the proxy at `proxyUrl`, its CA trusted. */
function throughProxy(emu: TestEmulator, front: number, proxyUrl: string): Record<string, string | undefined> {
  return {
    ...emu.env,
    GENESYSCLOUD_API_URL: `https://${HOST}:${front}`,
    HTTPS_PROXY: proxyUrl,
    NODE_EXTRA_CA_CERTS: join(TLS, 'gateway.crt'),
    NODE_OPTIONS: undefined,
  };
}

describe('behind an HTTPS proxy', () => {
  it('plans through HTTPS_PROXY with its credentials, and never prints the password', { timeout: 60_000 }, async () => {
    const emu = await startTestEmulator();
    open.push(emu);
    const [front, p] = await Promise.all([tlsFront(emu), proxy()]);
    dir = await fixtureCopy('basic');
    const env = throughProxy(emu, front, p.url);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir.path, env });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('to create');
    expect(p.tunnels.length).toBeGreaterThan(0);
    expect(new Set(p.tunnels.map((t) => t.target))).toEqual(new Set([`${HOST}:${front}`]));
    expect(plan.stdout + plan.stderr).not.toContain(PASSWORD);

    // Wrong credentials: the proxy's refusal in our words, exit 1, the password nowhere.
    const wrong = await runCli(['plan'], { cwd: dir.path, env: { ...env, HTTPS_PROXY: p.url.replace(PASSWORD, 'not-the-pa55word') } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('the proxy refused the connection (HTTP 407: proxy authentication required)');
    expect(wrong.stdout + wrong.stderr).not.toMatch(/not-the-pa55word|pa55word-7Qz/);

    // A proxy that is not there: the refusal is the proxy's, named by host and port alone.
    const closed = await runCli(['plan'], { cwd: dir.path, env: { ...env, HTTPS_PROXY: `http://user:${PASSWORD}@127.0.0.1:9` } });
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/failed: the proxy 127\.0\.0\.1:9 refused the connection \(is it running\?\) \(https:\/\/\S+ through the proxy 127\.0\.0\.1:9\)/);
    expect(closed.stdout + closed.stderr).not.toContain(PASSWORD);

    // (NO_PROXY is checked in test/unit/genesys/proxy.test.ts: a direct try here would ask a resolver.)
  });

  // The proxy's URL keeps an IPv6 address's brackets ([::1]), which were handed on as the host to
  // connect to and looked up as a name: every command failed with "host not found" (ENOTFOUND).
  it.skipIf(!IPV6)('plans through a proxy at an IPv6 address (HTTPS_PROXY=http://[::1]:port)', { timeout: 60_000 }, async () => {
    const emu = await startTestEmulator();
    open.push(emu);
    const [front, p] = await Promise.all([tlsFront(emu), proxy('::1')]);
    dir = await fixtureCopy('basic');
    const env = throughProxy(emu, front, p.url);
    expect(p.url).toMatch(/^http:\/\/user:[^@]+@\[::1\]:\d+$/);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir.path, env });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('to create');
    expect(new Set(p.tunnels.map((t) => t.target))).toEqual(new Set([`${HOST}:${front}`]));
    expect(plan.stdout + plan.stderr).not.toContain(PASSWORD);
  });

  it('refuses a proxy variable that is not an http(s) URL, by name, without echoing it', async () => {
    dir = await fixtureCopy('basic');
    const bad = await runCli(['plan'], { cwd: dir.path, env: { GENESYSCLOUD_API_URL: `https://${HOST}`, GENESYSCLOUD_OAUTHCLIENT_ID: 'a', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'b', HTTPS_PROXY: `socks5://user:${PASSWORD}@127.0.0.1:1080` } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('HTTPS_PROXY must be an http:// or https:// proxy URL');
    expect(bad.stderr).not.toContain(PASSWORD);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

// node:https and node:tls load only for an https URL (scripts/bundle.mjs, genesys/transport.ts): a
// plan straight to an https org, no proxy, still verifies its certificate and name.
describe('straight to an https org', () => {
  it('plans over TLS with the org\'s CA trusted, and refuses a certificate for another name', { timeout: 60_000 }, async () => {
    const emu = await startTestEmulator();
    open.push(emu);
    const front = await tlsFront(emu);
    dir = await fixtureCopy('basic');
    const env = { ...emu.env, GENESYSCLOUD_API_URL: `https://127.0.0.1:${front}`, NODE_EXTRA_CA_CERTS: join(TLS, 'gateway.crt'), NODE_OPTIONS: undefined };
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir.path, env });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('to create');

    // Without the CA, the certificate is not trusted: exit 1 in our words, no stack.
    const untrusted = await runCli(['plan'], { cwd: dir.path, env: { ...env, NODE_EXTRA_CA_CERTS: undefined } });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/certificate/i);
    expect(untrusted.stderr).not.toMatch(/\n\s+at /);

    // Trusted, but the name (::1) is not the certificate's: tls's identity check still runs.
    if (IPV6) {
      const v6 = await tlsFront(emu, '::1');
      const other = await runCli(['plan'], { cwd: dir.path, env: { ...env, GENESYSCLOUD_API_URL: `https://[::1]:${v6}` } });
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/::1/);
      expect(other.stderr).toMatch(/certificate|altnames/i);
    }
  });
});
