// How apply's audit sinks reach their URLs: through the proxy HTTPS_PROXY / NO_PROXY name for the
// sink's host, as the target's own calls go (a CI runner that reaches the internet only through a
// proxy reached the org, then warned that every record's delivery failed), and a failure there
// said as the target's would be: the proxy's refusal, through which proxy.
import { describeProxiedTransport, transportFailure } from '../genesys/failures.js';
import { proxyFor } from '../genesys/proxy.js';
import { tunnelAgents } from '../genesys/connection.js';
import type { SinkOptions } from '../audit/sink.js';
import { proxyOf } from './target.js';

/** A CONNECT answer from the proxy within this, as a sink's own attempt is bounded (sink.ts). */
const PROXY_TIMEOUT_MS = 5_000;

/** The sinks' agents and failure words for this environment, or undefined when no proxy is set (direct). */
export function sinkProxyOptions(env: NodeJS.ProcessEnv): Pick<SinkOptions, 'agentsFor' | 'describeFailure'> | undefined {
  const proxy = proxyOf(env);
  if (!proxy) return undefined;
  return {
    agentsFor: (url) => {
      const via = proxyFor(url, proxy);
      return via === undefined ? undefined : tunnelAgents(via, { keepAlive: false, timeout: PROXY_TIMEOUT_MS });
    },
    describeFailure: (err, url) => {
      const via = proxyFor(url, proxy);
      if (via === undefined) return undefined;
      const host = new URL(via).host; // by host and port alone: its URL may hold credentials
      const attempt = transportFailure(err);
      return attempt.kind === 'transport' ? `${describeProxiedTransport(attempt, host)} (through the proxy ${host})` : undefined;
    },
  };
}
