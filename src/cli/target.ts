// Opens the org a command works on: a Genesys Cloud org (or any base URL) from the environment,
// or the embedded emulator on a loopback port, with a client per API surface (LLM Gateway, AI
// Studio) on one connection: one access token a run, its pacing under the token's rate limit, one
// pool of sockets. The clients and the emulator are loaded when a target is opened, not when the
// CLI starts.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { CONFIG_FILE } from '../config/discover.js';
import type { ResponseFixture } from '../emulator/responses.js';
import { repositoryRoot } from '../git/repo.js';
import type { FoundByReadInfo, ResponseInfo, RetryInfo } from '../genesys/rest.js';
import type { PacedHold } from '../genesys/ratelimit.js';
import type { AiStudioApi } from '../targets/aistudio/api.js';
import { requiredRight } from '../targets/aistudio/rights.js';
import type { GatewayApi } from '../targets/llmgateway/api.js';
import { ANSWERS_HEADER, type WireTemplate } from '../targets/llmgateway/wire.js';
import { ApiError } from '../genesys/errors.js';
import { MAX_PAGE_SIZE, TOKEN_PATH } from '../genesys/conventions.js';
import type { ModelCatalog } from '../tokens/registry.js';
import type { ConfigResult } from '../load/index.js';
import { createCorrelationTracker, type CorrelationTracker } from '../apply/correlation.js';
import { aiStudioWriteChecks, gatewayWriteChecks, SURFACE_NAMES } from '../kinds/index.js';
import { ENV as GENESYS_ENV, resolveTarget, type Target } from '../genesys/target.js';
import { checkedProxyUrl, proxySettingsFrom, type ProxySettings } from '../genesys/proxy.js';
import { credentialsIn } from '../rules/secrets.js';
import { UserError } from '../util/errors.js';
import { isInside } from '../util/inside.js';
import { maskFound } from '../util/found-credentials.js';
import { visibleName } from '../util/escapes.js';
import { plural } from '../util/plural.js';
import type { CliContext } from './context.js';
import type { SelectedEnvironment } from './environments.js';

/**
 * What opening a target needs of the run. A command builds it with `targetContext`, so the access
 * tokens every target it opens is issued are masked in what it prints (learnSecret is optional
 * only for a caller outside a command: a test's own target).
 */
export type TargetContext = Pick<CliContext, 'cwd' | 'env' | 'track'> &
  Partial<Pick<CliContext, 'info' | 'environment' | 'learnSecret'>> & {
    /** Io.maxAnswerBytes: the most of one answer the clients take in. */
    maxAnswerBytes?: number;
  };

/**
 * The run's context for opening a target in `environment` (another than the run's own, for a
 * probe of a protected org or a promotion's source), its retry notices said through `info` (none:
 * a quiet probe): the one place a command's target learns the run's `learnSecret`.
 */
export function targetContext(ctx: CliContext, use: { environment: SelectedEnvironment | undefined; info?: (line: string) => void }): TargetContext {
  return {
    cwd: ctx.cwd,
    env: ctx.env,
    track: (c) => ctx.track(c),
    learnSecret: (name, value) => ctx.learnSecret(name, value),
    environment: use.environment,
    ...(use.info ? { info: use.info } : {}),
    ...(ctx.io.maxAnswerBytes !== undefined ? { maxAnswerBytes: ctx.io.maxAnswerBytes } : {}),
  };
}

/** Where the embedded emulator (and `promptctl emulator` by default) keeps its state, relative to the working directory. */
export const EMBEDDED_STATE_FILE = '.promptctl/local-state.json';
/** The credentials the embedded emulator (and `promptctl emulator` by default) accepts. */
export const EMBEDDED_CLIENT_ID = 'local-client';
export const EMBEDDED_CLIENT_SECRET = 'local-secret';
const EMBEDDED_RATE_LIMIT = 1_000_000;

export interface OpenTarget {
  /** The LLM Gateway. */
  api: GatewayApi;
  /** AI Studio (guides, summary settings), same host and credentials. */
  aistudio: AiStudioApi;
  /** Where the client notes each call's correlation id, for the apply executor's audit records. */
  correlations: CorrelationTracker;
  /** Safe to print (never a secret). */
  label: string;
  /** What a plan is bound to besides the org id: the API host (stable for the embedded one) and the OAuth client. */
  binding: { host: string; clientId: string };
  /** From now on no failed attempt is resent, by either client (an apply's first interrupt, DESIGN §5). */
  stopResending(): void;
  /** The digest of the canned answers the target's last answer named (ANSWERS_HEADER: an emulator's), for test's cache keys. */
  cannedAnswers?(): string | undefined;
  close(): Promise<void>;
}

