// Which gateway promptctl talks to, from the environment (DESIGN §4): a Genesys Cloud region,
// an explicit base URL (e.g. a running emulator), or — with nothing set — the embedded emulator.
import { isIP } from 'node:net';
import { UserError } from '../util/errors.js';

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

export function resolveTarget(env: NodeJS.ProcessEnv): Target {
  const region = read(env, ENV.region);
  const apiUrl = read(env, ENV.apiUrl);
  const loginUrl = read(env, ENV.loginUrl);
  const clientId = read(env, ENV.clientId);
  const clientSecret = read(env, ENV.clientSecret);

  if (!region && !apiUrl && !loginUrl && !clientId && !clientSecret) return { kind: 'embedded' };

  const missing: string[] = [];
  if (!region && !apiUrl) missing.push(`${ENV.region} (or ${ENV.apiUrl})`);
  if (!clientId) missing.push(ENV.clientId);
  if (!clientSecret) missing.push(ENV.clientSecret);
  if (missing.length > 0) {
    throw new UserError(`incomplete Genesys Cloud target: ${missing.join(', ')} not set (${EMBEDDED_HINT})`);
  }

  let api: URL;
  let login: URL;
  let where: string;
  if (apiUrl) {
    // An explicit URL wins over the region: it is the more specific instruction.
    api = parseBaseUrl(ENV.apiUrl, apiUrl);
    login = loginUrl ? parseBaseUrl(ENV.loginUrl, loginUrl) : api;
    where = displayUrl(api);
  } else {
    const domain = regionDomain(region!);
    api = new URL(`https://api.${domain}/`);
    login = loginUrl ? parseBaseUrl(ENV.loginUrl, loginUrl) : new URL(`https://login.${domain}/`);
    where = `Genesys Cloud ${domain}`;
  }
  return {
    kind: 'remote',
    apiUrl: baseString(api),
    loginUrl: baseString(login),
    clientId: clientId!,
    clientSecret: clientSecret!,
    label: `${where} (client ${clientIdHint(clientId!)})`,
  };
}

/** A region given as a Genesys domain or an AWS region name → the domain. */
export function regionDomain(region: string): string {
  const r = region.trim().toLowerCase();
  if ((GENESYS_DOMAINS as readonly string[]).includes(r)) return r;
  const aws = AWS_REGION_DOMAINS[r];
  if (aws) return aws;
  throw new UserError(
    `unknown ${ENV.region} "${region}": use a Genesys Cloud domain (${GENESYS_DOMAINS.join(', ')}) ` +
      `or an AWS region name (${Object.keys(AWS_REGION_DOMAINS).join(', ')})`,
  );
}

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts plain http is allowed to. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** Enough of the client id to tell clients apart; the id is not a secret, but keep labels short. */
export function clientIdHint(clientId: string): string {
  return clientId.length <= 4 ? clientId : `${clientId.slice(0, 4)}…`;
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function parseBaseUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${name} is not a valid URL (expected e.g. https://api.mypurecloud.com)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError(`${name} must be an http(s) URL, not ${url.protocol}`);
  }
  // Credentials in a URL would end up in labels and logs; the client id and secret have their own variables.
  if (url.username || url.password) {
    throw new UserError(`${name} must not contain credentials; use ${ENV.clientId} and ${ENV.clientSecret}`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UserError(
      `${name} uses plain http to ${url.hostname}: only loopback hosts (127.0.0.1, ::1, localhost) may use http; use https`,
    );
  }
  if (url.search || url.hash) throw new UserError(`${name} must not have a query or fragment`);
  return url;
}

/** The base URL as a string ending in "/", ready to prefix relative API paths. */
function baseString(url: URL): string {
  const s = `${url.origin}${url.pathname}`;
  return s.endsWith('/') ? s : `${s}/`;
}

function displayUrl(url: URL): string {
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname.replace(/\/$/, '')}`;
}
