// Which proxy a call goes through: HTTPS_PROXY / HTTP_PROXY and NO_PROXY, as curl and Go read
// them (the lowercase name first; NO_PROXY entries are hosts, domain suffixes, `*`, with an
// optional port). Loopback hosts are never proxied: the embedded emulator and a local one are
// this machine's. Pure: the settings come from the environment the command was given.
import { isLoopbackHost } from '../util/net.js';

export interface ProxySettings {
  /** Proxy for http: targets (HTTP_PROXY). */
  http?: string;
  /** Proxy for https: targets (HTTPS_PROXY). */
  https?: string;
  /** Hosts reached directly (NO_PROXY). */
  noProxy?: string;
}

/** The proxy variables of `env`; an empty value is unset. */
export function proxySettingsFrom(env: NodeJS.ProcessEnv): ProxySettings {
  const read = (name: string): string | undefined => env[name.toLowerCase()] || env[name] || undefined;
  const s: ProxySettings = {};
  const httpProxy = read('HTTP_PROXY');
  const httpsProxy = read('HTTPS_PROXY');
  const noProxy = read('NO_PROXY');
  if (httpProxy) s.http = httpProxy;
  if (httpsProxy) s.https = httpsProxy;
  if (noProxy) s.noProxy = noProxy;
  return s;
}

/**
 * The proxy URL a request to `target` goes through, or undefined to connect directly. With its
 * scheme: the agent parses it as a URL, and a bare `proxy.corp:3128` (accepted, as curl reads
 * it) would otherwise parse as the scheme `proxy.corp:` with no host.
 */
export function proxyFor(target: URL, s: ProxySettings): string | undefined {
  const proxy = target.protocol === 'https:' ? s.https : target.protocol === 'http:' ? s.http : undefined;
  if (!proxy) return undefined;
  const host = bareHost(target.hostname);
  if (isLoopbackHost(host)) return undefined;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (s.noProxy && bypassed(host, port, s.noProxy)) return undefined;
  return withScheme(proxy);
}

/** The proxy URL, checked: an http: or https: URL with a host, or a RangeError naming the variable. */
export function checkedProxyUrl(raw: string, variable: string): URL {
  let u: URL;
  try {
    u = new URL(withScheme(raw));
  } catch {
    throw new RangeError(`${variable} is not a URL`);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) {
    throw new RangeError(`${variable} must be an http:// or https:// proxy URL`);
  }
  return u;
}

/** The passwords of the proxy URLs (as written and decoded): never printed anywhere. */
export function proxyPasswords(s: ProxySettings): string[] {
  const out = new Set<string>();
  for (const raw of [s.http, s.https]) {
    if (!raw) continue;
    try {
      const { password } = new URL(withScheme(raw));
      if (!password) continue;
      out.add(password);
      out.add(decodeURIComponent(password));
    } catch {
      /* checkedProxyUrl says what is wrong with it */
    }
  }
  return [...out];
}

/** A bare host:port is how many set a proxy; curl reads it as http. */
function withScheme(raw: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
}

function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Whether NO_PROXY names the host (exactly, or as a domain it is under), at any port or this one. */
function bypassed(host: string, port: string, noProxy: string): boolean {
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!m) continue;
    const name = bareHost(m[1]!).replace(/^\*?\./, '.');
    if (m[2] !== undefined && m[2] !== port) continue;
    const domain = name.startsWith('.') ? name.slice(1) : name;
    if (host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}
