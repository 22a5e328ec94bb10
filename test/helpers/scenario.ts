// A prompt project in a temp dir plus a real emulator, for the CLI scenario tests.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorOptions } from '../../src/emulator/server.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import type { FilterCreate, WireFilter } from '../../src/targets/llmgateway/wire.js';
import { runCliInProcess, type CliResult } from './cli.js';
import { startTestEmulator, type TestEmulator } from './emulator.js';
import { fixtureCopy, type TempDir } from './tmp.js';

export interface Scenario {
  dir: TempDir;
  emu: TestEmulator;
  /** Runs promptctl (in-process) in the project against the emulator. */
  cli(args: readonly string[], extraEnv?: Record<string, string | undefined>, input?: string): Promise<CliResult>;
  /** Replaces text in a file of the project (path relative to the project root). */
  edit(file: string, from: string | RegExp, to: string): Promise<void>;
  close(): Promise<void>;
}

export async function scenario(fixture = 'basic', opts: EmulatorOptions = {}): Promise<Scenario> {
  const dir = await fixtureCopy(fixture);
  const emu = await startTestEmulator(opts);
  return {
    dir,
    emu,
    cli: (args, extraEnv = {}, input) => runCliInProcess(args, { cwd: dir.path, env: { ...emu.env, ...extraEnv }, ...(input !== undefined ? { input } : {}) }),
    async edit(file, from, to) {
      const path = join(dir.path, file);
      const text = await readFile(path, 'utf8');
      const next = text.replace(from, to);
      if (next === text) throw new Error(`edit: ${String(from)} not found in ${file}`);
      await writeFile(path, next);
    },
    async close() {
      await emu.close();
      await dir.remove();
    },
  };
}

/** Changes a live filter by hand (as someone in the Genesys UI would). */
export async function editFilterByHand(api: GatewayApi, name: string, change: Partial<FilterCreate>): Promise<WireFilter> {
  const live = (await api.listFilters()).find((f) => f.name === name);
  if (!live) throw new Error(`no live filter ${name}`);
  const { id, dateCreated, dateModified, createdBy, modifiedBy, selfUri, ...body } = live;
  void [dateCreated, dateModified, createdBy, modifiedBy, selfUri];
  return api.updateFilter(id, { ...body, ...change });
}

/** The addresses a text plan lists as changes, e.g. "create PromptVersion/x@1.0.0". */
export function plannedChanges(planText: string): string[] {
  // A delete left pending (prune off) counts as a delete: "- delete (pending: prune is off) ADDRESS".
  return [...planText.matchAll(/^\s+[+~-] (create|update|delete)(?: \(pending: [^)]*\))? (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
}

/** A call as an operator's script makes it to the gateway (`/api/v2/llmgateway` + path): plain HTTP, not promptctl's client. */
export type OperatorCall = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

/** Logs in to the emulator at `url` as an operator would (its own token) and returns its gateway calls; a status of 300 or more throws. */
export async function operatorCalls(url: string): Promise<OperatorCall> {
  const login = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('local-client:local-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const token = ((await login.json()) as { access_token: string }).access_token;
  return async (method, path, body) => {
    const r = await fetch(`${url}/api/v2/llmgateway${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
}

/** The id of the live object `name` in a gateway listing (first page of 100). */
export async function liveIdOf(http: OperatorCall, collection: 'prompttemplates' | 'safetyfilters', name: string): Promise<string> {
  const list = (await http('GET', `/${collection}?pageSize=100`)) as { entities: { id: string; name: string }[] };
  return list.entities.find((e) => e.name === name)!.id;
}

/**
 * A live object changed as the Genesys UI saves one: GET it, change its body (the fields the
 * server keeps for itself left out), PUT it back with the version read. `path` under /api/v2/llmgateway.
 */
export async function putByHand(http: OperatorCall, path: string, change: (body: Record<string, unknown>) => Record<string, unknown>): Promise<Record<string, unknown>> {
  const { id, dateCreated, dateModified, createdBy, modifiedBy, selfUri, versions, traffic, ...body } = await http('GET', path);
  void [id, dateCreated, dateModified, createdBy, modifiedBy, selfUri, versions, traffic];
  return http('PUT', path, change(body));
}

/** git in `dir`, as a user of its own (no config of the machine's identity); each commit dated `at` when given. */
export function gitIn(dir: string, at?: string): (...args: string[]) => Buffer {
  const env = at === undefined ? process.env : { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at };
  return (...args) => execFileSync('git', ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'pipe', env });
}

/** `dir` made a new git repository on main with everything in it committed (dated `at` when given), as a team's checkout is. */
export function committed(dir: string, at?: string): void {
  const git = gitIn(dir, at);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'prompts');
}
