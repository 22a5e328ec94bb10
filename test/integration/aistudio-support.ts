// Shared setup for the AI Studio client's integration tests: a real emulator over HTTP on port 0
// with its state in a temp dir, clients pointed at it, a recording proxy to see the wire, and
// the "did my write land?" checks of the Guide and SummarySetting kinds.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.js';
import { ApiError } from '../../src/genesys/errors.js';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { createAiStudioClient, type AiStudioClientOptions, type AiStudioWriteChecks } from '../../src/targets/aistudio/client.js';
import type { GuideVersionContent } from '../../src/targets/aistudio/wire.js';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';

export const CLIENT_ID = 'local-client';
export const CLIENT_SECRET = 'local-secret';

/** "Did my write land?": the Guide and SummarySetting kinds' canonical forms, as the CLI passes them. */
export const writeChecks: AiStudioWriteChecks = aiStudioWriteChecks;

export interface Env {
  dir: string;
  stateFile: string;
  emulator: RunningEmulator;
  client(extra?: Partial<AiStudioClientOptions>): AiStudioApi;
  /** Stops the emulator and starts it again on the same port and state (optionally other options). */
  restart(opts?: EmulatorOptions): Promise<void>;
  close(): Promise<void>;
}

export async function setup(opts: EmulatorOptions = {}): Promise<Env> {
  const dir = await mkdtemp(join(tmpdir(), 'promptctl-aistudio-'));
  const stateFile = join(dir, 'state.json');
  const clients: AiStudioApi[] = [];
  const env: Env = {
    dir,
    stateFile,
    emulator: await startEmulator({ port: 0, stateFile, publishDelayMs: 10, ...opts }),
    client(extra = {}) {
      const c = createAiStudioClient({
        landed: writeChecks,
        apiUrl: env.emulator.url,
        loginUrl: env.emulator.url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        targetLabel: env.emulator.url,
        backoffBaseMs: 20,
        backoffCapMs: 200,
        jobTimeoutMs: 20_000,
        ...extra,
      });
      clients.push(c);
      return c;
    },
    async restart(next = {}) {
      const port = env.emulator.port;
      await env.emulator.close();
      env.emulator = await startEmulator({ publishDelayMs: 10, stateFile, ...next, port });
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await env.emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return env;
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

export interface Exchange {
  method: string;
  path: string;
  /** The upstream status, or 'dropped' when the upstream connection failed. */
  status: number | 'dropped';
  /** The upstream body's length in bytes. */
  bytes: number;
}

/** A pass-through HTTP proxy that records every exchange; a failed upstream connection is passed on as dropped. */
export async function recordingProxy(upstream: () => string): Promise<{ url: string; log: Exchange[]; close(): Promise<void> }> {
  const log: Exchange[] = [];
  const hop = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Exchange = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] ?? '/', status: 'dropped', bytes: 0 };
      log.push(entry);
      const headers = Object.entries(req.headers).filter((e): e is [string, string] => !hop.has(e[0]) && typeof e[1] === 'string');
      fetch(new URL(req.url ?? '/', upstream()), { method: entry.method, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) }).then(
        async (r) => {
          const body = Buffer.from(await r.arrayBuffer());
          entry.status = r.status;
          entry.bytes = body.length;
          res.writeHead(r.status, Object.fromEntries([...r.headers].filter(([k]) => !hop.has(k))));
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

export function content(n: number, extra: Partial<GuideVersionContent> = {}): GuideVersionContent {
  return {
    instruction: `Step ${n}: greet the caller, then ask for the order number and store it in {{Variable.orderId}}.`,
    variables: [{ name: 'orderId', type: 'String', scope: 'Output', description: 'The order number' }],
    resources: { dataActions: [{ id: `lookup-${n}`, label: 'Look up order' }] },
    ...extra,
  };
}
