// Shared setup for the client's integration tests: a real emulator over HTTP on port 0 with its
// state in a temp dir, and clients pointed at it.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.js';
import { expect } from 'vitest';
import { ApiError } from '../../src/genesys/errors.js';
import { type GatewayApi } from '../../src/targets/llmgateway/api.js';
import { createGatewayClient, type ClientOptions } from '../../src/targets/llmgateway/client.js';
import type { FilterCreate, VersionCreate } from '../../src/targets/llmgateway/wire.js';
import { gatewayWriteChecks } from '../../src/kinds/index.js';

export const CLIENT_ID = 'local-client';
export const CLIENT_SECRET = 'local-secret';

export interface Env {
  dir: string;
  stateFile: string;
  emulator: RunningEmulator;
  clients: GatewayApi[];
  client(extra?: Partial<ClientOptions>): GatewayApi;
  /** Stops the emulator and starts it again on the same port (optionally other options/state). */
  restart(opts?: EmulatorOptions): Promise<void>;
  close(): Promise<void>;
}

export async function setup(opts: EmulatorOptions = {}): Promise<Env> {
  const dir = await mkdtemp(join(tmpdir(), 'promptctl-client-'));
  const stateFile = join(dir, 'state.json');
  const env: Env = {
    dir,
    stateFile,
    emulator: await startEmulator({ port: 0, stateFile, ...opts }),
    clients: [],
    client(extra = {}) {
      const c = createGatewayClient({ landed: gatewayWriteChecks,
        apiUrl: env.emulator.url,
        loginUrl: env.emulator.url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        targetLabel: env.emulator.url,
        backoffBaseMs: 20,
        backoffCapMs: 200,
        ...extra,
      });
      env.clients.push(c);
      return c;
    },
    async restart(next = {}) {
      const port = env.emulator.port;
      await env.emulator.close();
      env.emulator = await startEmulator({ stateFile, ...next, port });
    },
    async close() {
      await Promise.all(env.clients.map((c) => c.close()));
      await env.emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return env;
}

/** A gateway client for a hand-made server at `url`: backing off 1 to 5 ms, at most 2 retries. */
export function quickClient(url: string): GatewayApi {
  return createGatewayClient({
    landed: gatewayWriteChecks,
    apiUrl: url,
    loginUrl: url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    targetLabel: url,
    backoffBaseMs: 1,
    backoffCapMs: 5,
    maxRetries: 2,
  });
}

/** The ApiError a call rejects with (the test fails if it resolves, or rejects with anything else). */
export async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

export function versionBody(label: string, extra: Partial<VersionCreate> = {}): VersionCreate {
  return {
    version: label,
    systemInstruction: `You are assistant ${label}.`,
    userTemplate: 'Answer {{question}} briefly.',
    variables: [{ name: 'question', type: 'string', maxLength: 500 }],
    temperature: 0.2,
    ...extra,
  };
}

export function filterBody(name: string, priority: number, extra: Partial<FilterCreate> = {}): FilterCreate {
  return {
    name,
    priority,
    categories: ['pii', 'violence'],
    action: 'redact_and_log',
    thresholds: { pii: 0.4, violence: 0.7 },
    falsePositiveTolerance: 0.1,
    labels: { 'managed-by': 'promptctl' },
    ...extra,
  };
}

export interface Exchange {
  method: string;
  path: string;
  /** The upstream status, or 'dropped' when the upstream connection failed. */
  status: number | 'dropped';
  authorization: string | undefined;
  /** The upstream error body's code, when there was one. */
  code?: string;
  /** The upstream body's length in bytes. */
  bytes: number;
}

export interface RecordingProxy {
  url: string;
  log: Exchange[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy that records every exchange, to see on the wire what the client sends
 * and what the server answers. A failed upstream connection is passed on as a dropped connection.
 */
export async function startRecordingProxy(
  upstream: () => string,
  /** Changes a request body on its way (a server that reads requests its own way). */
  rewrite?: (method: string, path: string, body: Buffer) => Buffer,
  /** Changes an answer's body on its way back (what the server said at an earlier moment). */
  answer?: (method: string, path: string, body: Buffer) => Buffer,
): Promise<RecordingProxy> {
  const log: Exchange[] = [];
  const hop = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Exchange = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        status: 'dropped',
        authorization: req.headers.authorization,
        bytes: 0,
      };
      log.push(entry);
      const headers = Object.entries(req.headers).filter((e): e is [string, string] => !hop.has(e[0]) && typeof e[1] === 'string');
      fetch(new URL(req.url ?? '/', upstream()), {
        method: entry.method,
        headers,
        ...(chunks.length ? { body: rewrite ? rewrite(entry.method, entry.path, Buffer.concat(chunks)) : Buffer.concat(chunks) } : {}),
      }).then(
        async (r) => {
          const received = Buffer.from(await r.arrayBuffer());
          const body = answer ? answer(entry.method, entry.path, received) : received;
          entry.status = r.status;
          entry.bytes = body.length;
          if (r.status >= 400) {
            try {
              entry.code = (JSON.parse(body.toString('utf8')) as { code?: string }).code;
            } catch {
              // not JSON: no code
            }
          }
          // fetch has decoded a gzip answer: it goes on as the plain bytes it now is.
          res.writeHead(r.status, Object.fromEntries([...r.headers].filter(([k]) => !hop.has(k) && k !== 'content-encoding')));
          res.end(body);
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * A hand-made platform on port 0: an access token for anyone, every other request answered by
 * `answer` (a status and a JSON body, or 'drop': the connection cut). `seen` lists each request
 * as "METHOD /path".
 */
export async function scriptedPlatform(answer: (method: string, path: string) => [number, unknown] | 'drop'): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push(`${req.method} ${path}`);
    req.resume();
    req.on('end', () => {
      const reply = path === '/oauth/token' ? ([200, { access_token: 'tok', token_type: 'bearer', expires_in: 3600 }] as [number, unknown]) : answer(req.method ?? 'GET', path);
      if (reply === 'drop') return void res.socket?.destroy();
      res.writeHead(reply[0], { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply[1]));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}
