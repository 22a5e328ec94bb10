// Whose open intents are someone else's to settle (DESIGN §5: the next run resolves every intent
// without an outcome): an intent's run is gone when it is not open in this process and, on this
// host, its pid is dead or now another process's; on another host, when it has been silent too long.
import { hostname } from 'node:os';
import { isAlive, processStart } from '../util/process.js';
import type { AuditRecord } from './record.js';

/** Runs (AuditLog handles) open in this process: their intents are never someone else's to resolve. */
const liveRuns = new Set<string>();

/** A run of this process has opened the trail: its intents are its own. */
export function runOpened(id: string): void {
  liveRuns.add(id);
}

/** That run has closed the trail: an intent it left open is the next run's to settle. */
export function runClosed(id: string): void {
  liveRuns.delete(id);
}

/**
 * The intent's run is gone: not open in this process; on this host, its pid dead or now another
 * process's (started at another moment than the run's); on another host, silent for too long.
 */
export function abandoned(intent: AuditRecord, nowMs: number, abandonAfterMs: number): boolean {
  const run = intent.run;
  if (!run) return true;
  if (liveRuns.has(run.id)) return false;
  if (run.host === hostname()) {
    if (run.pid === process.pid || !isAlive(run.pid)) return true;
    // A pid is reused: one held now by a process that started at another moment is not the run's.
    if (run.started === undefined) return false;
    const now = processStart(run.pid);
    return now !== undefined && now !== run.started;
  }
  const at = Date.parse(intent.timestamp);
  return !Number.isFinite(at) || nowMs - at > abandonAfterMs;
}