/** The target the environment names and its printable label, without connecting to anything. */
export function describeTarget(env: NodeJS.ProcessEnv, environment?: SelectedEnvironment): { target: Target; label: string; stateFile: string } {
  // An environment (--env, DESIGN §6) reads its own <prefix>_* variables and keeps its own embedded state.
  const target = resolveTarget(env, environment?.spec);
  const stateFile = environment?.stateFile ?? EMBEDDED_STATE_FILE;
  const label = target.kind === 'embedded' ? `embedded emulator (state ${stateFile})` : target.label;
  return { target, label: environment ? `${label}${ENVIRONMENT_MARK}${environment.name}` : label, stateFile };
}

/** How a target's label names its environment (`…, environment prod`): what a saved plan records of it. */
const ENVIRONMENT_MARK = ', environment ';

/** The environment a target label (describeTarget's, as a saved plan records it) names; undefined for none. */
export function labelEnvironment(label: string): string | undefined {
  const at = label.lastIndexOf(ENVIRONMENT_MARK);
  if (at < 0) return undefined;
  const name = label.slice(at + ENVIRONMENT_MARK.length);
  // As Config's schema has it (environmentName): anything else is no environment's name.
  return /^[a-z0-9][a-z0-9_-]{0,62}$/.test(name) ? name : undefined;
}

/**
 * The directory above the working directory that holds `file` (a path relative to it: the
 * embedded state, an audit trail), when the working directory holds none and is not the project's
 * root: its prompts directory `promptsDir` is not below it (`cd prompts && promptctl plan --dir .`,
 * `cd scripts && … --dir ../prompts`). Such a run would start an empty org, or a new trail, of its
 * own, since the state and the audit trail are kept under the working directory (DESIGN §3, §5).
 * Looked for up to the repository holding the prompts directory (its `.git`), or without one up to
 * the prompts directory's parent: above is another project. A command without a prompts directory
 * passes the default; a working directory holding promptctl.yaml is then taken for it, and one
 * holding neither is below the project's root when a repository holds it. An absolute
 * `file` is the same file from anywhere: never above.
 */
export function keptAbove(cwd: string, promptsDir: string, file: string): string | undefined {
  if (isAbsolute(file)) return undefined;
  const here = resolve(cwd);
  if (existsSync(join(here, file))) return undefined;
  const given = resolve(here, promptsDir);
  const prompts = !existsSync(given) && existsSync(join(here, CONFIG_FILE)) ? here : given;
  // Run from the project's root. A prompts directory that is not there does not say so
  // (`cd scripts && promptctl status`): the repository above bounds the walk instead.
  if (existsSync(prompts) && prompts !== here && isInside(here, prompts)) return undefined;
  const boundary = repositoryRoot(prompts) ?? dirname(prompts);
  if (!isInside(boundary, here)) return undefined;
  for (let dir = here; dir !== boundary; ) {
    dir = dirname(dir);
    if (existsSync(join(dir, file))) return dir;
  }
  return undefined;
}

/** The note for a run that starts an empty embedded org while a directory above holds one. */
export function embeddedStateAboveNote(cwd: string, stateFile: string, above: string): string {
  const from = relative(cwd, above) || '.';
  return (
    `note: this directory holds no embedded state yet, so this run starts an empty org; ${visibleName(join(from, stateFile))} above holds the org of earlier runs. ` +
    `The embedded state and the audit trail are kept under the working directory: to use that org, run promptctl from ${visibleName(from)} (with --dir).`
  );
}

/**
 * The warning for an apply to an org (not the embedded one, whose note says it) that starts a new
 * audit trail while a directory above holds the trail of earlier applies: the org's history would
 * be split in two, each chain verifying on its own, and the lock beside each trail would not keep
 * two applies apart.
 */
