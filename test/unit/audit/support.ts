// Shared by the audit tests: record inputs, and the audit module as plain JavaScript for child
// processes (two writers at once, a writer killed with SIGKILL). The module is transpiled from
// src/ on the fly (src/audit and src/util, nothing else), so the tests never run a stale dist/.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { AuditInput, AuditIntentInput } from '../../../src/audit/log.js';

const SRC = resolve(import.meta.dirname, '../../../src');

/** Transpiles src/audit and src/util into a temp dir; returns file URLs of audit/log.js and audit/verify.js. */
export async function buildAuditModule(): Promise<{ dir: string; log: string; verify: string }> {
  const out = await mkdtemp(join(tmpdir(), 'promptctl-audit-build-'));
  for (const folder of ['audit', 'util']) {
    await mkdir(join(out, folder), { recursive: true });
    for (const f of await readdir(join(SRC, folder))) {
      if (!f.endsWith('.ts')) continue;
      const js = ts.transpileModule(await readFile(join(SRC, folder, f), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      await writeFile(join(out, folder, f.replace(/\.ts$/, '.js')), js);
    }
  }
  await writeFile(join(out, 'package.json'), '{"type":"module"}');
  return {
    dir: out,
    log: pathToFileURL(join(out, 'audit', 'log.js')).href,
    verify: pathToFileURL(join(out, 'audit', 'verify.js')).href,
  };
}

export type BuiltAudit = Awaited<ReturnType<typeof buildAuditModule>>;

/**
 * The hooks of a suite that runs the audit module in child processes: the module transpiled once
 * (`built`), a fresh temp directory per test (`dir`). Read both inside tests.
 */
export function childProcessSuite(label: string): { readonly built: BuiltAudit; readonly dir: string } {
  let built: BuiltAudit | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    built = await buildAuditModule();
  });
  afterAll(async () => {
    if (built) await rm(built.dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), `promptctl-audit-${label}-`));
  });
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    get built() {
      return built!;
    },
    get dir() {
      return dir!;
    },
  };
}

/** A Node child running SCRIPT (an ES module) with ARGS; stdout is collected line by line. */
export interface Child {
  proc: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr(): string;
  /** Resolves once a stdout line satisfies PRED. */
  waitFor(pred: (line: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...env },
  });
  const lines: string[] = [];
  let err = '';
  let buf = '';
  const waiters: { pred: (l: string) => boolean; ok: (l: string) => void }[] = [];
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  proc.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) !== -1) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pred(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.ok(line);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    proc.on('close', (code, signal) => ok({ code, signal })),
  );
  return {
    proc,
    lines,
    stderr: () => err,
    exited,
    waitFor: (pred) => {
      const seen = lines.find(pred);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((ok, fail) => {
        waiters.push({ pred, ok });
        void exited.then(() => fail(new Error(`child exited first; stderr: ${err}; stdout: ${lines.join('\n')}`)));
      });
    },
  };
}

export const context = {
  actor: 'Ada Lovelace <ada@example.com>',
  commit: 'a'.repeat(40),
  planId: 'plan-1',
  org: { id: 'org-1', host: 'api.mypurecloud.com' },
} as const;

export function intentInput(n: number, extra: Partial<AuditIntentInput> = {}): AuditIntentInput {
  return {
    ...context,
    org: { ...context.org },
    address: `PromptTemplate/t${n}`,
    action: 'create',
    resourceId: null,
    before: null,
    after: { version: null, hash: `h${n}`, content: { name: `t${n}`, text: `prompt ${n}` } },
    correlationId: null,
    ...extra,
  };
}

export function appendInput(n: number, extra: Partial<AuditInput> = {}): AuditInput {
  return {
    ...context,
    org: { ...context.org },
    address: `PromptTemplate/t${n}`,
    action: 'create',
    resourceId: null,
    before: null,
    after: { version: 1, hash: 'h' + n, content: { name: `t${n}` } },
    outcome: 'success',
    correlationId: `corr-${n}`,
    ...extra,
  };
}

export const quiet = { onWarning: (): void => undefined, env: {} };

export const KEY = 'k3y-0123456789abcdef-test';
