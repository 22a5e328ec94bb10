// Shared set-up for the apply-interrupt scenario tests (DESIGN §5): a proxy in front of the
// emulator that injects the interrupt the moment a chosen request reaches it (and answers what a
// test scripts: a 503, a lost answer, a 401, a 2xx with a body of its own), an apply run
// through that proxy, the audit outcome of an address, and the check that the next runs converge.
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { runCliInProcess, type CliResult } from './cli.js';
import { forwardTo } from './forward.js';
import { plannedChanges, scenario, type Scenario } from './scenario.js';

/** A request the proxy saw. */
export interface Seen {
  method: string;
  path: string;
  /** Its query string's parameters. */
  query: URLSearchParams;
  /** Arrived after the interrupt. */
  late: boolean;
  /** The status the proxy answered itself, when it did. */
  status?: number;
}

/**
 * How a scripted proxy answers one request: pass it on; pass it on and answer 503 once the target
 * has answered (the answer lost); answer it itself with this status and error code (an ErrorBody;
 * or, with `body`, these bytes as they are: a damaged one), the target never seeing it; or answer
 * it with this status and body alone, as it is (`{}`, `null`, ``), once the target has answered it
 * (`forwarded`) or with the target never seeing it.
 */
export type ProxyAnswer =
  | 'forward'
  | 'lost'
  | { status: number; code: string; headers?: Record<string, string>; body?: string | Buffer }
  | { status: number; body: string; forwarded?: boolean };

/** 503 service.unavailable, the target never seeing the request. */
export const UNAVAILABLE: ProxyAnswer = { status: 503, code: 'service.unavailable' };

/**
 * A proxy to the emulator that answers each request as `script` says (at once, or once its promise
 * resolves), given the request (and whether it came after the interrupt) and the interrupt to fire;
 * it notes every request.
 */
export async function scriptedProxy(emulatorUrl: string, script: (r: Seen, interrupt: () => void) => ProxyAnswer | Promise<ProxyAnswer>) {
  const upstream = new URL(emulatorUrl);
  const ac = new AbortController();
  const seen: Seen[] = [];
  const proxy = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const entry: Seen = { method: req.method ?? '', path: url.pathname, query: url.searchParams, late: ac.signal.aborted };
    seen.push(entry);
    const answerWith = (answer: ProxyAnswer): void => {
      const own = (status: number, code: string, headers: Record<string, string> = {}, body?: string | Buffer): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body ?? JSON.stringify({ message: code, code, status }));
      };
      /** Passes the request on, and answers `then` once the target has answered it. */
      const afterTarget = (then: () => void): void => {
        const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: entry.method, headers: req.headers }, (r) => {
          r.resume();
          r.on('end', then);
        });
        req.pipe(up);
      };
      if (answer === 'forward') return forwardTo(upstream, req, res);
      if (answer === 'lost') return afterTarget(() => own(503, 'service.unavailable'));
      entry.status = answer.status;
      if (!('code' in answer)) {
        const { status, body } = answer;
        const send = (): void => {
          res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        };
        if (answer.forwarded) return afterTarget(send);
        req.resume();
        return send();
      }
      req.resume();
      own(answer.status, answer.code, answer.headers, answer.body);
    };
    const answer = script(entry, () => ac.abort());
    // A script may make the request wait (for a change it makes to the org first).
    if (answer instanceof Promise) void answer.then(answerWith);
    else answerWith(answer);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    signal: ac.signal,
    /** Writes (anything but GET) that started after the interrupt. */
    lateWrites: () => seen.filter((s) => s.late && s.method !== 'GET' && !s.path.includes('/oauth/')),
    seen,
    async close() {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

/**
 * A proxy to the emulator that interrupts the command when the first request `trigger` matches
 * arrives, then passes it on (or, `fail`, answers it 503 itself: a server that failed it).
 */
export function interruptingProxy(emulatorUrl: string, trigger: (method: string, path: string) => boolean, opts: { fail?: boolean } = {}) {
  return scriptedProxy(emulatorUrl, (r, interrupt) => {
    if (r.late || !trigger(r.method, r.path)) return 'forward';
    // The interrupt arrives while this call is in flight: it has reached the target's side.
    interrupt();
    return opts.fail ? UNAVAILABLE : 'forward';
  });
}

export type InterruptingProxy = Awaited<ReturnType<typeof scriptedProxy>>;

/**
 * Registers an afterEach that closes, last first, what each test handed to the function it returns
 * (its scenario, then its proxy).
 */
export function closeAfterEach(): <T extends { close(): Promise<unknown> }>(x: T) => T {
  let open: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    const all = open.reverse();
    open = [];
    for (const x of all) await x.close();
  });
  return (x) => (open.push(x), x);
}

