// `promptctl emulator`: runs the gateway emulator until interrupted (SIGINT/SIGTERM, which the
// entry point turns into Io.onInterrupt), then stops cleanly and exits 130, as apply, test and run
// do after an interrupt (DESIGN §4). It counts and prices the models of the Config in --dir
// (default prompts, under its working directory) as the embedded emulator does, read at start.
// First stdout line: `listening on <url>`; everything else goes to stderr. The secret is never printed.
import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ResponseFixture } from '../emulator/responses.js';
import type { EmulatorOptions } from '../emulator/server.js';
import { parseSurfaces, type Surfaces } from '../emulator/surfaces.js';
import { FAULT_KINDS, type FaultKind } from '../emulator/limits.js';
import { isLoopbackHost } from '../util/net.js';
import { EXIT, UserError } from '../util/errors.js';
import { visibleName } from '../util/escapes.js';
import { plural } from '../util/plural.js';
import type { CliContext } from './context.js';
import { configModels, EMBEDDED_CLIENT_ID, EMBEDDED_CLIENT_SECRET, EMBEDDED_STATE_FILE } from './target.js';

interface Flags {
  port: string;
  host: string;
  state: string;
  clientId: string;
  clientSecret?: string;
  latencyMs: string;
  faultRate: string;
  faultKinds?: string;
  rateLimit: string;
  rateWindowMs: string;
  seed?: string;
  publishDelayMs: string;
  surfaces?: string;
  responses?: string;
  dir: string;
}

export function registerEmulator(program: Command, ctx: CliContext): void {
  program
    .command('emulator')
    .description('run a local Genesys Cloud LLM Gateway emulator (durable state, injectable faults)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--state <file>', 'state file (survives restarts and kill -9)', EMBEDDED_STATE_FILE)
    .option('--client-id <id>', 'OAuth client id to accept', EMBEDDED_CLIENT_ID)
    .option('--client-secret <secret>', `OAuth client secret to accept (default: $${EMULATOR_SECRET_VAR}, which keeps it out of the process list, else ${EMBEDDED_CLIENT_SECRET})`)
    .option('--latency-ms <n>', 'delay added to every API request', '0')
    .option('--fault-rate <p>', 'share (0..1) of API calls that fail: 500, 502, 503, dropped before or after the work', '0')
    .option('--fault-kinds <list>', `the faults --fault-rate draws from, comma-separated (default all: ${FAULT_KINDS.join(',')})`)
    .option('--rate-limit <n>', 'requests per window (a minute) per token before 429', '300')
    .option('--rate-window-ms <n>', 'length of the rate-limit window (shorter for tests)', '60000')
    .option('--seed <n>', 'seed for the fault sequence (deterministic runs)')
    .option('--publish-delay-ms <n>', 'how long a publish job stays Running', '30')
    .option('--surfaces <list>', 'API surfaces to serve, comma-separated: llmgateway,guides,summarysettings, or aistudio for guides and summarysettings (default all; a real org today has only aistudio)')
    .option('--responses <file>', 'canned model answers (YAML or JSON; the format is in README.md, "Running tests": "Canned answers on the emulator"): the first that matches answers a call')
    .option('--dir <dir>', 'prompts directory whose promptctl.yaml `models:` are counted and priced as it says (read at start)', 'prompts')
    .action(async (flags: Flags, cmd: Command) => {
      const options = toOptions(flags, ctx.env);
      // Without --dir, the default prompts directory may be absent; a --dir given must be one.
      // Checked as validate, tokens and drift check theirs (load/project.ts).
      if (cmd.getOptionValueSource('dir') === 'cli') await (await import('../load/project.js')).assertDirectory(resolve(ctx.cwd, flags.dir), flags.dir, ctx.cwd);
      ctx.exitCode = await runEmulator(ctx, options, flags.dir);
    });
}

/** The client secret the emulator accepts, from the environment: a flag's value is shown to every local user by `ps`. */
export const EMULATOR_SECRET_VAR = 'PROMPTCTL_EMULATOR_CLIENT_SECRET';

function toOptions(f: Flags, env: NodeJS.ProcessEnv): EmulatorOptions {
  const host = f.host.trim();
  if (!host) throw new UserError('--host must not be empty');
  return {
    port: intFlag('--port', f.port, 0, 65_535),
    host,
    // Resolved against the working directory, an empty path would name that directory.
    stateFile: nonEmpty('--state', f.state),
    clientId: clientIdFlag(f.clientId),
    clientSecret: f.clientSecret !== undefined ? nonEmpty('--client-secret', f.clientSecret) : nonEmpty(EMULATOR_SECRET_VAR, env[EMULATOR_SECRET_VAR] ?? EMBEDDED_CLIENT_SECRET),
    latencyMs: intFlag('--latency-ms', f.latencyMs, 0, 600_000),
    faultRate: numFlag('--fault-rate', f.faultRate, 0, 1),
    ...(f.faultKinds !== undefined ? { faultKinds: faultKindsFlag(f.faultKinds) } : {}),
    rateLimit: intFlag('--rate-limit', f.rateLimit, 1, 1_000_000_000),
    rateWindowMs: intFlag('--rate-window-ms', f.rateWindowMs, 1, 86_400_000),
    ...(f.seed !== undefined ? { seed: intFlag('--seed', f.seed, 0, 2 ** 32 - 1) } : {}),
    publishDelayMs: intFlag('--publish-delay-ms', f.publishDelayMs, 0, 3_600_000),
    ...(f.surfaces !== undefined ? { surfaces: surfacesFlag(f.surfaces) } : {}),
    ...(f.responses !== undefined ? { responsesFile: nonEmpty('--responses', f.responses) } : {}),
  };
}

