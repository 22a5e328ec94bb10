// What the reliability suite shares: `promptctl emulator` subprocesses (so that they can be
// killed), the built CLI run with PROMPTCTL_STATS=1, generated prompt sets, and checks of the
// org as a fault-free emulator on the same state file sees it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect } from 'vitest';
import { generatePromptSet } from '../../bench/generate.mjs';
import { readLiveState } from '../../src/targets/live.js';
import type { LiveState } from '../../src/targets/llmgateway/api.js';
import { BIN, cleanEnv, runCli, type CliResult } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

export { generatePromptSet };

export interface EmulatorFlags {
  latencyMs?: number;
  faultRate?: number;
  /** --fault-kinds: the faults drawn (default all). */
  faultKinds?: readonly string[];
  seed?: number;
  rateLimit?: number;
  rateWindowMs?: number;
  publishDelayMs?: number;
}

/** The counters a CLI run prints on its last stderr line with PROMPTCTL_STATS=1. */
export interface CliStats {
  requests: number;
  retries: number;
  rateLimited: number;
  maxRssKb: number;
}

/** What `promptctl emulator` reports about itself when it stops (PROMPTCTL_STATS=1). */
export interface EmulatorStats {
  requests: number;
  rateLimited: number;
  faults: Record<string, number>;
}

export interface EmulatorProcess {
  url: string;
  stateFile: string;
  child: ChildProcess;
  /** GENESYSCLOUD_* variables that point promptctl at it. */
  env: Record<string, string>;
  /** SIGTERM, then its exit code and its own counters. */
  stop(): Promise<{ code: number | null; stats: EmulatorStats | undefined }>;
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<void>;
}

/** Runs `promptctl emulator --port 0 --state FILE ...` and waits for its `listening on` line. */
export function spawnEmulator(stateFile: string, flags: EmulatorFlags = {}): Promise<EmulatorProcess> {
  const args = ['emulator', '--port', '0', '--state', stateFile, '--publish-delay-ms', String(flags.publishDelayMs ?? 5)];
  if (flags.latencyMs !== undefined) args.push('--latency-ms', String(flags.latencyMs));
  if (flags.faultRate !== undefined) args.push('--fault-rate', String(flags.faultRate));
  if (flags.faultKinds !== undefined) args.push('--fault-kinds', flags.faultKinds.join(','));
  if (flags.seed !== undefined) args.push('--seed', String(flags.seed));
  args.push('--rate-limit', String(flags.rateLimit ?? 1_000_000));
  if (flags.rateWindowMs !== undefined) args.push('--rate-window-ms', String(flags.rateWindowMs));
  const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv({ PROMPTCTL_STATS: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stats: EmulatorStats | undefined;
  let stderr = '';
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (line.startsWith('emulator-stats ')) stats = JSON.parse(line.slice('emulator-stats '.length)) as EmulatorStats;
    stderr += `${line}\n`;
  });
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`emulator exited (${code}) before listening:\n${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const m = /^listening on (\S+)$/.exec(line);
      if (!m) return reject(new Error(`unexpected first line from the emulator: ${line}`));
      const url = m[1]!;
      resolve({
        url,
        stateFile,
        child,
        env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_OAUTHCLIENT_ID: 'local-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'local-secret' },
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const code = await exited;
          return { code, stats };
        },
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}

/** Runs the built CLI with PROMPTCTL_STATS=1; the stats line is parsed off stderr. */
export async function cli(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliResult & { stats: CliStats | undefined }> {
  const r = await runCli(args, { cwd, env: { ...env, PROMPTCTL_STATS: '1' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('promptctl-stats '));
  return { ...r, stats: line ? (JSON.parse(line.slice('promptctl-stats '.length)) as CliStats) : undefined };
}

/** A user-facing failure: no internal error, no stack frame, no warning of Node's own. */
export function expectNoCrash(r: CliResult): void {
  expect(r.stderr).not.toMatch(/error: internal/);
  expect(r.stderr).not.toMatch(/^\s+at .+[(:]\d+/m);
  expect(r.stderr).not.toMatch(/\(node:\d+\) (\[[^\]]+\] )?\w*Warning/);
}

export interface GeneratedProject {
  dir: TempDir;
  /** How many resources the generated set defines. */
  resources: number;
  /** Where an emulator for this project keeps the org (`org-state.json` in the project dir). */
  stateFile: string;
}

/**
 * What each reliability test sets up, torn down after it: a project dir with a generated prompt
 * set under prompts/, and `promptctl emulator` subprocesses (killed, whatever the test did).
 */
export function perTest(): {
  project(prefix: string, opts: Parameters<typeof generatePromptSet>[1]): Promise<GeneratedProject>;
  emulator(stateFile: string, flags?: EmulatorFlags): Promise<EmulatorProcess>;
} {
  let dir: TempDir | undefined;
  const emulators: EmulatorProcess[] = [];
  afterEach(async () => {
    for (const e of emulators.splice(0)) await e.kill();
    await dir?.remove();
    dir = undefined;
  });
  return {
    async project(prefix, opts) {
      dir = await tempDir(`promptctl-${prefix}-`);
      const resources = await generatePromptSet(join(dir.path, 'prompts'), opts);
      return { dir, resources, stateFile: join(dir.path, 'org-state.json') };
    },
    async emulator(stateFile, flags) {
      const e = await spawnEmulator(stateFile, flags);
      emulators.push(e);
      return e;
    },
  };
}

/** The org as a fault-free emulator on the same state file serves it (the writer must be stopped). */
export async function liveStateOf(stateFile: string): Promise<LiveState> {
  const emu = await startTestEmulator({ stateFile });
  try {
    return await readLiveState({ gateway: emu.api });
  } finally {
    await emu.close();
  }
}

/** Asserts the org holds exactly the generated set: no duplicates, no half-made objects. */
export function expectGeneratedOrg(live: LiveState, templates: number, versions: number, filters: number): void {
  const names = live.templates.map((t) => t.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toHaveLength(templates);
  for (const t of live.templates) {
    expect(t.versions?.map((v) => `${v.version}:${v.state}`), t.name).toEqual(
      Array.from({ length: versions }, (_, i) => `1.${i}.0:Published`),
    );
    expect(t.traffic?.routes.reduce((sum, r) => sum + r.weight, 0), t.name).toBe(100);
    expect(t.labels['managed-by'], t.name).toBe('promptctl');
  }
  const filterNames = live.filters.map((f) => f.name);
  expect(new Set(filterNames).size).toBe(filterNames.length);
  expect(filterNames).toHaveLength(filters);
}

export interface AuditLine {
  seq: number;
  type: 'intent' | 'outcome';
  address: string;
  action: string;
  outcome: string | null;
  resourceId: string | null;
}

/** The outcome records (each follows the intent written before its call). */
export async function auditLines(projectDir: string): Promise<AuditLine[]> {
  return (await allAuditLines(projectDir)).filter((r) => r.type === 'outcome');
}

/** Every record, intents included, as the file holds them. */
export async function allAuditLines(projectDir: string): Promise<AuditLine[]> {
  const text = await readFile(join(projectDir, '.promptctl', 'audit.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as AuditLine];
      } catch {
        return []; // a torn last line, repaired by the next apply
      }
    });
}
