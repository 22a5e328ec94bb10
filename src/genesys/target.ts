// Which gateway promptctl talks to, from the environment (DESIGN §4): a Genesys Cloud region,
// an explicit base URL (e.g. a running emulator), or — with nothing set — the embedded emulator.
import { UserError } from '../util/errors.js';
import { closest } from '../util/suggest.js';
import { isLoopbackHost } from '../util/net.js';
import { clientIdHint } from '../util/client-id.js';

export type Target =
  | { kind: 'embedded' }
  | {
      kind: 'remote';
      apiUrl: string;
      loginUrl: string;
      clientId: string;
      clientSecret: string;
      /** Safe to print: never contains the secret. */
      label: string;
      /** The variables the id and secret came from (an environment's own prefix), for an authentication failure to name. */
      credentialVariables: { clientId: string; clientSecret: string };
    };

export const ENV = {
  region: 'GENESYSCLOUD_REGION',
  apiUrl: 'GENESYSCLOUD_API_URL',
  loginUrl: 'GENESYSCLOUD_LOGIN_URL',
  clientId: 'GENESYSCLOUD_OAUTHCLIENT_ID',
  clientSecret: 'GENESYSCLOUD_OAUTHCLIENT_SECRET',
} as const;

/** The Genesys Cloud environments (DESIGN §3). */
export const GENESYS_DOMAINS = [
  'mypurecloud.com',
  'use2.us-gov-pure.cloud',
  'usw2.pure.cloud',
  'cac1.pure.cloud',
  'sae1.pure.cloud',
  'mxc1.pure.cloud',
  'mypurecloud.ie',
  'euw2.pure.cloud',
  'mypurecloud.de',
  'euc2.pure.cloud',
  'edee1.eusc-pure.cloud',
  'mec1.pure.cloud',
  'aps1.pure.cloud',
  'apse1.pure.cloud',
  'mypurecloud.com.au',
  'mypurecloud.jp',
  'apne2.pure.cloud',
  'apne3.pure.cloud',
] as const;

/** AWS region names, as the Genesys SDKs and the Terraform provider accept them. */
export const AWS_REGION_DOMAINS: Readonly<Record<string, string>> = {
  'us-east-1': 'mypurecloud.com',
  'us-east-2': 'use2.us-gov-pure.cloud',
  'us-west-2': 'usw2.pure.cloud',
  'ca-central-1': 'cac1.pure.cloud',
  'sa-east-1': 'sae1.pure.cloud',
  'mx-central-1': 'mxc1.pure.cloud',
  'eu-west-1': 'mypurecloud.ie',
  'eu-west-2': 'euw2.pure.cloud',
  'eu-central-1': 'mypurecloud.de',
  'eu-central-2': 'euc2.pure.cloud',
  'eusc-de-east-1': 'edee1.eusc-pure.cloud',
  'me-central-1': 'mec1.pure.cloud',
  'ap-south-1': 'aps1.pure.cloud',
  'ap-southeast-1': 'apse1.pure.cloud',
  'ap-southeast-2': 'mypurecloud.com.au',
  'ap-northeast-1': 'mypurecloud.jp',
  'ap-northeast-2': 'apne2.pure.cloud',
  'ap-northeast-3': 'apne3.pure.cloud',
};

const EMBEDDED_HINT = `unset all GENESYSCLOUD_* variables to use the embedded emulator`;

