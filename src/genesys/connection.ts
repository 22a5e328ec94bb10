// How a target's calls reach its hosts: one got instance (keep-alive sockets per host, got's own
// retries off, requests counted, rate-limit headers read) over agents that go direct or, where the
// environment names a proxy for the host, through a CONNECT tunnel; TLS loaded only when a URL or
// a proxy needs it. What is sent over it, and when again, is the transport's (transport.ts).
import http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';
import got, { type Got } from 'got';
import type { Pacer } from './ratelimit.js';
import { countEvent, type TransportStats } from './stats.js';
import { attemptTimeouts, type HostAgents } from './attempt.js';
import { proxyFor, tunnelProxy, type ProxySettings } from './proxy.js';

/**
 * node:https (with node:tls) and hpagent (which loads node:https) are loaded when a URL or a proxy
 * needs them: TLS is about 7 ms of every start that talks only plain http (the local emulator).
 */
const loadLazily = createRequire(import.meta.url);

/** The https agent's class, loaded then. */
function httpsAgent(options: https.AgentOptions): https.Agent {
  return new (loadLazily('node:https') as typeof https).Agent(options);
}

/**
 * Agents that reach a host through `proxy` (a URL proxyFor gave) by a CONNECT tunnel, for either
 * scheme: the request itself is never shown to the proxy. `timeout` bounds the wait for the proxy's
 * answer to CONNECT (hpagent's 'Proxy timeout'). Also the audit sinks' way out (cli/sink-agents.ts).
 */
export function tunnelAgents(proxy: string, options: { keepAlive: boolean; maxSockets?: number; timeout?: number }): Required<HostAgents> {
  const { HttpProxyAgent, HttpsProxyAgent } = loadLazily('hpagent') as typeof import('hpagent');
  // hpagent takes a URL, and reads of it only what TunnelProxy holds: an IPv6 proxy's host bare.
  const tunnel = { ...options, proxy: tunnelProxy(proxy) as unknown as URL };
  return { http: new HttpProxyAgent(tunnel), https: new HttpsProxyAgent(tunnel) };
}

export interface ConnectionOptions {
  apiUrl: string;
  loginUrl: string;
  timeoutMs: number;
  retryBudgetMs: number;
  concurrency: number;
  userAgent: string;
  /** HTTPS_PROXY, HTTP_PROXY and NO_PROXY of the command's environment (none: connect directly). */
  proxy?: ProxySettings;
}

export interface Connection {
  http: Got;
  /** The sockets to each host: kept alive, through a proxy where the environment names one for it. */
  agents: Record<'api' | 'login', HostAgents>;
  /** The proxy each host is reached through, by host and port alone (its URL may hold credentials); undefined: direct. */
  proxies: Record<'api' | 'login', string | undefined>;
}

/** Opens the sockets and got instance of one transport; `stats` counts its requests and 429s, `pacer` reads paced answers' budgets. */
export function openConnection(opts: ConnectionOptions, stats: TransportStats, pacer: Pacer): Connection {
  const proxyOf = (base: string): string | undefined => (opts.proxy ? proxyFor(new URL(base), opts.proxy) : undefined);
  const via = (base: string): string | undefined => {
    const proxy = proxyOf(base);
    return proxy === undefined ? undefined : new URL(proxy).host;
  };
  // One socket per concurrent request, kept alive between them.
  const sockets = { keepAlive: true, maxSockets: opts.concurrency + 1 };
  // An https agent only if a base URL is https: a target's every call goes to one of them.
  const tls = [opts.apiUrl, opts.loginUrl].some((u) => new URL(u).protocol === 'https:');
  const direct: HostAgents = { http: new http.Agent(sockets), ...(tls ? { https: httpsAgent(sockets) } : {}) };
  const to = (base: string): HostAgents => {
    const proxy = proxyOf(base);
    // got's phase timeouts start only once the tunnel is up: `timeout` bounds the CONNECT, else
    // only the call's budget would.
    if (!proxy) return direct;
    return tunnelAgents(proxy, { ...sockets, timeout: opts.timeoutMs });
  };
  const instance = got.extend({
    agent: direct,
    timeout: attemptTimeouts(opts.timeoutMs, opts.retryBudgetMs),
    retry: { limit: 0 }, // retries are ours: got's would resend POSTs whose outcome is unknown
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
    headers: { 'user-agent': opts.userAgent, accept: 'application/json' },
    hooks: {
      beforeRequest: [() => countEvent(stats, 'requests')],
      afterResponse: [
        (response) => {
          if (response.statusCode === 429) countEvent(stats, 'rateLimited');
          if (response.request.options.context['paced'] === true) pacer.observe(response.headers);
          return response;
        },
      ],
    },
  });
  return { http: instance, agents: { api: to(opts.apiUrl), login: to(opts.loginUrl) }, proxies: { api: via(opts.apiUrl), login: via(opts.loginUrl) } };
}
