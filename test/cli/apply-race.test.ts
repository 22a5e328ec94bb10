// Two applies at once on the same org (two checkouts, as two CI runners would have): nothing is
// corrupted, a loser reports a clean conflict (never an internal error), a further apply converges,
// and every change that landed is on record exactly once.
//
// The overlap is made, not hoped for: each apply talks to the emulator through its own tap (a
// small forwarding proxy in this file) that sees its writes and can hold them. The first apply's
// writes are held until the second apply has planned (its first write reaches its tap), so the
// second always plans against changes the first has yet to make, and both then write at once.
// Left to timing, the second apply sometimes planned after the first had finished, found nothing
// to do and (rightly) wrote no audit file: no race was tested, and the audit check failed.
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/audit/record.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { readLiveState } from '../../src/targets/live.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { generatePromptSet } from '../../bench/generate.mjs';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const TEMPLATES = 10;

let emu: TestEmulator;
let dirs: TempDir[];
let taps: Tap[];
beforeEach(async () => {
  emu = await startTestEmulator({ latencyMs: 5 });
  dirs = [await tempDir('promptctl-race-'), await tempDir('promptctl-race-')];
  for (const d of dirs) await generatePromptSet(join(d.path, 'prompts'), { templates: TEMPLATES, versions: 1 });
  taps = [];
});
afterEach(async () => {
  for (const t of taps) await t.close();
  await emu.close();
  for (const d of dirs) await d.remove();
});

describe('two applies at once', () => {
  // holdAfter: how many of the first apply's writes land before the second one plans.
  // 0: both plan against the untouched org. TEMPLATES: the templates exist (the first apply's
  // first wave); versions, publishes and splits are still to come.
  it.each([
    { when: 'both plan against the untouched org', holdAfter: 0 },
    { when: 'the second plans while the first is half done', holdAfter: TEMPLATES },
  ])('never corrupts the org or the audit trail when $when', async ({ holdAfter }) => {
    const [first, second] = dirs as [TempDir, TempDir];
    const tapA = await startTap(emu.url);
    const tapB = await startTap(emu.url);
    taps = [tapA, tapB];
    const apply = (d: TempDir, tap: Tap) => runCli(['apply', '--auto-approve'], { cwd: d.path, env: { ...emu.env, ...tap.env } });

    tapA.holdAfter(holdAfter);
    const a = apply(first, tapA);
    // The first apply has planned and is in flight: a write of its is waiting at the tap.
    await Promise.race([tapA.held(), a]);
    if (tapA.waiting === 0) throw new Error(`the first apply ended before a write of its was held\n${outputs([await a])}`);
    await tapA.settled(); // what it was let write has landed
    const b = apply(second, tapB);
    // The second apply has planned too (against the org as the first left it) and writes.
    await Promise.race([tapB.writeArrived(1), b]);
    if (tapB.writes === 0) {
      tapA.release();
      throw new Error(`the second apply ended without writing\n${outputs(await Promise.all([a, b]))}`);
    }
    tapA.release();
    const results = await Promise.all([a, b]);

    // Each planned changes the other had yet to make, so at least one lost; a loser is clean.
    expect(results.map((r) => r.code).filter((c) => c !== 0).length, outputs(results)).toBeGreaterThan(0);
    for (const r of results) {
      // (stdout holds the plan, whose prompt text may say anything)
      expect(r.stderr).not.toMatch(/internal|TypeError|ReferenceError|^\s+at .+:\d+:\d+\)?$/m);
      if (r.code !== 0) {
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(/\[(duplicate\.name|version\.exists|version\.mismatch)\]; run plan again/);
        expect(r.stderr).toMatch(/run `promptctl plan` again/);
      }
    }
    // Both applies attempted changes, so both keep a trail; every trail verifies, and a loser's
    // trail records its conflict (never a failure).
    for (const [i, d] of dirs.entries()) {
      const trail = await readTrail(d);
      expect(trail, `no audit file in checkout ${i + 1}`).not.toBeNull();
      expect(trail!.filter((r) => r.outcome === 'failure')).toEqual([]);
      if (results[i]!.code !== 0) expect(trail!.some((r) => r.outcome === 'conflict')).toBe(true);
    }
    await expectUniqueLive();

    // A further apply converges, and then there is nothing left to do.
    const last = await runCli(['apply', '--auto-approve'], { cwd: first.path, env: { ...emu.env, ...tapA.env } });
    expect(last.code, last.stdout + last.stderr).toBe(0);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: first.path, env: { ...emu.env, ...tapA.env } });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);

    const live = await expectUniqueLive();
    expect(live.templates).toHaveLength(TEMPLATES);
    for (const t of live.templates) {
      expect(t.versions?.map((v) => [v.version, v.state]), t.name).toEqual([['1.0.0', 'Published']]);
      expect(t.traffic?.routes, t.name).toEqual([{ version: '1.0.0', weight: 100 }]);
    }

    // Every change on the org has exactly one success record, across both trails (the converging
    // run appended to the first); nothing is recorded as done that is not there.
    const trails: AuditRecord[] = [];
    for (const d of dirs) {
      const file = auditFile(d);
      if (!existsSync(file)) continue;
      const verified = await verifyAuditFile(file);
      expect(verified.ok, `${file}: ${JSON.stringify(verified)}`).toBe(true);
      trails.push(...(await readTrail(d))!);
    }
    const landed: Record<string, string> = {};
    for (const t of live.templates) {
      landed[`PromptTemplate/${t.name}`] = t.id;
      for (const v of t.versions ?? []) landed[`PromptVersion/${t.name}@${v.version}`] = t.id;
      if (t.traffic) landed[`TrafficSplit/${t.name}`] = t.id;
    }
    const successes = trails.filter((r) => r.outcome === 'success');
    const recorded: Record<string, number> = {};
    for (const r of successes) recorded[r.address] = (recorded[r.address] ?? 0) + 1;
    expect(recorded).toEqual(Object.fromEntries(Object.keys(landed).map((k) => [k, 1])));
    for (const r of successes) expect(r.resourceId, r.address).toBe(landed[r.address]);
    expect(successes).toHaveLength(TEMPLATES * 3);
  });
});