/** The names of the variables a target is read from: ENV, or an environment's `<prefix>_*` (DESIGN §6). */
export interface TargetVariables {
  region: string;
  apiUrl: string;
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

/** `<prefix>_REGION`, `_API_URL`, `_LOGIN_URL`, `_OAUTHCLIENT_ID`, `_OAUTHCLIENT_SECRET`. */
export function targetVariables(prefix: string): TargetVariables {
  return {
    region: `${prefix}_REGION`,
    apiUrl: `${prefix}_API_URL`,
    loginUrl: `${prefix}_LOGIN_URL`,
    clientId: `${prefix}_OAUTHCLIENT_ID`,
    clientSecret: `${prefix}_OAUTHCLIENT_SECRET`,
  };
}

/** A named environment's target: its variables, and the host its config gives (the variables win). */
export interface EnvironmentTargetSpec {
  /** The environment's name, for messages. */
  name: string;
  vars: TargetVariables;
  /** From the config; used when neither the region nor the API URL variable is set. */
  region?: string;
  apiUrl?: string;
  loginUrl?: string;
}

export function resolveTarget(env: NodeJS.ProcessEnv, named?: EnvironmentTargetSpec): Target {
  const vars = named?.vars ?? ENV;
  let region = read(env, vars.region);
  let apiUrl = read(env, vars.apiUrl);
  let loginUrl = read(env, vars.loginUrl);
  const clientId = read(env, vars.clientId);
  const clientSecret = read(env, vars.clientSecret);

  if (!region && !apiUrl && !loginUrl && !clientId && !clientSecret) return { kind: 'embedded' };

  // Names for messages: a variable, or where in promptctl.yaml a value came from.
  const names = { ...vars };
  const fromConfig = { api: false, login: false };
  if (named && !region && !apiUrl) {
    const at = (field: string) => `environments.${named.name}.${field} in promptctl.yaml`;
    if (named.apiUrl) [apiUrl, names.apiUrl, fromConfig.api] = [named.apiUrl, at('apiUrl'), true];
    if (named.region) [region, names.region] = [named.region, at('region')];
    // The config's login host goes with the config's host only: where a variable names the host,
    // the credentials go to that host's login, never to the config's (another org's).
    if (!loginUrl && named.loginUrl) [loginUrl, names.loginUrl, fromConfig.login] = [named.loginUrl, at('loginUrl'), true];
  }

  const missing: string[] = [];
  if (!region && !apiUrl) missing.push(`${vars.region} (or ${vars.apiUrl}${named ? `, or region in environment ${named.name} of promptctl.yaml` : ''})`);
  if (!clientId) missing.push(vars.clientId);
  if (!clientSecret) missing.push(vars.clientSecret);
  if (missing.length > 0) {
    const prefix = vars.clientId.replace(/_OAUTHCLIENT_ID$/, '');
    const hint = named ? `set ${missing.length === 1 ? 'it' : 'them'}, or unset every ${prefix}_* variable to use environment ${named.name}'s embedded emulator` : EMBEDDED_HINT;
    throw new UserError(`incomplete Genesys Cloud target${named ? ` for environment ${named.name}` : ''}: ${missing.join(', ')} not set (${hint})`);
  }

  let api: URL;
  let login: URL;
  let where: string;
  if (apiUrl) {
    // An explicit URL wins over the region: it is the more specific instruction.
    api = parseBaseUrl(names.apiUrl, apiUrl, names);
    login = loginUrl ? parseBaseUrl(names.loginUrl, loginUrl, names) : defaultLogin(api);
    where = displayUrl(api);
  } else {
    const domain = regionDomain(region!, names.region);
    api = new URL(`https://api.${domain}/`);
    login = loginUrl ? parseBaseUrl(names.loginUrl, loginUrl, names) : new URL(`https://login.${domain}/`);
    where = `Genesys Cloud ${domain}`;
  }
  // Checked before anything is sent: the read of a remote target starts while the files load.
  if (named && fromConfig.api) checkConfigHost(names.apiUrl, api, named.name, vars.apiUrl, vars);
  if (named && fromConfig.login) checkConfigHost(names.loginUrl, login, named.name, vars.loginUrl, vars);
  return {
    kind: 'remote',
    apiUrl: baseString(api),
    loginUrl: baseString(login),
    clientId: clientId!,
    clientSecret: clientSecret!,
    label: `${where}${clientPart(clientId!)}`,
    credentialVariables: { clientId: vars.clientId, clientSecret: vars.clientSecret },
  };
}

/**
 * The login host for an API base URL given without one. A Genesys Cloud API host
 * (`https://api.<domain>/`) logs in at `https://login.<domain>/`, as the official SDK derives it
 * (configuration.js setEnvironment): the API host serves no /oauth/token. Any other base URL (an
 * emulator, a gateway) serves both.
 */
export function defaultLogin(api: URL): URL {
  const host = api.hostname.toLowerCase();
  const domain = host.startsWith('api.') ? host.slice(4) : undefined;
  if (api.protocol === 'https:' && !api.port && api.pathname === '/' && domain && (GENESYS_DOMAINS as readonly string[]).includes(domain)) {
    return new URL(`https://login.${domain}/`);
  }
  return api;
}

/** A region given as a Genesys domain or an AWS region name → the domain. */
export function regionDomain(region: string, name: string = ENV.region): string {
  const r = region.trim().toLowerCase();
  if ((GENESYS_DOMAINS as readonly string[]).includes(r)) return r;
  const aws = AWS_REGION_DOMAINS[r];
  if (aws) return aws;
  const meant = regionMeant(withoutUserinfo(r));
  throw new UserError(
    `unknown ${name} "${shownRegion(region)}"${meant ? ` (did you mean "${meant}"?)` : ''}: use a Genesys Cloud domain (${GENESYS_DOMAINS.join(', ')}) ` +
      `or an AWS region name (${Object.keys(AWS_REGION_DOMAINS).join(', ')})`,
  );
}

/**
 * A region as an error may echo it: no region holds an `@`, a `?` or a `#`, so what an address pasted
 * there carries in its `user:password@` part, its query or its fragment (a login page's token) is
 * shown as `[redacted]`.
 */
function shownRegion(region: string): string {
  return withoutUserinfo(region, '[redacted]@').replace(/([?#])[^]*$/, '$1[redacted]');
}

/**
 * An address with what its `user:password@` part held (a URL pasted with its credentials) left out,
 * or shown as `shown`: a password is never echoed, and the host after it is the one meant.
 */
function withoutUserinfo(address: string, shown = ''): string {
  // With its scheme or without one (`user:password@apps.usw2.pure.cloud`): no region holds an `@`.
  return address.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?)[^/?#@]*@/i, `$1${shown}`);
}

/**
 * The region an unknown one (lower-cased) most likely means: the domain of an org's address pasted
 * whole (`https://apps.usw2.pure.cloud/`, `api.mypurecloud.com.au`), else a name a typo away.
 */
function regionMeant(r: string): string | undefined {
  const host = r.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/?#:].*$/, '');
  // The longest first: apps.mypurecloud.com.au is in mypurecloud.com.au, not mypurecloud.com.
  const domain = [...GENESYS_DOMAINS].sort((a, b) => b.length - a.length).find((d) => host === d || host.endsWith(`.${d}`));
  return domain ?? closest(r, [...GENESYS_DOMAINS, ...Object.keys(AWS_REGION_DOMAINS)]);
}

/** The part of a remote target's label that names its OAuth client. */
function clientPart(clientId: string): string {
  return ` (client ${clientIdHint(clientId)})`;
}

/**
 * A target's label without the OAuth client it names: where the calls go. A plan made by one
 * client of an org (a pull request's read-only one) is applied by another (the merge's, which
 * writes): the org they both read decides (plan/org.ts), not the client.
 */
export function targetPlace(label: string): string {
  return label.replace(/ \(client [^()]*\)/, '');
}


/** What each of a target's variables is named after its prefix (ENV's, an environment's `<prefix>_*`). */
const TARGET_SUFFIXES = ['_REGION', '_API_URL', '_LOGIN_URL', '_OAUTHCLIENT_ID', '_OAUTHCLIENT_SECRET'] as const;

/**
 * The variables set under the target's prefix that name none of its variables
 * (GENESYSCLOUD_CLIENT_ID, another tool's GENESYSCLOUD_ACCESS_TOKEN), sorted: with none of its own
 * set, the target is the embedded emulator, which the user who set them meant no more than an
 * org. Another prefix's variables under it (an environment's GENESYSCLOUD_DEV_OAUTHCLIENT_ID) are
 * that environment's, not unread. Names only: their values may be secrets.
 */
export function unreadTargetVariables(env: NodeJS.ProcessEnv, vars: TargetVariables = ENV): string[] {
  const prefix = `${vars.clientId.slice(0, -'_OAUTHCLIENT_ID'.length)}_`;
  const own = new Set<string>(Object.values(vars));
  // A target variable under a longer prefix (GENESYSCLOUD_DEV_REGION) is an environment's, not unread.
  const anotherPrefix = (name: string) => TARGET_SUFFIXES.some((s) => name.endsWith(s) && name.length > prefix.length + s.length);
  return Object.keys(env)
    .filter((name) => name.startsWith(prefix) && !own.has(name) && !anotherPrefix(name) && read(env, name) !== undefined)
    .sort();
}

/**
 * The variables set that are the target variables of the environments whose credentials prefixes
 * are `prefixes` (the config's: GENESYSCLOUD_DEV, PCTL_PROD), sorted, with the prefixes they are
 * under: read only with --env, so a run without it has no target from them. The config's prefixes,
 * not a guess from the names, since any prefix may be an environment's and a GENESYSCLOUD_QA_*
 * no environment names is none. Names only: their values may be secrets.
 */
export function environmentTargetVariables(env: NodeJS.ProcessEnv, prefixes: readonly string[]): { names: string[]; prefixes: string[] } {
  const found = [...new Set(prefixes)].flatMap((prefix) => TARGET_SUFFIXES.map((s) => ({ prefix, name: `${prefix}${s}` })).filter(({ name }) => read(env, name) !== undefined));
  return { names: found.map((f) => f.name).sort(), prefixes: [...new Set(found.map((f) => f.prefix))].sort() };
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** A base URL (an API or login URL) as promptctl accepts it, or a UserError naming `name` (validate checks promptctl.yaml's with it). */
export function parseBaseUrl(name: string, value: string, vars: Pick<TargetVariables, 'clientId' | 'clientSecret'> = ENV): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The example is the kind of host the name asks for: a login URL is not an API's.
    const example = /login/i.test(name) ? 'https://login.mypurecloud.com' : 'https://api.mypurecloud.com';
    throw new UserError(`${name} is not a valid URL (expected e.g. ${example})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError(`${name} must be an http(s) URL, not ${url.protocol}`);
  }
  // Credentials in a URL would end up in labels and logs; the client id and secret have their own variables.
  if (url.username || url.password) {
    throw new UserError(`${name} must not contain credentials; use ${vars.clientId} and ${vars.clientSecret}`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UserError(
      `${name} uses plain http to ${url.hostname}: only loopback hosts (127.0.0.1, ::1, localhost) may use http; use https`,
    );
  }
  if (url.search || url.hash) throw new UserError(`${name} must not have a query or fragment`);
  // The API's own path prefix, copied with the host from an example call: every path promptctl
  // calls starts with it already, so requests went to /api/v2/api/v2/… (a 404 read as "the target
  // does not serve the LLM Gateway") and the token to /api/v2/oauth/token (a 401 read as bad
  // credentials). A path before it (a gateway in front of the API) is kept.
  const apiPrefix = /\/api\/v2\/?$/i.exec(url.pathname);
  if (apiPrefix) {
    const base = `${url.origin}${url.pathname.slice(0, apiPrefix.index)}`;
    throw new UserError(`${name} ends in ${apiPrefix[0].replace(/\/$/, '')}, which promptctl adds to every call itself: set it to ${base} (the host, without the API's path)`);
  }
  return url;
}

/**
 * A host promptctl.yaml may send an environment's client credentials to: a Genesys Cloud one
 * (`https://api.<domain>` or `https://login.<domain>` of GENESYS_DOMAINS) or this machine (an
 * emulator). The config is a file in git, which a pull request changes, and plan sends the
 * credentials CI holds for the environment to its host: any other host is named by the
 * environment's variable (`variable`), set where the credentials are. A UserError otherwise.
 */
export function checkConfigHost(name: string, url: URL, environment: string, variable: string, vars: Pick<TargetVariables, 'clientId' | 'clientSecret'>): void {
  if (isLoopbackHost(url.hostname) || isGenesysHost(url)) return;
  throw new UserError(
    `${name} names ${url.origin}, which is not a Genesys Cloud host: environment ${environment} would send its client credentials (${vars.clientId}, ${vars.clientSecret}) there, ` +
      `and promptctl.yaml is changed by pull requests like any file in git. Give a region (or a Genesys Cloud URL such as https://api.mypurecloud.com), ` +
      `or set ${variable} where the credentials are set to use another host`,
  );
}

/** `https://api.<domain>` or `https://login.<domain>` of a Genesys Cloud environment, on the default port. */
function isGenesysHost(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const m = /^(?:api|login)\.(.+)$/.exec(host);
  return url.protocol === 'https:' && url.port === '' && m !== null && (GENESYS_DOMAINS as readonly string[]).includes(m[1]!);
}

/** The base URL as a string ending in "/", ready to prefix relative API paths. */
function baseString(url: URL): string {
  const s = `${url.origin}${url.pathname}`;
  return s.endsWith('/') ? s : `${s}/`;
}

function displayUrl(url: URL): string {
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname.replace(/\/$/, '')}`;
}
