#!/usr/bin/env node
// `npm run bench`: validate, plan (all creates), apply and plan (no changes) of generated prompt
// sets against a `promptctl emulator --latency-ms 25` subprocess, through the built CLI.
// Prints a table (wall time, peak memory, HTTP requests, requests per resource, plan/validate).
//
//   node bench/run.mjs [--sizes 100,1000,5000] [--versions 2] [--latency-ms 25]
//                      [--rate-limit N] [--repeat 3] [--json FILE] [--keep]
//
// Each CLI run sets PROMPTCTL_STATS=1 and reports its own counters on a last stderr line
// (`promptctl-stats {...}`): HTTP requests, retries, 429s, peak RSS, CPU time.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { generatePromptSet } from './generate.mjs';

const REPO = resolve(import.meta.dirname, '..');
const BIN = join(REPO, 'bin', 'promptctl.js');

function parseArgs(argv) {
  const o = { sizes: [100, 1000, 5000], versions: 2, latencyMs: 25, rateLimit: 1_000_000, repeat: 3, json: undefined, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--sizes') o.sizes = next().split(',').map((s) => Number(s.trim()));
    else if (a === '--versions') o.versions = Number(next());
    else if (a === '--latency-ms') o.latencyMs = Number(next());
    else if (a === '--rate-limit') o.rateLimit = Number(next());
    else if (a === '--repeat') o.repeat = Number(next());
    else if (a === '--json') o.json = next();
    else if (a === '--keep') o.keep = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/run.mjs [--sizes 100,1000,5000] [--versions 2] [--latency-ms 25] [--rate-limit N] [--repeat 3] [--json FILE] [--keep]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (o.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--sizes must be positive integers');
  if (!Number.isInteger(o.repeat) || o.repeat < 1) throw new Error('--repeat must be a positive integer');
  return o;
}

/** Runs the CLI to completion; returns exit code, wall ms and the stats line. */
function runCli(args, { cwd, env }) {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...cleanEnv(), ...env, PROMPTCTL_STATS: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stats;
    const tail = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (line.startsWith('promptctl-stats ')) stats = JSON.parse(line.slice('promptctl-stats '.length));
      else {
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, wallMs: performance.now() - started, stats, tail }));
  });
}

function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GENESYSCLOUD_') || k.startsWith('GITHUB_') || k === 'CI') continue;
    env[k] = v;
  }
  env.NO_COLOR = '1';
  return env;
}

/** `promptctl emulator` on a free port; resolves once it prints its URL. */
function startEmulator(stateFile, { latencyMs, rateLimit }) {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [BIN, 'emulator', '--port', '0', '--state', stateFile, '--latency-ms', String(latencyMs), '--rate-limit', String(rateLimit)],
      { env: { ...cleanEnv(), PROMPTCTL_STATS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let emuStats;
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (line.startsWith('emulator-stats ')) emuStats = JSON.parse(line.slice('emulator-stats '.length));
    });
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (line) => {
      const m = /^listening on (\S+)/.exec(line);
      if (!m) return fail(new Error(`emulator said: ${line}`));
      done({
        url: m[1],
        stop: () =>
          new Promise((ok) => {
            child.once('close', () => ok(emuStats));
            child.kill('SIGTERM');
          }),
      });
    });
    child.on('error', fail);
    child.once('exit', (code) => fail(new Error(`emulator exited early (${code})`)));
  });
}

