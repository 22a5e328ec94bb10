// An interrupt while apply plans lets the reads under way finish; when one of them then fails (a
// 500 from a flaky org), the run still ends as interrupted with nothing applied (exit 130), the
// failure said first. It ended with exit 1 and the error alone, as if nobody had interrupted it:
// a cancelled CI job read as a failed one, and the user was never told that nothing was applied.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyThrough, closeAfterEach, scriptedProxy } from '../helpers/interrupt.js';
import { scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

describe('an apply interrupted while it plans, whose read under way then fails', () => {
  it('says the failure, applies nothing, releases its lock and exits 130', async () => {
    const s = closing(await scenario());
    const proxy = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (!r.late && r.method === 'GET' && r.path.includes('/prompttemplates')) {
          interrupt();
          return { status: 500, code: 'internal.server.error' };
        }
        return 'forward';
      }),
    );
    const r = await applyThrough(s, proxy);
    expect(proxy.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^error: GET \/api\/v2\/llmgateway\/prompttemplates failed: 500/m);
    expect(r.stderr).toMatch(/^Apply interrupted before any change was made; nothing was applied\.$/m);
    expect(r.stderr).not.toMatch(/internal:|at .*\.js:\d+/);
    expect(proxy.seen.filter((x) => x.method !== 'GET' && !x.path.includes('/oauth/'))).toEqual([]);
    expect(existsSync(join(s.dir.path, '.promptctl', 'apply.lock'))).toBe(false);
    // The next apply runs as if it had not been.
    const again = await s.cli(['apply', '--auto-approve']);
    expect(again.code, again.stderr).toBe(0);
  });
});