/** The live state, after checking no template or version exists twice. */
async function expectUniqueLive() {
  const live = await readLiveState({ gateway: emu.api });
  const names = live.templates.map((t) => t.name);
  expect(new Set(names).size, names.join(', ')).toBe(names.length);
  for (const t of live.templates) {
    const labels = (t.versions ?? []).map((v) => v.version);
    expect(new Set(labels).size, `${t.name}: ${labels.join(', ')}`).toBe(labels.length);
  }
  return live;
}

function auditFile(d: TempDir): string {
  return join(d.path, '.promptctl/audit.jsonl');
}

/** The records of a checkout's audit file; null when it has none. */
async function readTrail(d: TempDir): Promise<AuditRecord[] | null> {
  const file = auditFile(d);
  if (!existsSync(file)) return null;
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AuditRecord);
}

function outputs(results: CliResult[]): string {
  return results.map((r, i) => `--- apply ${i + 1} (exit ${r.code})\n${r.stdout}\n${r.stderr}`).join('\n');
}

/**
 * A forwarding proxy in front of the emulator for one apply: counts the writes (API requests
 * other than GET) that reach it and, once told to, holds every write after the first n until
 * release(). A held write has not reached the emulator; to the client it is a slow response.
 */
interface Tap {
  /** GENESYSCLOUD_API_URL pointing at the tap. */
  env: Record<string, string>;
  /** Writes that reached the tap so far. */
  readonly writes: number;
  /** Writes waiting for release(). */
  readonly waiting: number;
  holdAfter(n: number): void;
  release(): void;
  /** Resolves once the n-th write has reached the tap. */
  writeArrived(n: number): Promise<void>;
  /** Resolves once a write is being held. */
  held(): Promise<void>;
  /** Resolves once every request passed on to the emulator has had its response. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

async function startTap(upstream: string): Promise<Tap> {
  const up = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  let writes = 0;
  let waiting = 0;
  let inFlight = 0;
  let holdAfter = Infinity;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let released = false;
  const watchers = new Set<() => void>();
  const notify = (): void => {
    for (const w of [...watchers]) w();
  };
  const until = (cond: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!cond()) return;
        watchers.delete(check);
        resolve();
      };
      watchers.add(check);
      check();
    });

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      if (req.method !== 'GET' && req.method !== 'HEAD' && (req.url ?? '').startsWith('/api/')) {
        writes += 1;
        if (writes > holdAfter && !released) {
          waiting += 1;
          notify();
          await gate;
          waiting -= 1;
        } else notify();
      }
      inFlight += 1;
      const done = (): void => {
        inFlight -= 1;
        notify();
      };
      const out = request(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host }, agent },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
          upRes.once('end', done);
          upRes.once('error', () => {
            done();
            res.destroy();
          });
        },
      );
      out.once('error', () => {
        done();
        res.destroy();
      });
      out.end(body);
    })().catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env: { GENESYSCLOUD_API_URL: url },
    get writes() {
      return writes;
    },
    get waiting() {
      return waiting;
    },
    holdAfter(n) {
      holdAfter = n;
    },
    release() {
      released = true;
      release();
    },
    writeArrived: (n) => until(() => writes >= n),
    held: () => until(() => waiting > 0),
    settled: () => until(() => inFlight === 0),
    async close() {
      released = true;
      release();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
