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

/** Query parameters that carry a credential (`?api_key=`, `&token=`, `sig=`): a URL is logged and committed. */
// Names that say credential and nothing else: `partition_key`, `sort.key` or `auth=none` are not one.
const CREDENTIAL_PARAM = /^(?:key|api[-_.]?key|access[-_.]?key|secret(?:[-_.]?key)?|client[-_.]?secret|password|passwd|(?:access[-_.]?|auth[-_.]?|api[-_.]?)?token|sig|signature|code)$/i;

/**
 * Why an audit sink URL cannot be used, or null: a URL, https (plain http only to this machine),
 * and no credential in it (user info, or a query parameter named for one): promptctl.yaml is
 * committed, and the key belongs in the environment (`secretEnv`). Shared by validate (at the
 * URL's line) and the audit log (which turns the sink off).
 */
export function sinkUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `unsupported protocol ${u.protocol} (use https)`;
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) return 'plain http is only allowed for loopback hosts; use https';
  if (u.username !== '' || u.password !== '') return 'it holds a user name or password, which promptctl.yaml (committed to git) must not: sign records with secretEnv instead';
  const param = [...u.searchParams.keys()].find((k) => CREDENTIAL_PARAM.test(k));
  if (param !== undefined) return `its query parameter "${param}" looks like a credential, which promptctl.yaml (committed to git) must not hold: sign records with secretEnv instead`;
  return null;
}