export function trailAboveWarning(cwd: string, trail: string, above: string): string {
  const from = relative(cwd, above) || '.';
  return (
    `warning: this directory holds no audit trail yet, so this apply starts a new one (${visibleName(trail)}); ${visibleName(join(from, trail))} above holds the trail of earlier applies. ` +
    `The audit trail and its lock are kept under the working directory: to keep one trail, run promptctl from ${visibleName(from)} (with --dir).`
  );
}

/**
 * The models of the Config in `dir` (promptctl.yaml; none when there is none), for an emulator to
 * count and price them as the project does. An invalid Config is refused, its problems said at
 * their file:line:column as validate says them (and as --env says them): its models would
 * otherwise be counted in the wrong encoding and cost nothing.
 */
export async function configModels(ctx: CliContext, dir: string, read?: ConfigResult): Promise<{ models: ModelCatalog; file: string }> {
  const { loadConfigFile } = await import('../load/index.js');
  const { config, status, file } = read ?? (await loadConfigFile({ dir, cwd: ctx.cwd }));
  if (status === 'invalid') {
    const { refuseInvalidConfig } = await import('./environments.js');
    return refuseInvalidConfig(ctx, dir, file, `${visibleName(file)} is not valid; the emulator takes the models it defines from it`);
  }
  return { models: config.models, file };
}

/**
 * The Config's models for a target that is the embedded emulator (undefined for a remote one,
 * which prices its own models). A command that has loaded the project passes
 * `state.config.models` instead.
 */
export async function embeddedModels(ctx: CliContext, dir: string, read?: ConfigResult): Promise<ModelCatalog | undefined> {
  if (describeTarget(ctx.env, ctx.environment).target.kind !== 'embedded') return undefined;
  if (ctx.environment) return ctx.environment.config.models;
  return (await configModels(ctx, dir, read)).models;
}

/**
 * The target's prompt templates (listTemplates), for a command that reads nothing else first. A
 * target that does not serve the LLM Gateway (the listing answers 404: an org with AI Studio
 * alone) is refused as plan notes it, naming the API, not with the listing's raw failure.
 */
export async function servedTemplates(api: GatewayApi, opts: Parameters<GatewayApi['listTemplates']>[0], doing: string): Promise<WireTemplate[]> {
  try {
    return await api.listTemplates(opts);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && err.path !== TOKEN_PATH) {
      throw new UserError(`the target does not serve the ${SURFACE_NAMES.llmgateway} API (404 from ${err.method ?? 'GET'} ${err.path ?? 'its listing'}): it holds no prompt templates to ${doing}`);
    }
    throw err;
  }
}

/** Retries waiting at least this long are announced on stderr. */
const NOTICE_DELAY_MS = 1000;

/** `retry 2: GET /api/v2/llmgateway/prompttemplates answered 429; waiting 12.0 s (Retry-After)`. */
export function retryNotice(info: RetryInfo): string {
  // A 2xx is retried only when its body came damaged (a read: genesys/retry.ts): said, since "answered 200" alone reads as a success.
  const what = info.status
    ? info.status >= 200 && info.status < 300
      ? `answered ${info.status} with a body that could not be read`
      : `answered ${info.status}`
    : info.code === 'ETIMEDOUT'
      ? 'timed out'
      : `failed (${info.code ?? 'connection'})`;
  const why = info.retryAfterMs !== undefined ? ' (Retry-After)' : '';
  return `retry ${info.attempt}: ${info.method} ${info.path} ${what}; waiting ${(info.delayMs / 1000).toFixed(1)} s${why}`;
}

/** `listing: GET /api/v2/llmgateway/prompttemplates is read 25 at a time: its pages of 100 were too large to take in`. */
export function smallerPagesNotice(info: { path: string; pageSize: number }): string {
  return `listing: GET ${info.path} is read ${plural(info.pageSize, 'entity', 'entities')} a page: its pages of ${MAX_PAGE_SIZE} were too large to take in`;
}

/** `rate limit: the target allows 300 requests a window, all used; waiting 41.7 s for the next window`. */
export function pacedNotice(hold: PacedHold): string {
  const budget = hold.allowed !== undefined ? ` allows ${plural(hold.allowed, 'request')} a window, all used` : "'s requests for this window are used up";
  return `rate limit: the target${budget}; waiting ${(hold.waitMs / 1000).toFixed(1)} s for the next window`;
}

/**
 * Whether a retry is said on stderr: after a long wait before it (a 429's Retry-After, backing off
 * from 5xx), or after an attempt that timed out, whose own wait was the long one.
 */
