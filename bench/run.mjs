#!/usr/bin/env node
// `npm run bench`: promptctl's figures, each as a ratio to a floor measured in the same run, on
// the same machine, under the same load:
//
//   start-up             `--version` and `validate` of the example prompts/ vs `node -e 0`
//                        (and validate vs --version)
//   validate             vs the YAML floor: a Node process that only reads the same files and
//                        parses them with yaml's parseAllDocuments (bench/yaml-floor.mjs)
//   plan (no changes)    vs validate of the same files, after an apply (then again with the
//                        files committed to a git repository)
//   apply requests       vs the contract minimum (formula in bench/contract.mjs)
//   rate-limited apply   wall time vs requests ÷ the allowed rate, and the 429s it met
//   long text            validate of a text indented with U+3000 vs the same with ASCII spaces
//                        (bench/long-text.mjs)
//
// Prints the tables and writes them into bench/RESULTS.md between the `bench:begin` and
// `bench:end` markers (the notes around them are kept): bench/report.mjs.
//
//   node bench/run.mjs [--sizes 100,1000,5000] [--apply-sizes 100,1000] [--versions 2]
//                      [--latency-ms 25] [--repeat 5] [--plan-pairs 15] [--startup-runs 15]
//                      [--rate-limit 300] [--rate-window-ms 60000] [--rate-templates 100]
//                      [--results FILE | --no-write] [--json FILE] [--keep]
//
// CLI runs set PROMPTCTL_STATS=1 and report their own counters on a last stderr line
// (`promptctl-stats {...}`: HTTP requests, retries, 429s, peak RSS, CPU time); the emulator
// reports what it served when it stops (`emulator-stats {...}`).
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { generatePromptSet } from './generate.mjs';
import { measureLongText } from './long-text.mjs';
import { contractMinimum } from './contract.mjs';
import { ms, report, writeResults } from './report.mjs';
import { cleanEnv, commitSet } from './env.mjs';
import { medianInterval, medianOf } from './stats.mjs';

const REPO = resolve(import.meta.dirname, '..');
const BIN = join(REPO, 'bin', 'promptctl.js');
const YAML_FLOOR = join(REPO, 'bench', 'yaml-floor.mjs');

function parseArgs(argv) {
  const o = {
    sizes: [100, 1000, 5000],
    applySizes: [100, 1000],
    versions: 2,
    latencyMs: 25,
    repeat: 5,
    // The plan figure is a ratio of two runs a few seconds apart: more pairs, as a shared machine's
    // speed moves by more than the difference measured.
    planPairs: 15,
    startupRuns: 15,
    rateLimit: 300,
    // Genesys's own budget: 300 requests a minute (about two minutes for 100 templates).
    rateWindowMs: 60_000,
    rateTemplates: 100,
    results: join(REPO, 'bench', 'RESULTS.md'),
    json: undefined,
    keep: false,
  };
  const list = (v) => v.split(',').filter(Boolean).map((s) => Number(s.trim()));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--sizes') o.sizes = list(next());
    else if (a === '--apply-sizes') o.applySizes = list(next());
    else if (a === '--versions') o.versions = Number(next());
    else if (a === '--latency-ms') o.latencyMs = Number(next());
    else if (a === '--repeat') o.repeat = Number(next());
    else if (a === '--startup-runs') o.startupRuns = Number(next());
    else if (a === '--rate-limit') o.rateLimit = Number(next());
    else if (a === '--rate-window-ms') o.rateWindowMs = Number(next());
    else if (a === '--rate-templates') o.rateTemplates = Number(next());
    else if (a === '--plan-pairs') o.planPairs = Number(next());
    else if (a === '--results') o.results = resolve(next());
    else if (a === '--no-write') o.results = undefined;
    else if (a === '--json') o.json = next();
    else if (a === '--keep') o.keep = true;
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: node bench/run.mjs [--sizes 100,1000,5000] [--apply-sizes 100,1000] [--versions 2] [--latency-ms 25] [--repeat 5]\n' +
          '                          [--plan-pairs 15] [--startup-runs 15] [--rate-limit 300] [--rate-window-ms 60000] [--rate-templates 100]\n' +
          '                          [--results FILE | --no-write] [--json FILE] [--keep]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  const positive = (name, v) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  };
  for (const n of [...o.sizes, ...o.applySizes]) positive('sizes', n);
  for (const k of ['versions', 'repeat', 'planPairs', 'startupRuns', 'rateLimit', 'rateWindowMs', 'rateTemplates']) positive(`--${k}`, o[k]);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Runs `node ARGS` to completion: exit code, wall ms (spawn to exit), the promptctl-stats line. */
function runNode(args, { cwd, env = {}, stats = true }) {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...cleanEnv(), ...env, ...(stats ? { PROMPTCTL_STATS: '1' } : {}) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let parsed;
    const tail = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (line.startsWith('promptctl-stats ')) parsed = JSON.parse(line.slice('promptctl-stats '.length));
      else {
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, wallMs: performance.now() - started, stats: parsed, tail }));
  });
}

