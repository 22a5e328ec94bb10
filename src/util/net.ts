// Which hosts count as this machine: credentials, audit records and the emulator's plain http
// are only ever allowed to travel in the clear to them.
import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts plain http is allowed to. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || h === '0:0:0:0:0:0:0:1';
  return false;
}