async function benchSize(n, o) {
  const dir = await mkdtemp(join(tmpdir(), `promptctl-bench-${n}-`));
  try {
    const resources = await generatePromptSet(join(dir, 'prompts'), { templates: n, versions: o.versions });
    const emu = await startEmulator(join(dir, 'emulator-state.json'), o);
    const env = {
      GENESYSCLOUD_API_URL: emu.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: 'local-client',
      GENESYSCLOUD_OAUTHCLIENT_SECRET: 'local-secret',
    };
    const rows = [];
    const step = async (name, args, want) => {
      const r = await runCli(args, { cwd: dir, env });
      if (r.code !== want) throw new Error(`${n} templates, ${name}: exit ${r.code} (wanted ${want})\n${r.tail.join('\n')}`);
      process.stderr.write(`  ${n} templates: ${name} ${(r.wallMs / 1000).toFixed(2)} s\n`);
      return { size: n, resources, step: name, wallMs: r.wallMs, ...r.stats };
    };
    let emuStats;
    try {
      rows.push(await step('validate (cold cache)', ['validate'], 0));
      rows.push(await step('plan (all creates)', ['plan', '--detailed-exitcode'], 2));
      rows.push(await step('apply', ['apply', '--auto-approve'], 0));
      // The ratio plan/validate is measured side by side: alternating runs, medians (a shared
      // machine is noisy).
      const warm = [];
      const noChange = [];
      for (let i = 0; i < o.repeat; i++) {
        warm.push(await step('validate (warm cache)', ['validate'], 0));
        noChange.push(await step('plan (no changes)', ['plan', '--detailed-exitcode'], 0));
      }
      rows.push(median(warm), median(noChange));
    } finally {
      emuStats = await emu.stop();
    }
    if (emuStats) process.stderr.write(`  ${n} templates: emulator served ${emuStats.requests} requests (${emuStats.rateLimited} refused with 429)\n`);
    return rows;
  } finally {
    if (!o.keep) await rm(dir, { recursive: true, force: true });
  }
}

function median(rows) {
  const sorted = [...rows].sort((a, b) => a.wallMs - b.wallMs);
  const m = sorted[Math.floor(sorted.length / 2)];
  return { ...m, step: rows.length > 1 ? `${m.step}, median of ${rows.length}` : m.step };
}

function table(rows) {
  const head = ['templates', 'resources', 'step', 'wall s', 'CPU s', 'peak RSS MB', 'HTTP requests', 'req/resource', 'retries', '429s'];
  const body = rows.map((r) => [
    String(r.size),
    String(r.resources),
    r.step,
    (r.wallMs / 1000).toFixed(2),
    (r.cpuMs / 1000).toFixed(2),
    (r.maxRssKb / 1024).toFixed(0),
    String(r.requests),
    r.requests ? (r.requests / r.resources).toFixed(2) : '0',
    String(r.retries),
    String(r.rateLimited),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i === 2 ? ':' : '') + '-'.repeat(w + 1) + (i === 2 ? '' : ':')).join('|')}|`, ...body.map(line)].join('\n');
}

function ratios(rows) {
  const out = [];
  for (const size of [...new Set(rows.map((r) => r.size))]) {
    const get = (step) => rows.find((r) => r.size === size && r.step.startsWith(step));
    const cold = get('validate (cold cache)');
    const warm = get('validate (warm cache)');
    const plan = get('plan (no changes)');
    const apply = get('apply');
    if (!cold || !warm || !plan || !apply) continue;
    out.push(
      `- ${size} templates: plan (no changes) / validate = ${(plan.wallMs / warm.wallMs).toFixed(2)} (warm cache), ` +
        `${(plan.wallMs / cold.wallMs).toFixed(2)} (cold cache); apply ${(apply.requests / (apply.wallMs / 1000)).toFixed(0)} requests/s`,
    );
  }
  return out.join('\n');
}

function machine() {
  return `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM ` +
    `(${(freemem() / 2 ** 30).toFixed(1)} free), Node ${process.version}, ${process.platform}, ${new Date().toISOString().slice(0, 10)}`;
}

const opts = parseArgs(process.argv.slice(2));
process.stderr.write(`promptctl bench: sizes ${opts.sizes.join(', ')}; ${opts.versions} versions each; emulator latency ${opts.latencyMs} ms\n`);
const all = [];
for (const n of opts.sizes) all.push(...(await benchSize(n, opts)));
const report = [
  `machine: ${machine()}`,
  `emulator: latency ${opts.latencyMs} ms per request, rate limit ${opts.rateLimit}/min (high on purpose: the bench measures promptctl, not the budget)`,
  '',
  table(all),
  '',
  ratios(all),
].join('\n');
console.log(report);
if (opts.json) await writeFile(opts.json, JSON.stringify({ machine: machine(), options: opts, rows: all }, null, 2));
