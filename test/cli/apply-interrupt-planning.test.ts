// An interrupt that comes while apply still plans (or waits at its question) applies nothing and
// ends the run in order. Only the execution heard interrupts: before it, a SIGTERM killed the
// process (exit 143, no word said) and left .promptctl/apply.lock behind for the next apply to break.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyThrough, closeAfterEach, scriptedProxy } from '../helpers/interrupt.js';
import { scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

describe('an apply interrupted while it plans', () => {
  it('finishes the reads under way, applies nothing, releases its lock and exits 130 saying so', async () => {
    const s = closing(await scenario());
    const proxy = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (!r.late && r.method === 'GET' && r.path.includes('/prompttemplates')) interrupt();
        return 'forward';
      }),
    );
    const r = await applyThrough(s, proxy);
    expect(proxy.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^interrupted: nothing will be applied; finishing the reads under way/m);
    expect(r.stderr).toMatch(/^Apply interrupted before any change was made; nothing was applied\.$/m);
    expect(proxy.seen.filter((x) => x.method !== 'GET' && !x.path.includes('/oauth/'))).toEqual([]);
    expect(existsSync(join(s.dir.path, '.promptctl', 'apply.lock'))).toBe(false);
    // No intent was written: the trail, if any, holds no record of this run.
    const trail = join(s.dir.path, '.promptctl', 'audit.jsonl');
    expect(existsSync(trail) ? (await readFile(trail, 'utf8')).trim() : '').toBe('');
    // And the next apply runs as if it had not been.
    const again = await s.cli(['apply', '--auto-approve']);
    expect(again.code, again.stderr).toBe(0);
  });
});
