// Loopback facts tests need: a port nothing listens on (a target or proxy that is not there), and
// whether this machine listens on ::1 at all (IPv6 tests are skipped where it does not).
import { createServer, type AddressInfo } from 'node:net';

/** A port on `host` that nothing listens on (one just let go). */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Whether this machine can listen on ::1. */
export async function hasIpv6Loopback(): Promise<boolean> {
  const s = createServer();
  try {
    await new Promise<void>((ok, fail) => {
      s.once('error', fail);
      s.listen(0, '::1', ok);
    });
    return true;
  } catch {
    return false;
  } finally {
    if (s.listening) await new Promise((r) => s.close(r));
  }
}
