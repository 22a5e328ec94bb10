// The emulator's HTTP server: its options, checked; login and API paths on one loopback port, each
// request taken through pipeline.ts (Genesys conventions: correlation ids, rate-limit headers,
// ErrorBody; injectable latency, rate limits and faults); jobs resumed at start; a clean close.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ANSWERS_HEADER, CORRELATION_HEADER } from '../targets/llmgateway/wire.js';
import type { ModelCatalog } from '../tokens/registry.js';
import type { Credentials } from './auth.js';
import { ApiFailure, errorBody } from './errors.js';
import { answerUnparsed, sendJson } from './http.js';
import { RenderedPages } from './rendered-pages.js';
import { FAULT_KINDS, FaultInjector, RateLimiter, type FaultKind } from './limits.js';
import { createGatewayRuntime } from './invocations.js';
import type { ResponseFixture } from './responses.js';
import { buildRoutes } from './routes.js';
import { AiStudioRuntime, type AiStudioOptions } from './aistudio.js';
import { servedRoutes, type SurfaceName, type Surfaces } from './surfaces.js';
import { loadWireSchemas } from './schemas.js';
import { JobTimers } from './job-timers.js';
import { goingAway, handle, type Pipeline } from './pipeline.js';
import type { JobRec } from './state.js';
import { Store, StoreClosedError, stateExists } from './store.js';
import { completeJob } from './versions.js';

export { FAULT_KINDS, type FaultKind } from './limits.js';
export { StateLockedError } from './store.js';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** undefined keeps the state in memory only. */
  stateFile?: string;
  /**
   * For a command that only reads (plan, drift, export, status, a promotion check's read of another
   * environment): a state file that is not there is served as an empty org, in memory, and not
   * created; one that is there is read and never written (Store.open's readOnly: the login's token
   * is kept in memory), so the state and its journal are left byte for byte as they were.
   */
  readOnly?: boolean;
  clientId?: string;
  clientSecret?: string;
  /** Delay added to every API request. */
  latencyMs?: number;
  /** Share (0..1) of API calls (not /oauth/token) that fail, evenly among `faultKinds`. */
  faultRate?: number;
  /** The faults drawn (default FAULT_KINDS, every one). */
  faultKinds?: readonly FaultKind[];
  /** Requests per rolling window per token (default 300). */
  rateLimit?: number;
  /** Length of the rate-limit window (default 60,000 ms, as Genesys); shorter ones make tests fast. */
  rateWindowMs?: number;
  seed?: number;
  tokenTtlSeconds?: number;
  /** The org id `GET /api/v2/organizations/me` answers (default: derived from the state file). */
  orgId?: string;
  orgName?: string;
  /**
   * The emulator's clock (default Date.now): token expiry, rate windows, timestamps and when jobs
   * are due. A test passes one it moves by hand, to let time pass without waiting for it.
   */
  now?: () => number;
  /** How long a publish job stays Running (default 30 ms). */
  publishDelayMs?: number;
  /** Canned model answers for /invocations (format: responses.ts); tried before `responsesFile`'s. */
  responses?: ResponseFixture[];
  /** A YAML or JSON file of canned model answers (format: responses.ts), read at start. */
  responsesFile?: string;
  /** Models beside the built-in registry (a project's Config `models:`): how invocations of them are counted and priced. */
  models?: ModelCatalog;
  /** Pause between two streamed invocation deltas (default 10 ms). */
  streamDelayMs?: number;
  /** An idle event stream gets a `: ping` comment this often (default 15,000 ms). */
  pingIntervalMs?: number;
  /**
   * API surfaces served (default all): a switched-off one answers 404 for all its paths, like an
   * org without it. `guides` and `summarysettings` apart, or `aistudio` for both.
   */
  surfaces?: Surfaces;
  /**
   * Surfaces answered with this HTTP status on every path (403: a client without the surface's
   * rights; a 5xx: an org where the feature is switched off, which the Terraform provider takes a
   * 5xx from GET /api/v2/guides to mean). Named as `surfaces` names them: a surface's own key wins
   * over `aistudio`'s.
   */
  refuse?: Partial<Record<SurfaceName, number>>;
  /** AI Studio behaviours where the real platform varies (src/targets/aistudio/assumptions.ts E1, E6). */
  aiStudio?: AiStudioOptions;
}

/**
 * The org this emulator stands for: `orgId`, else one derived from the state file's path (the same
 * org across restarts on the same state; another state file is another org), else a fresh one.
 */
