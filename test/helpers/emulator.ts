// A real emulator on a loopback port, and the environment that points promptctl at it.
import { startEmulator, type EmulatorOptions, type FaultKind, type RunningEmulator } from '../../src/emulator/server.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { gatewayWriteChecks } from '../../src/kinds/index.js';

/**
 * The injected faults the client retries (all but the 500, which it reads for and does not resend):
 * what a test of converging in one run draws from.
 */
export const RETRIED_FAULTS: readonly FaultKind[] = ['502', '503', 'drop-before', 'drop-after'];

export const CLIENT_ID = 'local-client';
export const CLIENT_SECRET = 'local-secret';

export interface TestEmulator {
  url: string;
  emulator: RunningEmulator;
  /** GENESYSCLOUD_* variables that target this emulator. */
  env: Record<string, string>;
  /** A client of our own, for setting up and checking live state. */
  api: GatewayApi;
  close(): Promise<void>;
}

export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<TestEmulator> {
  const clientId = opts.clientId ?? CLIENT_ID;
  const clientSecret = opts.clientSecret ?? CLIENT_SECRET;
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', publishDelayMs: 5, ...opts, clientId, clientSecret });
  const api = createGatewayClient({ landed: gatewayWriteChecks,
    apiUrl: emulator.url,
    loginUrl: emulator.url,
    clientId,
    clientSecret,
    targetLabel: 'test emulator',
  });
  return {
    url: emulator.url,
    emulator,
    env: {
      GENESYSCLOUD_API_URL: emulator.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: clientSecret,
    },
    api,
    async close() {
      await api.close();
      await emulator.close();
    },
  };
}

/** Runs `fn` with a fresh emulator and always closes it. */
export async function withEmulator<T>(fn: (e: TestEmulator) => Promise<T>, opts: EmulatorOptions = {}): Promise<T> {
  const e = await startTestEmulator(opts);
  try {
    return await fn(e);
  } finally {
    await e.close();
  }
}