export function saysRetry(info: RetryInfo): boolean {
  return info.delayMs >= NOTICE_DELAY_MS || info.code === 'ETIMEDOUT';
}

/** The line every command prints first on stderr. */
export function targetLine(label: string): string {
  return `target: ${label}`;
}

/** What a command may ask of the target it opens. */
export interface OpenTargetOptions {
  /** Canned model answers for the embedded emulator (a test's `responses:`); never sent to a remote org. */
  responses?: ResponseFixture[];
  /** The project's Config `models:`, for the embedded emulator's counts and prices (a remote org knows its own). */
  models?: ModelCatalog;
  /** A probe that must not hold the command up (an unreachable org gives up within seconds, not minutes). */
  quick?: boolean;
  /** A command that only reads: the embedded org's state is not created (an absent one is read as an empty org) nor written. */
  readOnly?: boolean;
  /**
   * A command whose every change needs something on the org (run, test: a call to a version): an
   * absent embedded state is an empty org it can change nothing on, so it is opened as readOnly
   * and not created (one made by a failed run from a subdirectory would hide the state above).
   */
  readOnlyWhileAbsent?: boolean;
}

/**
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY, checked: a value that is not a proxy URL is refused by
 * name (never echoed: it may hold a password). Undefined when none is set.
 */
export function proxyOf(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const s = proxySettingsFrom(env);
  if (!s.http && !s.https) return undefined;
  for (const [value, name] of [[s.http, 'HTTP_PROXY'], [s.https, 'HTTPS_PROXY']] as const) {
    if (!value) continue;
    try {
      checkedProxyUrl(value, name);
    } catch (err) {
      throw new UserError(`${(err as Error).message} (http://[user:password@]host:port)`);
    }
  }
  return s;
}

/** A probe's limits: one short attempt or two. */
const QUICK = { timeoutMs: 5_000, retryBudgetMs: 5_000 };

/**
 * Connects to the target `ctx.env` names (the embedded emulator keeps its state under `ctx.cwd`).
 * The client is tracked on `ctx`, so that its requests count in the PROMPTCTL_STATS line.
 */
