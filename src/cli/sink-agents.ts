// How apply's audit sinks reach their URLs: through the proxy HTTPS_PROXY / NO_PROXY name for the
// sink's host, as the target's own calls go (a CI runner that reaches the internet only through a
// proxy reached the org, then warned that every record's delivery failed).
import { proxyFor } from '../genesys/proxy.js';
import { tunnelAgents } from '../genesys/transport.js';
import type { SinkOptions } from '../audit/sink.js';
import { proxyOf } from './target.js';

/** A CONNECT answer from the proxy within this, as a sink's own attempt is bounded (sink.ts). */
const PROXY_TIMEOUT_MS = 5_000;

/** The sinks' agents for this environment, or undefined when no proxy is set (direct). */
export function sinkAgents(env: NodeJS.ProcessEnv): SinkOptions['agentsFor'] {
  const proxy = proxyOf(env);
  if (!proxy) return undefined;
  return (url) => {
    const via = proxyFor(url, proxy);
    return via === undefined ? undefined : tunnelAgents(via, { keepAlive: false, timeout: PROXY_TIMEOUT_MS });
  };
}
