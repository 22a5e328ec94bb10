// The built binary itself (bin/promptctl.js → the one-file build in dist/bundle), for what only a real process
// shows: --version and --help straight from a cold start, the exit codes the shell sees, and the
// PROMPTCTL_STATS line summing the requests of the clients the run opened. Build first
// (`npm run build`); every other CLI test runs in-process.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, REPO, runCli } from '../helpers/cli.js';
import { fixtureCopy, tempDir, type TempDir } from '../helpers/tmp.js';

const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('the promptctl binary', () => {
  it('says so in one line (exit 1, no stack trace) when its working directory has been deleted', async () => {
    dir = await tempDir();
    // A shell in the directory removes it, then starts the binary there (as `cd x; rm -r ../x; promptctl …`).
    const script = `cd gone && rmdir ../gone && exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} validate`;
    mkdirSync(join(dir.path, 'gone'));
    const r = spawnSync('sh', ['-c', script], { cwd: dir.path, env: cleanEnv(), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: the working directory no longer exists (it was deleted or moved); cd into one that does and run again\n');
  });

  // A Ctrl-C or SIGTERM while Node loaded the one-file build (a second or two on a busy runner)
  // killed the process by the signal, saying nothing (a shell said 143 for SIGTERM), though every
  // later moment before a command starts ends it with 130 and "interrupted".
  it.each(['SIGINT', 'SIGTERM'])('ends with 130, saying so, on a %s while the build is loaded', async (signal) => {
    dir = await tempDir();
    // A module hook that sends the signal while the binary imports its loader: deterministic, no timing.
    writeFileSync(join(dir.path, 'hooks.mjs'), `export async function resolve(s, c, next) {\n  if (s.includes('cached-bundle.js')) process.kill(process.pid, ${JSON.stringify(signal)});\n  return next(s, c);\n}\n`);
    writeFileSync(join(dir.path, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
    const r = spawnSync(process.execPath, ['--import', join(dir.path, 'register.mjs'), BIN, 'validate'], { cwd: dir.path, env: cleanEnv(), encoding: 'utf8' });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(130);
    expect(r.stderr).toBe('interrupted\n');
  });

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
    // No NODE_OPTIONS: V8 flags there would make V8 refuse the build's code cache.
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir.path, env: { PROMPTCTL_STATS: '1', NODE_OPTIONS: undefined } });
    expect(plan.code, plan.stderr).toBe(2);
    const last = plan.stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(/^promptctl-stats \{/);
    const stats = JSON.parse(last.slice('promptctl-stats '.length)) as Record<string, number | boolean>;
    const linux = process.platform === 'linux' ? ['mainCpuMs', 'mainWaitMs'] : [];
    expect(Object.keys(stats)).toEqual(['requests', 'retries', 'rateLimited', 'maxRssKb', 'cpuMs', 'wallMs', 'codeCache', ...linux]);
    // The main thread's time is part of the process's (which adds GC and compiler threads).
    if (linux) expect(stats.mainCpuMs).toBeLessThanOrEqual(stats.cpuMs as number);
    expect(stats.codeCache).toBe(true);
    expect(stats.requests).toBeGreaterThan(1);
    expect(stats.retries).toBe(0);

    // got's http2 support (http2-wrapper with node:http2) is never loaded: promptctl does not use it
    // (scripts/bundle.mjs makes it lazy, and TLS too). The preload records the modules the run loaded.
    const preload = join(dir.path, 'modules.cjs');
    const loaded = join(dir.path, 'modules.txt');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, process.moduleLoadList.join('\\n')));\n`);
    const recorded = await runCli(['plan'], { cwd: dir.path, env: { NODE_OPTIONS: `--require ${preload}` } });
    expect(recorded.code, recorded.stderr).toBe(0);
    const modules = readFileSync(loaded, 'utf8').split('\n');
    expect(modules).toContain('NativeModule http');
    expect(modules.filter((m) => /\bhttp2\b/.test(m))).toEqual([]);
    // Nor TLS against plain http (the embedded emulator): it loads for an https org only.
    expect(modules.filter((m) => /\b(https|tls)\b/.test(m))).toEqual([]);

    // A V8 flag in NODE_OPTIONS makes V8 refuse the cache: the run still works, and says so. (One
    // that changes V8's flag hash on Node 20, 22 and 24 alike: Node 24's V8 leaves
    // --max-old-space-size out of it, and takes the cache.)
    const flagged = await runCli(['validate'], { cwd: dir.path, env: { PROMPTCTL_STATS: '1', NODE_OPTIONS: '--stack-trace-limit=20' } });
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(flagged.stderr.trimEnd().split('\n').at(-1)).toMatch(/^promptctl-stats \{.*"codeCache":false[,}]/);
  });

  // A saved plan file is refused at its schema errors' line:column; the positions came from a tree
  // of the whole text (about 36 bytes of memory a byte), so a 64 MB file padded with one unknown
  // field crashed Node at a 256 MB heap (and one past ~110 MB at the default), where README takes
  // plan files up to 256 MiB (a review's probe). Located in one pass now.
  it('refuses a large invalid plan file at its line:column within a small heap', async () => {
    dir = await fixtureCopy('basic');
    const saved = await runCli(['plan', '--out', 'plan.json'], { cwd: dir.path, env: {} });
    expect(saved.code, saved.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir.path, 'plan.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir.path, 'big.json'), JSON.stringify({ ...plan, pad: 'x'.repeat(64 * 1024 * 1024) }, null, 2));
    const r = await runCli(['show', 'big.json'], { cwd: dir.path, env: { NODE_OPTIONS: '--max-old-space-size=256' } });
    expect(r.code, r.stderr.slice(0, 500)).toBe(1);
    expect(r.stderr).toContain('big.json:1:1: error: the plan: unknown field pad [plan/schema]');
  });
});
