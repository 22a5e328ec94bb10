// Shared setup for the AI Studio client's integration tests: a real emulator over HTTP on port 0
// with its state in a temp dir, clients pointed at it, a recording proxy to see the wire, and
// the "did my write land?" checks of the Guide and SummarySetting kinds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.js';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { createAiStudioClient, type AiStudioClientOptions, type AiStudioWriteChecks } from '../../src/targets/aistudio/client.js';
import type { GuideVersionContent } from '../../src/targets/aistudio/wire.js';
import { aiStudioWriteChecks, gatewayWriteChecks } from '../../src/kinds/index.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';

export const CLIENT_ID = 'local-client';
export const CLIENT_SECRET = 'local-secret';

/** "Did my write land?": the Guide and SummarySetting kinds' canonical forms, as the CLI passes them. */
export const writeChecks: AiStudioWriteChecks = aiStudioWriteChecks;

export interface Env {
  dir: string;
  stateFile: string;
  emulator: RunningEmulator;
  client(extra?: Partial<AiStudioClientOptions>): AiStudioApi;
  /** An LLM Gateway client on the same emulator (a plan reads both surfaces). */
  gateway(): GatewayApi;
  /** Stops the emulator and starts it again on the same port and state (optionally other options). */
  restart(opts?: EmulatorOptions): Promise<void>;
  close(): Promise<void>;
}

export async function setup(opts: EmulatorOptions = {}): Promise<Env> {
  const dir = await mkdtemp(join(tmpdir(), 'promptctl-aistudio-'));
  const stateFile = join(dir, 'state.json');
  const clients: { close(): Promise<void> }[] = [];
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
    gateway() {
      const c = createGatewayClient({
        landed: gatewayWriteChecks,
        apiUrl: env.emulator.url,
        loginUrl: env.emulator.url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        targetLabel: 'test emulator',
        backoffBaseMs: 20,
        backoffCapMs: 200,
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

// The wire checks these tests share with the gateway client's.
export { rejection, startRecordingProxy as recordingProxy, type Exchange } from './client-support.js';

export function content(n: number, extra: Partial<GuideVersionContent> = {}): GuideVersionContent {
  return {
    instruction: `Step ${n}: greet the caller, then ask for the order number and store it in {{Variable.orderId}}.`,
    variables: [{ name: 'orderId', type: 'String', scope: 'Output', description: 'The order number' }],
    resources: { dataActions: [{ id: `lookup-${n}`, label: 'Look up order' }] },
    ...extra,
  };
}
