// Shared setup for the client's integration tests: a real emulator over HTTP on port 0 with its
// state in a temp dir, and clients pointed at it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.js';
import type { GatewayApi } from '../../src/genesys/api.js';
import { createGatewayClient, type ClientOptions } from '../../src/genesys/client.js';
import type { FilterCreate, VersionCreate } from '../../src/genesys/wire.js';

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
      const c = createGatewayClient({
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