async function runEmulator(ctx: CliContext, opts: EmulatorOptions, dir: string): Promise<number> {
  const [{ startEmulator }, { loadResponsesFile }] = await Promise.all([import('../emulator/server.js'), import('../emulator/responses.js')]);
  const { models, file: configFile } = await configModels(ctx, dir);
  const modelCount = Object.keys(models).length;
  // The state file is relative to the run's working directory; messages name it as given.
  const given = opts.stateFile;
  const stateFile = given !== undefined && !isAbsolute(given) ? resolve(ctx.cwd, given) : given;
  // So is the responses file, read (and checked) before anything listens.
  let responses: ResponseFixture[] | undefined;
  if (opts.responsesFile !== undefined) {
    const file = resolve(ctx.cwd, opts.responsesFile);
    try {
      responses = loadResponsesFile(file);
    } catch (err) {
      throw new UserError(`--responses: ${(err as Error).message.split(file).join(opts.responsesFile)}`);
    }
  }
  const { responsesFile: _file, ...rest } = opts;
  let em;
  try {
    em = await startEmulator({ ...rest, ...(stateFile !== undefined ? { stateFile } : {}), ...(responses ? { responses } : {}), ...(modelCount ? { models } : {}) });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new UserError(`port ${opts.port} on ${opts.host} is already in use (another --port, or --port 0 for a free one)`);
    if (e.syscall === 'listen' || e.syscall === 'getaddrinfo') throw new UserError(`cannot listen on ${opts.host}:${opts.port} (${e.code ?? e.message})`);
    if (/state file/.test(e.message)) throw new UserError(stateFile && given ? e.message.split(stateFile).join(given) : e.message);
    throw err;
  }
  const onInterrupt = ctx.io.onInterrupt;
  if (!onInterrupt) {
    await em.close();
    throw new Error('promptctl emulator runs until interrupted, and this run has no interrupt (Io.onInterrupt)');
  }
  ctx.out(`listening on ${em.url}`);
  ctx.info(`emulator: state in ${opts.stateFile}; client id ${opts.clientId} (secret not shown)`);
  const extras = [
    opts.latencyMs ? `latency ${opts.latencyMs} ms` : '',
    opts.faultRate ? `fault rate ${opts.faultRate}${opts.faultKinds ? ` (${opts.faultKinds.join(', ')})` : ''}${opts.seed !== undefined ? ` (seed ${opts.seed})` : ''}` : '',
    opts.rateWindowMs === 60_000 ? `rate limit ${opts.rateLimit}/min per token` : `rate limit ${opts.rateLimit} per ${opts.rateWindowMs} ms per token`,
    opts.surfaces ? `serving ${Object.entries(opts.surfaces).filter(([, on]) => on).map(([k]) => k).join(', ')} only` : '',
    responses ? `${responses.length} canned answer${responses.length === 1 ? '' : 's'} from ${opts.responsesFile}` : '',
    modelCount ? `${plural(modelCount, 'model')} from ${configFile}` : '',
  ].filter(Boolean);
  ctx.info(`emulator: ${extras.join(', ')}`);
  if (!isLoopbackHost(opts.host ?? '')) ctx.info(`warning: ${opts.host} is not a loopback address; anyone who can reach it can use the emulator`);

  // Stay up until interrupted; then stop accepting, finish in-flight writes, exit 130.
  await new Promise<void>((done) => {
    const off = onInterrupt(() => {
      off();
      done();
    });
  });
  await em.close();
  // For benchmarks and tests: what this emulator served, refused (429) and broke on purpose.
  const stats = ctx.env.PROMPTCTL_STATS;
  if (stats && stats !== '0') ctx.info(`emulator-stats ${JSON.stringify(em.stats())}`);
  ctx.info('emulator: stopped');
  return EXIT.interrupted;
}

/** `--surfaces llmgateway,aistudio` (or guides, summarysettings apart): those named are served, the others answer 404 like an org without them. */
function surfacesFlag(raw: string): Surfaces {
  try {
    const s = parseSurfaces(raw);
    if (!Object.values(s).some(Boolean)) throw new RangeError('name at least one surface');
    return s;
  } catch (err) {
    throw new UserError(`--surfaces: ${(err as Error).message}`);
  }
}

/**
 * --fault-kinds: some of FAULT_KINDS, each once. An empty item (`500,`, a list joined by a
 * script) is passed over, as --surfaces does: it names nothing, so nothing is guessed; a list of
 * none is refused. A refusal quotes the flag as given, since the item alone ("") said nothing.
 */
function faultKindsFlag(raw: string): FaultKind[] {
  const kinds = raw.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  const some = `name some of ${FAULT_KINDS.join(', ')}, comma-separated`;
  if (kinds.length === 0) throw new UserError(`--fault-kinds "${visibleName(raw)}" names no fault kind: ${some}`);
  if (unknown.length > 0) {
    throw new UserError(`--fault-kinds "${visibleName(raw)}": ${unknown.map((k) => `"${visibleName(k)}"`).join(', ')} ${unknown.length === 1 ? 'is no fault kind' : 'are no fault kinds'}; ${some}`);
  }
  return [...new Set(kinds)] as FaultKind[];
}

/** A client id Basic authentication can carry: it splits id:secret at the first colon. */
function clientIdFlag(v: string): string {
  if (nonEmpty('--client-id', v).includes(':')) {
    throw new UserError(`--client-id must not contain ":" (an OAuth client sends id:secret in its Basic authorization, split at the first colon), got "${visibleName(v)}"`);
  }
  return v;
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

/** A number written in decimal (0.1, .5, 1e-2); Number() alone also takes 0x1, 0b1 and 0o1, each read as 1. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

function numFlag(name: string, raw: string, min: number, max: number): number {
  const n = DECIMAL.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) throw new UserError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return n;
}