/**
 * Runs `promptctl apply --auto-approve` (plus `extra`) in the scenario, through the proxy (its
 * API calls; its sign-ins too with `login`), interruptible by it; `watchStderr` sees its stderr as it grows.
 */
export function applyThrough(s: Scenario, p: InterruptingProxy, extra: readonly string[] = [], opts: { login?: boolean; watchStderr?: (soFar: string) => void } = {}): Promise<CliResult> {
  const env = { ...s.emu.env, GENESYSCLOUD_API_URL: p.url, ...(opts.login ? { GENESYSCLOUD_LOGIN_URL: p.url } : {}) };
  return runCliInProcess(['apply', '--auto-approve', ...extra], { cwd: s.dir.path, env, signal: p.signal, ...(opts.watchStderr ? { watchStderr: opts.watchStderr } : {}) });
}

/** The basic fixture, applied (`closing` closes it after the test). */
export async function applied(closing: <T extends { close(): Promise<unknown> }>(x: T) => T): Promise<Scenario> {
  const s = closing(await scenario());
  const first = await s.cli(['apply', '--auto-approve']);
  expect(first.code, first.stderr).toBe(0);
  return s;
}

/** The basic fixture, applied, with version 2.1.0 of support-triage then added to git. */
export async function appliedWithNewVersion(closing: <T extends { close(): Promise<unknown> }>(x: T) => T): Promise<Scenario> {
  const s = await applied(closing);
  const file = join(s.dir.path, 'prompts/support/support-triage.yaml');
  await writeFile(file, (await readFile(file, 'utf8')) + NEW_VERSION);
  return s;
}

/** An apply that the proxy interrupted: it exits 130 and no write started after the interrupt. */
export async function interruptedApply(s: Scenario, p: InterruptingProxy, extra: readonly string[] = []): Promise<CliResult> {
  const r = await applyThrough(s, p, extra);
  expect(p.signal.aborted, JSON.stringify(p.seen)).toBe(true);
  expect(r.code, r.stderr).toBe(130);
  expect(p.lateWrites(), JSON.stringify(p.seen)).toEqual([]);
  return r;
}

/** The latest audit outcome for `address`. */
export async function outcomeOf(s: Scenario, address: string): Promise<Record<string, any>> {
  const records = (await readFile(join(s.dir.path, '.promptctl', 'audit.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>);
  // The latest: the apply before it may have created the object.
  const outcome = records.filter((r) => r.type === 'outcome' && r.address === address).at(-1);
  expect(outcome).toBeDefined();
  return outcome!;
}

/** After the interrupted run: the next plan shows what is missing, an apply finishes it, and then nothing is left. */
export async function expectConverges(s: Scenario, change: string, extra: readonly string[] = []): Promise<void> {
  const plan = await s.cli(['plan', ...extra]);
  expect(plan.code, plan.stderr).toBe(0);
  expect(plannedChanges(plan.stdout)).toEqual([change]);
  const again = await s.cli(['apply', '--auto-approve', ...extra]);
  expect(again.code, again.stderr).toBe(0);
  const after = await s.cli(['plan', '--detailed-exitcode', ...extra]);
  expect(after.code, after.stdout).toBe(0);
  // Every intent has its outcome, and the chain holds.
  expect(await verifyAuditFile(join(s.dir.path, '.promptctl', 'audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
}

/** Version 2.1.0 of the basic fixture's support-triage, to append to its file. */
export const NEW_VERSION = `---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: support-triage
  version: 2.1.0
  systemInstruction: "Triage the ticket, briefly."
  userTemplate: "Ticket: {{ticket}}"
  variables:
    - name: ticket
      type: string
      maxTokens: 1500
`;

/** A guide to add to the basic fixture (prompts/guide.yaml), ProductionReady. */
export const GUIDE = `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Interrupted-guide
spec:
  instruction: "Help the customer with their question."
  publish: ProductionReady
`;