function emulatedOrg(opts: EmulatorOptions): { id: string; name: string } {
  const seed = opts.orgId ?? (opts.stateFile ? `state:${resolvePath(opts.stateFile)}` : randomUUID());
  const h = createHash('sha256').update(`promptctl-emulator-org:${seed}`).digest('hex');
  const id = opts.orgId ?? `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return { id, name: opts.orgName ?? 'Emulated organization' };
}

export interface RunningEmulator {
  url: string;
  port: number;
  stats(): { requests: number; faults: Record<string, number>; rateLimited: number; listingPages: { rendered: number; kept: number } };
  /**
   * Resolves once every job timer armed so far (publish and guide jobs, resumed ones included)
   * has finished its job, durably: what a test awaits instead of polling for a job to end.
   */
  jobsSettled(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkOptions(opts);
  loadWireSchemas();
  // Read before the store opens, so a bad responses file leaves no lock behind.
  const runtime = createGatewayRuntime({
    ...(opts.responses ? { responses: opts.responses } : {}),
    ...(opts.responsesFile ? { responsesFile: opts.responsesFile } : {}),
    latencyMs: opts.latencyMs ?? 0,
    ...(opts.streamDelayMs !== undefined ? { streamDelayMs: opts.streamDelayMs } : {}),
    ...(opts.pingIntervalMs !== undefined ? { pingIntervalMs: opts.pingIntervalMs } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.models ? { models: opts.models } : {}),
    isClosing: () => closing,
  });
  const clock = opts.now ?? Date.now;
  const stateFile = opts.stateFile !== undefined && opts.readOnly && !(await stateExists(opts.stateFile)) ? undefined : opts.stateFile;
  const store = await Store.open(stateFile, clock, { readOnly: opts.readOnly === true });
  const creds: Credentials = { clientId: opts.clientId ?? 'local-client', clientSecret: opts.clientSecret ?? 'local-secret' };
  const ttl = opts.tokenTtlSeconds ?? 86_400;
  const latencyMs = opts.latencyMs ?? 0;
  const publishDelayMs = opts.publishDelayMs ?? 30;
  const limiter = new RateLimiter(opts.rateLimit ?? 300, opts.rateWindowMs ?? 60_000);
  const faults = new FaultInjector(opts.faultRate ?? 0, opts.seed ?? randomInt(2 ** 31), opts.faultKinds);
  const counters = { requests: 0, rateLimited: 0 };
  let closing = false;

  // Publish jobs complete on a timer once their start is durable; Running jobs from a previous run resume.
  const timers = new JobTimers(clock);
  const schedule = (job: JobRec): void =>
    timers.arm(job.id, job.finishAt, (now) => store.transact((s) => ({ value: undefined, changed: completeJob(s, job.id, now) })));
  const aiStudio = new AiStudioRuntime(store, opts.aiStudio, runtime.fixtures, clock);
  const routes = servedRoutes(buildRoutes(schedule, runtime, aiStudio, emulatedOrg(opts)), opts.surfaces);

  const pages = new RenderedPages();
  const pipeline: Pipeline = { clock, store, creds, ttl, latencyMs, publishDelayMs, limiter, faults, counters, routes, pages, refuse: opts.refuse, isClosing: () => closing };
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    counters.requests++;
    if (runtime.answersDigest) res.setHeader(ANSWERS_HEADER, runtime.answersDigest);
    handle(pipeline, req, res).catch((err: unknown) => {
      // Last resort: the pipeline itself failed (or a login met the store closing); never leave the socket hanging.
      const contextId = String(res.getHeader(CORRELATION_HEADER) ?? '');
      if (res.headersSent) return void res.destroy();
      const f = err instanceof StoreClosedError ? goingAway() : new ApiFailure(500, 'internal.server.error', `internal error: ${(err as Error).message}`);
      for (const [k, v] of Object.entries(f.headers)) res.setHeader(k, v);
      sendJson(res, f.status, errorBody(f, contextId));
    });
  });
  // A request the parser refuses is answered by the conventions too, its caller's budget reported unspent (as for any unauthenticated answer).
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => answerUnparsed(err, socket, limiter.peek(`anon:${(socket as Socket).remoteAddress ?? ''}`, clock())));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await store.close(); // releases the state file for the next try
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  const running = await store.transact((s) => ({ value: Object.values(s.jobs).filter((j) => j.status === 'Running'), changed: false }));
  running.forEach(schedule);
  await aiStudio.resume();

  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats: () => ({ requests: counters.requests, faults: { ...faults.counts }, rateLimited: counters.rateLimited, listingPages: { ...pages.counts } }),
    jobsSettled: async () => {
      await Promise.all([timers.settled(), aiStudio.timers.settled()]);
    },
    close: () =>
      (closed ??= (async () => {
        closing = true;
        timers.stop();
        aiStudio.stop();
        const serverClosed = closeServer(server);
        server.closeIdleConnections();
        await store.close(); // every acknowledged write is already on disk; this waits for in-flight ones
        server.closeAllConnections();
        await serverClosed;
      })()),
  };
}

function checkOptions(o: EmulatorOptions): void {
  const bad = (name: string, want: string): never => {
    throw new RangeError(`emulator option ${name} must be ${want}`);
  };
  const int = (v: number | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    if (v !== undefined && (!Number.isInteger(v) || v < min || v > max)) bad(name, `an integer from ${min} to ${max}`);
  };
  int(o.port, 'port', 0, 65_535);
  int(o.latencyMs, 'latencyMs', 0);
  int(o.rateLimit, 'rateLimit', 1);
  int(o.rateWindowMs, 'rateWindowMs', 1);
  int(o.seed, 'seed', 0, 2 ** 32 - 1);
  int(o.tokenTtlSeconds, 'tokenTtlSeconds', 0);
  int(o.publishDelayMs, 'publishDelayMs', 0);
  int(o.streamDelayMs, 'streamDelayMs', 0, 60_000);
  int(o.pingIntervalMs, 'pingIntervalMs', 1);
  if (o.faultRate !== undefined && !(o.faultRate >= 0 && o.faultRate <= 1)) bad('faultRate', 'a number from 0 to 1');
  if (o.faultKinds !== undefined && (o.faultKinds.length === 0 || o.faultKinds.some((k) => !(FAULT_KINDS as readonly string[]).includes(k)))) bad('faultKinds', `some of ${FAULT_KINDS.join(', ')}`);
  if (o.clientId === '' || o.clientSecret === '') bad('clientId/clientSecret', 'non-empty');
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