export async function openTarget(ctx: TargetContext, opts: OpenTargetOptions = {}): Promise<OpenTarget> {
  const { cwd, env } = ctx;
  const { target, label, stateFile } = describeTarget(env, ctx.environment);
  const proxy = proxyOf(env);
  const [{ RestClient }, { createGatewayClient }, { createAiStudioClient }] = await Promise.all([
    import('../genesys/rest.js'),
    import('../targets/llmgateway/client.js'),
    import('../targets/aistudio/client.js'),
  ]);
  // Every call's correlation id goes to the apply executor's per-action bookkeeping (audit records carry it).
  const correlations = createCorrelationTracker();
  const note = (info: { correlationId?: string; method?: string }): void => correlations.note(info);
  // The canned answers an emulator says it answers from: a results cache must not outlive them.
  let answers: string | undefined;
  const answered = (info: ResponseInfo): void => {
    note(info);
    const said = info.headers?.[ANSWERS_HEADER.toLowerCase()];
    answers = typeof said === 'string' ? said : undefined;
  };
  // A long wait (a 429's Retry-After, backing off from 5xx, a timeout) is said, so a CI log never goes silent.
  // Aborted by stopResending (an apply's first interrupt): the transport's waits end on it at once.
  const stopped = new AbortController();
  const retried = (info: RetryInfo): void => {
    note(info);
    if (saysRetry(info)) ctx.info?.(retryNotice(info));
  };
  // So is a hold for want of rate budget (the client paces itself, so no 429 says it).
  const paced = (hold: PacedHold): void => {
    if (hold.waitMs >= NOTICE_DELAY_MS) ctx.info?.(pacedNotice(hold));
  };
  const connect = (apiUrl: string, loginUrl: string, clientId: string, clientSecret: string, credentialVariables?: { clientId: string; clientSecret: string }) => {
    const common = {
      apiUrl,
      loginUrl,
      clientId,
      clientSecret,
      targetLabel: label,
      onRetry: retried,
      onPaced: paced,
      onResponse: answered,
      // A write its read found applied, its answer lost: the apply's record says how it was known.
      onFoundByRead: (info: FoundByReadInfo) => correlations.note({ ...info, foundByRead: true }),
      stopped: stopped.signal,
      ...(credentialVariables ? { credentialVariables } : {}),
      // Each access token is masked in everything the run prints, like the credentials it came from.
      ...(ctx.learnSecret ? { onSecret: (value: string) => ctx.learnSecret!('the access token', value) } : {}),
      // A credential a server's error quotes (a key it echoes from content) is masked as one in the org's content is (DESIGN §5), a private key's whole block.
      maskCredentials: (text: string) => maskFound(text, credentialsIn),
      ...(opts.quick ? QUICK : {}),
      ...(proxy ? { proxy } : {}),
      ...(ctx.maxAnswerBytes !== undefined ? { maxAnswerBytes: ctx.maxAnswerBytes } : {}),
      // A listing read in smaller pages takes more requests and time than the plan's estimate: said once.
      onSmallerPages: (info: { path: string; pageSize: number }) => ctx.info?.(smallerPagesNotice(info)),
    };
    // Genesys limits requests per token (DESIGN §3) and how fast tokens are made: the surfaces
    // share one token and its budget, as they share the credentials.
    // AI Studio names the permission each call needs: a refused one says which to grant.
    const connection = new RestClient({ ...common, rightOf: requiredRight });
    const api = createGatewayClient({ ...common, landed: gatewayWriteChecks, connection });
    const aistudio = createAiStudioClient({ ...common, landed: aiStudioWriteChecks, connection });
    ctx.track(connection);
    // Each client ends its own waits (a gateway publication pending); the connection is ours to close.
    return { api, aistudio, close: () => Promise.all([api.close(), aistudio.close()]).then(() => connection.close()) };
  };

  if (target.kind === 'remote') {
    // An environment's own variables are what the user must check if the login server refuses them.
    const c = connect(target.apiUrl, target.loginUrl, target.clientId, target.clientSecret, target.credentialVariables);
    return { ...c, correlations, label, binding: { host: new URL(target.apiUrl).host, clientId: target.clientId }, stopResending: () => stopped.abort(), cannedAnswers: () => answers };
  }
  // The embedded default: a real server on 127.0.0.1 and the production client over HTTP.
  const { startEmulator, StateLockedError } = await import('../emulator/server.js');
  const emulator = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    stateFile: join(cwd, stateFile),
    clientId: EMBEDDED_CLIENT_ID,
    clientSecret: EMBEDDED_CLIENT_SECRET,
    // The embedded org is the user's own: Genesys's per-token budget would only slow a local apply.
    rateLimit: EMBEDDED_RATE_LIMIT,
    ...(opts.readOnly || (opts.readOnlyWhileAbsent && !existsSync(join(cwd, stateFile))) ? { readOnly: true } : {}),
    ...(opts.responses?.length ? { responses: opts.responses } : {}),
    ...(opts.models ? { models: opts.models } : {}),
  }).catch((err: unknown) => {
    if (err instanceof StateLockedError) {
      // Two commands on one embedded org: the second waits its turn rather than racing the first.
      // Under --env the environment's own variables name its target; the plain ones are not read.
      const vars = ctx.environment?.spec.vars ?? GENESYS_ENV;
      // The lock is beside the file the state's name stands for (a symbolic link followed).
      const lock = `${err.file}.lock`;
      const shownLock = visibleName(isInside(cwd, lock) ? relative(cwd, lock) : lock);
      throw new UserError(
        `the embedded emulator's state ${stateFile} is in use by another promptctl process (pid ${err.pid}); nothing was done. Run again once it has finished; if it is \`promptctl emulator\` serving this state, point ${vars.apiUrl} (and ${vars.clientId}, ${vars.clientSecret}) at it instead. If no promptctl is running, delete ${shownLock}.`,
      );
    }
    throw err;
  });
  const c = connect(emulator.url, emulator.url, EMBEDDED_CLIENT_ID, EMBEDDED_CLIENT_SECRET);
  return {
    api: c.api,
    aistudio: c.aistudio,
    correlations,
    label,
    // Its port changes every run; the state file is what makes it the same org.
    binding: { host: `embedded (${stateFile})`, clientId: EMBEDDED_CLIENT_ID },
    stopResending: () => stopped.abort(),
    cannedAnswers: () => answers,
    async close() {
      await c.close();
      await emulator.close();
    },
  };
}
