// `promptctl emulator`: runs the gateway emulator until SIGINT/SIGTERM.
// First stdout line: `listening on <url>`; everything else goes to stderr. The secret is never printed.
import type { Command } from 'commander';
import type { EmulatorOptions } from '../emulator/server.js';
import { isLoopbackHost } from '../genesys/target.js';
import { UserError } from '../util/errors.js';
import { info, out } from './output.js';
import { EMBEDDED_CLIENT_ID, EMBEDDED_CLIENT_SECRET, EMBEDDED_STATE_FILE } from './target.js';

interface Flags {
  port: string;
  host: string;
  state: string;
  clientId: string;
  clientSecret: string;
  latencyMs: string;
  faultRate: string;
  rateLimit: string;
  rateWindowMs: string;
  seed?: string;
  publishDelayMs: string;
}

export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('run a local Genesys Cloud LLM Gateway emulator (durable state, injectable faults)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--state <file>', 'state file (survives restarts and kill -9)', EMBEDDED_STATE_FILE)
    .option('--client-id <id>', 'OAuth client id to accept', EMBEDDED_CLIENT_ID)
    .option('--client-secret <secret>', 'OAuth client secret to accept', EMBEDDED_CLIENT_SECRET)
    .option('--latency-ms <n>', 'delay added to every API request', '0')
    .option('--fault-rate <p>', 'share (0..1) of API calls that fail: 500, 502, 503, dropped before or after the work', '0')
    .option('--rate-limit <n>', 'requests per window (a minute) per token before 429', '300')
    .option('--rate-window-ms <n>', 'length of the rate-limit window (shorter for tests)', '60000')
    .option('--seed <n>', 'seed for the fault sequence (deterministic runs)')
    .option('--publish-delay-ms <n>', 'how long a publish job stays Running', '30')
    .action(async (flags: Flags) => {
      await runEmulator(toOptions(flags));
    });
}

function toOptions(f: Flags): EmulatorOptions {
  const host = f.host.trim();
  if (!host) throw new UserError('--host must not be empty');
  return {
    port: intFlag('--port', f.port, 0, 65_535),
    host,
    stateFile: f.state,
    clientId: nonEmpty('--client-id', f.clientId),
    clientSecret: nonEmpty('--client-secret', f.clientSecret),
    latencyMs: intFlag('--latency-ms', f.latencyMs, 0, 600_000),
    faultRate: numFlag('--fault-rate', f.faultRate, 0, 1),
    rateLimit: intFlag('--rate-limit', f.rateLimit, 1, 1_000_000_000),
    rateWindowMs: intFlag('--rate-window-ms', f.rateWindowMs, 1, 86_400_000),
    ...(f.seed !== undefined ? { seed: intFlag('--seed', f.seed, 0, 2 ** 32 - 1) } : {}),
    publishDelayMs: intFlag('--publish-delay-ms', f.publishDelayMs, 0, 3_600_000),
  };
}

async function runEmulator(opts: EmulatorOptions): Promise<void> {
  const { startEmulator } = await import('../emulator/server.js');
  let em;
  try {
    em = await startEmulator(opts);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new UserError(`port ${opts.port} on ${opts.host} is already in use`);
    if (e.syscall === 'listen' || e.syscall === 'getaddrinfo') throw new UserError(`cannot listen on ${opts.host}:${opts.port} (${e.code ?? e.message})`);
    if (/state file/.test(e.message)) throw new UserError(e.message);
    throw err;
  }
  out(`listening on ${em.url}`);
  info(`emulator: state in ${opts.stateFile}; client id ${opts.clientId} (secret not shown)`);
  const extras = [
    opts.latencyMs ? `latency ${opts.latencyMs} ms` : '',
    opts.faultRate ? `fault rate ${opts.faultRate}${opts.seed !== undefined ? ` (seed ${opts.seed})` : ''}` : '',
    opts.rateWindowMs === 60_000 ? `rate limit ${opts.rateLimit}/min per token` : `rate limit ${opts.rateLimit} per ${opts.rateWindowMs} ms per token`,
  ].filter(Boolean);
  info(`emulator: ${extras.join(', ')}`);
  if (!isLoopbackHost(opts.host ?? '')) info(`warning: ${opts.host} is not a loopback address; anyone who can reach it can use the emulator`);

  // Stay up until a signal; then stop accepting, finish in-flight writes, exit 0.
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await em.close();
  // For benchmarks and tests: what this emulator served, refused (429) and broke on purpose.
  if (process.env.PROMPTCTL_STATS && process.env.PROMPTCTL_STATS !== '0') info(`emulator-stats ${JSON.stringify(em.stats())}`);
  info('emulator: stopped');
}

function nonEmpty(name: string, v: string): string {
  if (!v) throw new UserError(`${name} must not be empty`);
  return v;
}

function intFlag(name: string, raw: string, min: number, max: number): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UserError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function numFlag(name: string, raw: string, min: number, max: number): number {
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new UserError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return n;
}
