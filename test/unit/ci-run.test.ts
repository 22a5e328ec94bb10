// .ci/run, the CI entry point, run for real in bash against a stand-in npm: it must close with
// the plain "N passed, N failed" line whether the suite passed or failed, and exit as npm test did.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

describe('.ci/run', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'promptctl-ci-run-'));
    mkdirSync(join(tmp, '.ci'));
    copyFileSync(join(ROOT, '.ci/run'), join(tmp, '.ci/run'));
    mkdirSync(join(tmp, 'bin'));
    // a stand-in npm: `npm ci` succeeds, `npm test` prints vitest's totals and exits $TEST_EXIT
    writeFileSync(
      join(tmp, 'bin', 'npm'),
      '#!/usr/bin/env bash\nif [ "$1" = test ]; then printf \'%b\' "$TEST_OUT"; exit "$TEST_EXIT"; fi\n',
    );
    chmodSync(join(tmp, 'bin', 'npm'), 0o755);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const run = (out: string, exit: number): Promise<{ code: number; stdout: string }> =>
    new Promise((done) =>
      execFile('bash', [join(tmp, '.ci/run')], { env: { PATH: `${join(tmp, 'bin')}:${process.env.PATH}`, TEST_OUT: out, TEST_EXIT: String(exit) } }, (err, stdout) =>
        done({ code: err ? Number((err as { code?: number }).code) : 0, stdout }),
      ),
    );
  const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1)!;

  it('closes with the totals when the suite passes', async () => {
    const r = await run(' Test Files  3 passed (3)\n      Tests  41 passed (41)\n', 0);
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe('41 passed, 0 failed');
  });

  it('closes with the totals when tests fail too, and still exits with npm test\'s status', async () => {
    const r = await run(' Test Files  1 failed | 2 passed (3)\n      Tests  \x1b[31m2 failed\x1b[39m | 39 passed (41)\n', 1);
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout)).toBe('39 passed, 2 failed');
  });

  it('says so when npm test failed before any test ran (the build or type check), and exits with its status', async () => {
    const r = await run('src/x.ts(1,1): error TS2322: Type string is not assignable\n', 2);
    expect(r.code).toBe(2);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(-2)).toEqual(['npm test failed (exit 2) before any test ran: see above', '0 passed, 0 failed']);
  });

  it('says tests ran when npm test was cut short after some (killed, timed out), not that none ran', async () => {
    const r = await run(' \x1b[32m✓\x1b[39m test/unit/a.test.ts (12 tests) 40ms\n ❯ test/cli/b.test.ts (30 tests | 2 skipped)\n', 143);
    expect(r.code).toBe(143);
    expect(r.stdout.trimEnd().split('\n').slice(-2)).toEqual(['npm test ended (exit 143, stopped by signal 15) before its totals, with tests run: see above', '0 passed, 0 failed']);
  });
});
