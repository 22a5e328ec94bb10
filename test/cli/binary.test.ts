// The built binary itself (bin/promptctl.js → the one-file build in dist/bundle), for what only a real process
// shows: --version and --help straight from a cold start, the exit codes the shell sees, and the
// PROMPTCTL_STATS line summing the requests of the clients the run opened. Build first
// (`npm run build`); every other CLI test runs in-process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('the promptctl binary', () => {
  it('--version, --help, exit codes and the stats line', async () => {
    dir = await fixtureCopy('basic');
    const [v, help, usage] = await Promise.all([
      runCli(['--version'], { cwd: dir.path }),
      runCli(['--help'], { cwd: dir.path }),
      runCli(['plan', '--no-such-flag'], { cwd: dir.path }),
    ]);
    expect(v).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Usage: promptctl \[options\] \[command\]\n/);
    for (const c of ['validate', 'tokens', 'plan', 'apply', 'drift', 'export', 'audit', 'emulator']) expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("error: unknown option '--no-such-flag'");

    // Against the embedded emulator: exit 2 (changes), and the stats line last, counting its requests.
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir.path, env: { PROMPTCTL_STATS: '1' } });
    expect(plan.code, plan.stderr).toBe(2);
    const last = plan.stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(/^promptctl-stats \{/);
    const stats = JSON.parse(last.slice('promptctl-stats '.length)) as Record<string, number>;
    expect(Object.keys(stats)).toEqual(['requests', 'retries', 'rateLimited', 'maxRssKb', 'cpuMs', 'wallMs']);
    expect(stats.requests).toBeGreaterThan(1);
    expect(stats.retries).toBe(0);
  });
});
