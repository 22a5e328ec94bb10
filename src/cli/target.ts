// Opens the gateway a command works on: a Genesys Cloud org (or any base URL) from the
// environment, or the embedded emulator on a loopback port. Both go through the same HTTP client.
// The client and the emulator are loaded when a target is opened, not when the CLI starts.
import { join } from 'node:path';
import type { GatewayApi } from '../genesys/api.js';
import { noteCorrelation } from '../apply/correlation.js';
import { resolveTarget, type Target } from '../genesys/target.js';
import { UserError } from '../util/errors.js';

/** Where the embedded emulator (and `promptctl emulator` by default) keeps its state, relative to the working directory. */
export const EMBEDDED_STATE_FILE = '.promptctl/local-state.json';
/** The credentials the embedded emulator (and `promptctl emulator` by default) accepts. */
export const EMBEDDED_CLIENT_ID = 'local-client';
export const EMBEDDED_CLIENT_SECRET = 'local-secret';
const EMBEDDED_RATE_LIMIT = 1_000_000;

export interface OpenTarget {
  api: GatewayApi;
  /** Safe to print (never a secret). */
  label: string;
  close(): Promise<void>;
}

/** The target the environment names and its printable label, without connecting to anything. */
export function describeTarget(env: NodeJS.ProcessEnv): { target: Target; label: string } {
  const target = resolveTarget(env);
  return { target, label: target.kind === 'embedded' ? `embedded emulator (state ${EMBEDDED_STATE_FILE})` : target.label };
}

/** The line every command prints first on stderr. */
export function targetLine(label: string): string {
  return `target: ${label}`;
}

export async function openTarget(cwd: string, env: NodeJS.ProcessEnv): Promise<OpenTarget> {
  const { target, label } = describeTarget(env);
  const { createGatewayClient } = await import('../genesys/client.js');
  // Every call's correlation id goes to the apply executor's per-action bookkeeping (audit records carry it).
  const connect = (apiUrl: string, loginUrl: string, clientId: string, clientSecret: string): GatewayApi =>
    createGatewayClient({ apiUrl, loginUrl, clientId, clientSecret, targetLabel: label, onRetry: noteCorrelation, onResponse: noteCorrelation });

  if (target.kind === 'remote') {
    const api = connect(target.apiUrl, target.loginUrl, target.clientId, target.clientSecret);
    return { api, label, close: () => api.close() };
  }
  // The embedded default: a real server on 127.0.0.1 and the production client over HTTP.
  const { startEmulator, StateLockedError } = await import('../emulator/server.js');
  const emulator = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    stateFile: join(cwd, EMBEDDED_STATE_FILE),
    clientId: EMBEDDED_CLIENT_ID,
    clientSecret: EMBEDDED_CLIENT_SECRET,
    // The embedded org is the user's own: Genesys's per-token budget would only slow a local apply.
    rateLimit: EMBEDDED_RATE_LIMIT,
  }).catch((err: unknown) => {
    if (err instanceof StateLockedError) {
      // Two commands on one embedded org: the second waits its turn rather than racing the first.
      throw new UserError(
        `the embedded emulator's state ${EMBEDDED_STATE_FILE} is in use by another promptctl process (pid ${err.pid}); nothing was done. Run again once it has finished (if no promptctl is running, delete ${EMBEDDED_STATE_FILE}.lock).`,
      );
    }
    throw err;
  });
  const api = connect(emulator.url, emulator.url, EMBEDDED_CLIENT_ID, EMBEDDED_CLIENT_SECRET);
  return {
    api,
    label,
    async close() {
      await api.close();
      await emulator.close();
    },
  };
}
