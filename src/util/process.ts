// Whether a process on this host is still running, and still the one that was: what decides that
// a lock or an open audit intent was left by a dead process (a pid is reused once its process ends).
import { readFileSync } from 'node:fs';

/** Whether `pid` runs: one that has exited and waits to be reaped (`<defunct>`) does not. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !defunct(pid);
}

/**
 * Whether pid has exited and waits for its parent to reap it (`<defunct>`): signal 0 still reaches
 * it. A process killed in a container whose first process reaps no orphans stays so for good, and
 * its lock or open audit intent would be held by nobody. Known where /proc says so (Linux); elsewhere, false.
 */
function defunct(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // "pid (comm) state …": comm may hold spaces and parentheses, so the state follows the last ')'.
  return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
}

let bootId: string | undefined;

/**
 * When process `pid` started, as the kernel counts it ("<boot id>:<clock ticks since boot>"), to
 * tell it from a later process given the same pid; undefined where the system does not say (no
 * /proc: not Linux) or the process is gone.
 */
export function processStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
  // Field 2, the command name, is in parentheses and may hold spaces and ")": the fields after the
  // last ")" start at field 3; field 22 is the start time.
  const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return ticks === undefined ? undefined : `${bootId}:${ticks}`;
}
