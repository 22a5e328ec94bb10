#!/usr/bin/env node
// Warms the one-file build the way people use promptctl, in this one process, then saves V8's
// code cache for it (dist/bundle/promptctl.cjs.cache): everything compiled by then is in it; and
// one beside each precompiled schema module the runs loaded (dist/schema/*.compiled.cjs.cache, …).
// Run by scripts/bundle.mjs in a process of its own, with no V8 flags (a cache made under other
// flags is rejected). Every command must succeed: this is also the bundle's smoke test.
//
// The runs: --help, --version, validate and plan of the example prompts/ (embedded emulator), a
// plan saved and shown, then plan, apply and plan again against an emulator on a loopback port
// (got, OAuth, the executor). All in a temporary directory with its own HOME; nothing outside it is written.
// The directory is a git repository with the prompts committed, as a team's checkout is: a
// function the warm-up never ran is not in the cache and is compiled on first use, and git's
// path (simple-git, provenance) left cold cost a plan in a repository 3 % of its main thread's
// CPU at 1,000 templates. Where git is missing, the warm-up runs outside a repository.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { BUNDLE, loadBundle } from '../dist/cli/cached-bundle.js';
import { replaceFileSync } from '../dist/util/atomic-file.js';

const ROOT = resolve(import.meta.dirname, '..');
const bundle = loadBundle(BUNDLE, 'ignore');
const { run } = bundle.exports;

const dir = mkdtempSync(join(tmpdir(), 'promptctl-code-cache-'));
try {
  cpSync(join(ROOT, 'prompts'), join(dir, 'prompts'), { recursive: true });
  // The machine's environment (what child processes such as git need on every OS), without
  // anything that picks a target, an environment, CI behaviour or a repository (a build run from
  // a git hook has GIT_DIR and GIT_INDEX_FILE: the warm-up's commit must not land in the user's),
  // and with a home of its own.
  const env = { ...process.env, HOME: dir, USERPROFILE: dir, NO_COLOR: '1' };
  for (const k of Object.keys(env)) {
    if (/^(GENESYSCLOUD_|PROMPTCTL_|GITHUB_|GIT_)/.test(k) || k === 'CI' || k === 'FORCE_COLOR' || k === 'NODE_OPTIONS') delete env[k];
  }

  const inRepository = commitPrompts(dir, env);

  // A saved plan read back (show) loads the plan file's schema validators: their cache is saved too.
  const local = [['--help'], ['--version'], ['validate'], ['plan'], ['plan', '--out', 'warm-up.plan.json'], ['show', 'warm-up.plan.json']];
  const remoteRuns = [['plan'], ['apply', '--auto-approve'], ['plan']];
  for (const args of local) {
    const r = await must(args, { env });
    // The warm-up is worth its git repository only if plan ran git's path (provenance on its first line).
    if (inRepository && args[0] === 'plan' && !/· commit [0-9a-f]{12} on main/.test(r.stdout)) {
      throw new Error(`promptctl plan (warming the code cache) did not read the warm-up repository's commit:\n${r.stdout}${r.stderr}`);
    }
  }

  let stop = () => {};
  let listening;
  const url = new Promise((found) => (listening = found));
  const emulator = runCapturing(['emulator', '--port', '0', '--state', join(dir, 'remote-state.json')], {
    env,
    onLine: (line) => {
      const m = /^listening on (\S+)/.exec(line);
      if (m) listening(m[1]);
    },
    onInterrupt: (listener) => {
      stop = listener;
      return () => {};
    },
  });
  const remote = {
    ...env,
    GENESYSCLOUD_API_URL: await Promise.race([url, emulator.then(() => Promise.reject(new Error('the emulator ended before listening')))]),
    GENESYSCLOUD_OAUTHCLIENT_ID: 'local-client',
    GENESYSCLOUD_OAUTHCLIENT_SECRET: 'local-secret',
  };
  for (const args of remoteRuns) await must(args, { env: remote });
  stop();
  const ended = await emulator;
  // Stopped by its interrupt, as a user stops it: 130 (DESIGN §4).
  if (ended.code !== 130) throw new Error(`promptctl emulator ended with ${ended.code}:\n${ended.stderr}`);

  // The precompiled schema validators the runs called stay files of their own: each gets its cache too.
  const generated = bundle.exports.saveGeneratedCaches();
  const cache = bundle.cacheFile();
  // Whole or not at all: a process starting meanwhile reads the old cache or this one.
  replaceFileSync(`${BUNDLE}.cache`, cache);
  const where = inRepository ? 'in a git repository' : 'outside a git repository (git did not run)';
  process.stdout.write(`code cache: ${(cache.length / 1024).toFixed(0)} KiB for ${local.length + remoteRuns.length + 1} warm-up commands (the emulator included), ${where}; ${generated.length} for the precompiled schema validators\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Commits the copied prompts/ to a new repository in DIR (no config of the machine's); false when git cannot. */
function commitPrompts(dir, env) {
  const git = { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(dir, '.gitconfig-none') };
  const identity = ['-c', 'user.name=promptctl build', '-c', 'user.email=build@promptctl.invalid', '-c', 'commit.gpgsign=false'];
  // What the runs write beside prompts/ (the trail, the emulators' state) is not the checkout's.
  writeFileSync(join(dir, '.gitignore'), '.promptctl/\n*state.json*\n');
  try {
    for (const args of [['-c', 'init.defaultBranch=main', 'init', '-q'], ['add', '-A'], [...identity, 'commit', '-q', '-m', 'warm-up']]) {
      execFileSync('git', args, { cwd: dir, env: git, stdio: 'ignore' });
    }
    return true;
  } catch {
    return false;
  }
}

async function must(args, opts) {
  const r = await runCapturing(args, opts);
  if (r.code !== 0) throw new Error(`promptctl ${args.join(' ')} (warming the code cache) exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r;
}

async function runCapturing(args, { env, onLine, onInterrupt }) {
  let stdout = '';
  let stderr = '';
  let pending = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      stdout += chunk;
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        onLine?.(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
      done();
    },
  });
  const err = new Writable({
    write(chunk, _enc, done) {
      stderr += chunk;
      done();
    },
  });
  const code = await run(args, { stdout: out, stderr: err, stdin: Readable.from([]), env, cwd: dir, color: false, onInterrupt });
  return { code, stdout, stderr };
}
