// One apply at a time per audit trail (DESIGN §6: each environment its own state, audit file and
// lock): `apply.lock` beside the trail, taken before the trail and the org are read and held to
// the end of the run. A second apply there is refused at once, naming the holder: two at once
// each took the other's creates for its own (a POST of unknown outcome is settled by reading
// the name back) and recorded them twice. A lock whose process died on this host is broken, and
// so is one older than a day (a lock from another host sharing the directory, a reused pid).
import { dirname, join, relative } from 'node:path';
import { makeDirectories } from '../util/atomic-file.js';
import { describeFsError, isFsError, UserError } from '../util/errors.js';
import { visibleName } from '../util/escapes.js';
import { holdFileLock } from '../util/lock.js';

const STALE_MS = 24 * 3_600_000;

/** Takes the apply lock beside `auditFile`; returns its release. */
export async function holdApplyLock(auditFile: string, cwd: string): Promise<() => Promise<void>> {
  const dir = dirname(auditFile);
  const target = join(dir, 'apply');
  const shown = visibleName(relative(cwd, `${target}.lock`) || `${target}.lock`);
  try {
    await makeDirectories(dir);
    return await holdFileLock(target, {
      staleMs: STALE_MS,
      refuse: (holder) =>
        new UserError(`another apply with this audit trail is running (${shown}: ${holder}): wait for it to end, then plan again; if none is running, delete ${shown}. Nothing was applied`),
    });
  } catch (err) {
    // Named as the lock, beside the trail it guards: not as the temp file it is written through.
    if (!isFsError(err)) throw err;
    throw new UserError(`cannot write ${shown}, the apply lock beside the audit trail ${visibleName(relative(cwd, auditFile) || auditFile)}: ${err.code} ${describeFsError(err)}; nothing was applied`);
  }
}
