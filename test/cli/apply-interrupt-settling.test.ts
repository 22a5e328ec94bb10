// An interrupt that comes while apply settles what an earlier run left open ends the run as an
// interrupt (130), even when settling finds that nothing is left to change: it exited 0 and
// printed a whole plan, so a cancelled CI job read as a passed one (DESIGN §4: 130 after an interrupt).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyThrough, closeAfterEach, scriptedProxy } from '../helpers/interrupt.js';
import { scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

describe('an apply interrupted while it settles an earlier run', () => {
  it('finishes the settling reads, says it applied nothing, and exits 130 though nothing is left to change', async () => {
    const s = closing(await scenario());
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    // The earlier run killed after its last call landed, before its outcome was written: the
    // trail cut after that intent (a prefix of a chain verifies), the change live.
    const trail = join(s.dir.path, '.promptctl', 'audit.jsonl');
    const lines = (await readFile(trail, 'utf8')).trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { type: string; intent: number; address: string };
    expect(last.type).toBe('outcome');
    await writeFile(trail, lines.slice(0, -1).join('\n') + '\n');
    // Settling reads the org again once the plan is made: the second listing of templates.
    let listings = 0;
    const proxy = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (!r.late && r.method === 'GET' && r.path.endsWith('/prompttemplates') && ++listings === 2) interrupt();
        return 'forward';
      }),
    );
    const r = await applyThrough(s, proxy);
    expect(proxy.signal.aborted, `no second listing was seen: ${proxy.seen.map((x) => `${x.method} ${x.path}`).join(', ')}`).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`^audit: ${last.address.replace('/', '\\/')} from an earlier run: succeeded \\(recovered\\)`, 'm'));
    expect(r.stderr).toMatch(/^Apply interrupted before any change was made; nothing was applied\.$/m);
    expect(r.code, r.stderr).toBe(130);
    expect(proxy.seen.filter((x) => x.method !== 'GET' && !x.path.includes('/oauth/'))).toEqual([]);
  });
});