/** `promptctl emulator` on a free port; resolves once it prints its URL. */
function startEmulator(stateFile, { latencyMs, rateLimit, rateWindowMs }) {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [BIN, 'emulator', '--port', '0', '--state', stateFile, '--latency-ms', String(latencyMs), '--rate-limit', String(rateLimit), '--rate-window-ms', String(rateWindowMs)],
      { env: { ...cleanEnv(), PROMPTCTL_STATS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let emuStats;
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (line.startsWith('emulator-stats ')) emuStats = JSON.parse(line.slice('emulator-stats '.length));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      const m = /^listening on (\S+)/.exec(line);
      if (!m) return fail(new Error(`emulator said: ${line}`));
      done({
        env: {
          GENESYSCLOUD_API_URL: m[1],
          GENESYSCLOUD_OAUTHCLIENT_ID: 'local-client',
          GENESYSCLOUD_OAUTHCLIENT_SECRET: 'local-secret',
        },
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

// ---------------------------------------------------------------------------------------------
// Measurements

const rows = []; // every CLI run worth a line in the detail table
const loads = [];

function noteLoad() {
  loads.push(loadavg()[0]);
}

async function cli(size, resources, step, args, want, { cwd, env, record = true }) {
  const r = await runNode([BIN, ...args], { cwd, env });
  if (r.code !== want) throw new Error(`${size} templates, ${step}: exit ${r.code} (wanted ${want})\n${r.tail.join('\n')}`);
  noteLoad();
  process.stderr.write(`  ${size} templates: ${step} ${(r.wallMs / 1000).toFixed(2)} s\n`);
  const row = { size, resources, step, wallMs: r.wallMs, ...r.stats };
  if (record) rows.push(row);
  return row;
}

function median(list, key = 'wallMs') {
  const sorted = [...list].sort((a, b) => a[key] - b[key]);
  return sorted[Math.floor(sorted.length / 2)];
}

function medianRow(list) {
  const m = median(list);
  return { ...m, step: list.length > 1 ? `${m.step}, median of ${list.length}` : m.step };
}

async function benchStartup(o) {
  const dir = await mkdtemp(join(tmpdir(), 'promptctl-bench-startup-'));
  try {
    await cp(join(REPO, 'prompts'), join(dir, 'prompts'), { recursive: true });
    await runNode([BIN, 'validate'], { cwd: dir, stats: false }); // warm the token cache, as on a second run
    const t = { node: [], version: [], validate: [] };
    for (let i = 0; i < o.startupRuns; i++) {
      t.node.push(await runNode(['-e', '0'], { cwd: dir, stats: false }));
      t.version.push(await runNode([BIN, '--version'], { cwd: dir, stats: false }));
      const v = await runNode([BIN, 'validate'], { cwd: dir, stats: false });
      if (v.code !== 0) throw new Error(`validate of the example: exit ${v.code}\n${v.tail.join('\n')}`);
      t.validate.push(v);
    }
    noteLoad();
    const m = { node: median(t.node).wallMs, version: median(t.version).wallMs, validate: median(t.validate).wallMs };
    process.stderr.write(`  start-up: node -e 0 ${ms(m.node)}, --version ${ms(m.version)}, validate (example) ${ms(m.validate)} (medians of ${o.startupRuns})\n`);
    return m;
  } finally {
    if (!o.keep) await rm(dir, { recursive: true, force: true });
  }
}

async function benchLongText(o) {
  const dir = await mkdtemp(join(tmpdir(), 'promptctl-bench-long-text-'));
  try {
    const runs = await measureLongText(dir, o.repeat, (cwd) => runNode([BIN, 'validate'], { cwd, stats: false }));
    noteLoad();
    const m = { ascii: median(runs.ascii).wallMs, ideographic: median(runs.ideographic).wallMs };
    process.stderr.write(`  long text: validate ${ms(m.ideographic)} indented with U+3000, ${ms(m.ascii)} with ASCII spaces (medians of ${o.repeat})\n`);
    return m;
  } finally {
    if (!o.keep) await rm(dir, { recursive: true, force: true });
  }
}

async function benchSize(n, o) {
  const dir = await mkdtemp(join(tmpdir(), `promptctl-bench-${n}-`));
  try {
    const prompts = join(dir, 'prompts');
    const resources = await generatePromptSet(prompts, { templates: n, versions: o.versions });
    const out = { size: n, resources };
    out.validateCold = await cli(n, resources, 'validate (cold token cache)', ['validate'], 0, { cwd: dir });
    // The floor and validate alternate (a shared machine's load drifts); medians.
    const floors = [];
    const warm = [];
    for (let i = 0; i < o.repeat; i++) {
      const f = await runNode([YAML_FLOOR, prompts], { cwd: dir, stats: false });
      if (f.code !== 0) throw new Error(`yaml floor: exit ${f.code}\n${f.tail.join('\n')}`);
      floors.push(f);
      warm.push(await cli(n, resources, 'validate', ['validate'], 0, { cwd: dir, record: false }));
    }
    out.yamlFloor = median(floors).wallMs;
    out.validate = medianRow(warm);
    // Each validate against the floor run just before it, as plan's pairs (a slow spell slows both).
    out.validatePairRatios = warm.map((v, i) => v.wallMs / floors[i].wallMs).sort((a, b) => a - b);
    out.validatePairRatio = medianOf(out.validatePairRatios);
    out.validatePairInterval = medianInterval(out.validatePairRatios);
    rows.push(out.validate);
    process.stderr.write(`  ${n} templates: YAML floor ${(out.yamlFloor / 1000).toFixed(2)} s (median of ${o.repeat})\n`);

    const emu = await startEmulator(join(dir, 'emulator-state.json'), { latencyMs: o.latencyMs, rateLimit: 1_000_000_000, rateWindowMs: 60_000 });
    try {
      out.planCreates = await cli(n, resources, 'plan (all creates)', ['plan', '--detailed-exitcode'], 2, { cwd: dir, env: emu.env });
      if (o.applySizes.includes(n)) {
        out.apply = await cli(n, resources, 'apply', ['apply', '--auto-approve'], 0, { cwd: dir, env: emu.env });
        out.minimum = contractMinimum(n, o.versions);
        // The same set committed to a git repository, as a team's checkout is: plan then also starts
        // git for its provenance (a text plan: one process, the status). A copy with the warm token
        // cache, so that its pairs alternate with the others' (measured one phase after the other,
        // the later phase met another machine: its row differed by 60 ms where an A/B saw 15).
        const repoDir = join(dir, 'in-repo');
        await cp(prompts, join(repoDir, 'prompts'), { recursive: true });
        await cp(join(dir, '.promptctl', 'cache'), join(repoDir, '.promptctl', 'cache'), { recursive: true }).catch(() => undefined);
        commitSet(repoDir);
        // plan (no changes) and validate side by side, alternating, outside and inside the repository; medians.
        const validates = [];
        const plans = [];
        const inRepo = { validates: [], plans: [] };
        const outside = async () => {
          validates.push(await cli(n, resources, 'validate', ['validate'], 0, { cwd: dir, record: false }));
          plans.push(await cli(n, resources, 'plan (no changes)', ['plan', '--detailed-exitcode'], 0, { cwd: dir, env: emu.env, record: false }));
        };
        const inside = async () => {
          inRepo.validates.push(await cli(n, resources, 'validate (in a git repository)', ['validate'], 0, { cwd: repoDir, record: false }));
          inRepo.plans.push(await cli(n, resources, 'plan (no changes, in a git repository)', ['plan', '--detailed-exitcode'], 0, { cwd: repoDir, env: emu.env, record: false }));
        };
        for (let i = 0; i < o.planPairs; i++) for (const pair of i % 2 === 0 ? [outside, inside] : [inside, outside]) await pair();
        out.validatePaired = medianRow(validates);
        out.planNoChange = medianRow(plans);
        // Each plan against the validate run just before it: a machine that slows for a while
        // slows both, which the ratio of two medians taken apart does not cancel.
        out.planPairRatios = plans.map((p, i) => p.wallMs / validates[i].wallMs).sort((a, b) => a - b);
        out.planPairRatio = medianOf(out.planPairRatios);
        out.planPairInterval = medianInterval(out.planPairRatios);
        if (plans.every((p, i) => p.cpuMs && validates[i].cpuMs)) out.planPairCpuRatio = medianOf(plans.map((p, i) => p.cpuMs / validates[i].cpuMs));
        // Linux: the main thread's own CPU (what the user waits on, without the machine's other
        // load), and how long it waited for a core (the emulator shares this machine's cores).
        if (plans.every((p, i) => p.mainCpuMs && validates[i].mainCpuMs)) {
          out.planPairMainRatio = medianOf(plans.map((p, i) => p.mainCpuMs / validates[i].mainCpuMs));
          out.planMainWaitMs = medianOf(plans.map((p) => p.mainWaitMs));
          out.validateMainWaitMs = medianOf(validates.map((v) => v.mainWaitMs));
        }
        rows.push(out.planNoChange);
        out.planInRepo = medianRow(inRepo.plans);
        out.validateInRepo = medianRow(inRepo.validates);
        out.planInRepoRatios = inRepo.plans.map((p, i) => p.wallMs / inRepo.validates[i].wallMs).sort((a, b) => a - b);
        out.planInRepoRatio = medianOf(out.planInRepoRatios);
        out.planInRepoInterval = medianInterval(out.planInRepoRatios);
        if (inRepo.plans.every((p, i) => p.mainCpuMs && inRepo.validates[i].mainCpuMs)) {
          out.planInRepoMainRatio = medianOf(inRepo.plans.map((p, i) => p.mainCpuMs / inRepo.validates[i].mainCpuMs));
        }
        rows.push(out.planInRepo);
      }
    } finally {
      out.emulator = await emu.stop();
    }
    return out;
  } finally {
    if (!o.keep) await rm(dir, { recursive: true, force: true });
  }
}

async function benchRateLimited(o) {
  const n = o.rateTemplates;
  const dir = await mkdtemp(join(tmpdir(), `promptctl-bench-rate-`));
  try {
    const resources = await generatePromptSet(join(dir, 'prompts'), { templates: n, versions: o.versions });
    const emu = await startEmulator(join(dir, 'emulator-state.json'), { latencyMs: o.latencyMs, rateLimit: o.rateLimit, rateWindowMs: o.rateWindowMs });
    let apply;
    let served;
    try {
      apply = await cli(n, resources, `apply, rate limit ${o.rateLimit} per ${o.rateWindowMs / 1000} s`, ['apply', '--auto-approve'], 0, { cwd: dir, env: emu.env });
    } finally {
      served = await emu.stop();
    }
    const perSecond = o.rateLimit / (o.rateWindowMs / 1000);
    const accepted = (served?.requests ?? apply.requests) - (served?.rateLimited ?? 0);
    // A rolling window lets the first `rateLimit` go at once; request k·limit + 1 waits k windows.
    const earliestMs = Math.floor((accepted - 1) / o.rateLimit) * o.rateWindowMs;
    return { size: n, apply, served, perSecond, accepted, floorMs: (accepted / perSecond) * 1000, earliestMs, resources, minimum: contractMinimum(n, o.versions) };
  } finally {
    if (!o.keep) await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

const opts = parseArgs(process.argv.slice(2));
const started = performance.now();
const startLoad = loadavg();
noteLoad();
process.stderr.write(
  `promptctl bench: sizes ${opts.sizes.join(', ')} (apply at ${opts.applySizes.join(', ')}); ${opts.versions} versions each; ` +
    `emulator latency ${opts.latencyMs} ms; load average ${startLoad.map((l) => l.toFixed(2)).join(' ')}\n`,
);
const startup = opts.startupRuns > 0 ? await benchStartup(opts) : undefined;
const sizes = [];
for (const n of opts.sizes) sizes.push(await benchSize(n, opts));
const longText = await benchLongText(opts);
const rate = await benchRateLimited(opts);
const text = report({ options: opts, startLoad, loads, rows, startup, sizes, rate, longText, tookMs: performance.now() - started });
console.log(text);
if (opts.results) {
  await writeResults(opts.results, text);
  process.stderr.write(`written to ${opts.results}\n`);
}
if (opts.json) await writeFile(opts.json, JSON.stringify({ options: opts, startLoad, loads, startup, sizes, rate, longText, rows }, null, 2));
