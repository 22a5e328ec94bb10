// Which proxy a call goes through: HTTPS_PROXY / HTTP_PROXY and NO_PROXY, as curl and Go read
// them (the lowercase name first; NO_PROXY entries are hosts, domain suffixes (of names, not of
// IP addresses), `*`, with an optional port, and IPv6 addresses, bare or in brackets: `::1`,
// `[::1]:443`). Loopback hosts are
// never proxied: the embedded emulator and a local one are this machine's. Pure: the settings
// come from the environment the command was given.
import { isIP } from 'node:net';
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

/** The proxy as the tunnelling agent (hpagent) reads it: these fields, and no others. */
export interface TunnelProxy {
  protocol: string;
  /** The host to connect to: an IPv6 address bare (`::1`). */
  hostname: string;
  port: string;
  username: string;
  password: string;
}

/**
 * The proxy URL (as proxyFor gives it) as the agent is to connect to it. A URL's hostname keeps an
 * IPv6 address's brackets (`[::1]`), and the agent passes it on as the host to connect to, which
 * was then looked up as a name: every call through an IPv6 proxy failed with ENOTFOUND.
 */
export function tunnelProxy(proxy: string): TunnelProxy {
  const u = new URL(proxy);
  return { protocol: u.protocol, hostname: bareHost(u.hostname), port: u.port, username: u.username, password: u.password };
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

/** An IPv6 address in the one spelling a URL gives it (`2001:DB8:0::1` → `2001:db8::1`), as the target's host is. */
function ipv6Spelling(address: string): string {
  try {
    return bareHost(new URL(`http://[${address}]/`).hostname);
  } catch {
    return address; // a zone (fe80::1%eth0): no URL host has one, so it matches none
  }
}

/**
 * A NO_PROXY entry's host (an IPv6 address bare, in its URL spelling) and port, if any: `host`,
 * `host:port`, an IPv6 address alone (`::1`, which cannot take a port) or in brackets, with one
 * or without (`[::1]`, `[::1]:443`). Null for anything else.
 */
function noProxyEntry(entry: string): { name: string; port?: string } | null {
  if (isIP(entry) === 6) return { name: ipv6Spelling(entry) };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return isIP(bracketed[1]!) === 6 ? { name: ipv6Spelling(bracketed[1]!), ...(bracketed[2] !== undefined ? { port: bracketed[2] } : {}) } : null;
  const m = /^([^:[\]]+)(?::(\d+))?$/.exec(entry);
  return m ? { name: m[1]!, ...(m[2] !== undefined ? { port: m[2] } : {}) } : null;
}

/** Whether NO_PROXY names the host (exactly, or as a domain it is under), at any port or this one. */
function bypassed(host: string, port: string, noProxy: string): boolean {
  const literal = isIP(host) !== 0;
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const e = noProxyEntry(entry);
    if (!e) continue;
    if (e.port !== undefined && e.port !== port) continue;
    const name = e.name.replace(/^\*?\./, '.');
    const domain = name.startsWith('.') ? name.slice(1) : name;
    if (host === domain) return true;
    // An IP address has no domains: `0.1` must not take 10.0.0.1 out of the proxy (as curl reads it).
    if (!literal && host.endsWith(`.${domain}`)) return true;
  }
  return false;
}
