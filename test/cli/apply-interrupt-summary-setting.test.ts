// Ctrl-C while a SummarySetting update's guard read is in flight (DESIGN §5): the call in flight finishes
// and is recorded, but the action starts no later write (a version created is not then
// published; a guide created does not then get its content or its publish). Its audit outcome
// says what landed, the report lists it as partly done, apply exits 130, and the next plan picks
// up what is missing. The interrupt is injected in-process the moment the held request reaches a
// proxy in front of the emulator, which then lets it through.
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { forwardTo } from '../helpers/forward.js';
import { plannedChanges, scenario, type Scenario } from '../helpers/scenario.js';

interface Seen {
  method: string;
  path: string;
  /** Arrived after the interrupt. */
  late: boolean;
}

/**
 * A proxy to the emulator that interrupts the command when the first request `trigger` matches
 * arrives, then passes it on; it notes every request and whether it came after the interrupt.
 */
async function interruptingProxy(emulatorUrl: string, trigger: (method: string, path: string) => boolean) {
  const upstream = new URL(emulatorUrl);
  const ac = new AbortController();
  const seen: Seen[] = [];
  const proxy = http.createServer((req, res) => {
    const method = req.method ?? '';
    const path = (req.url ?? '').split('?')[0]!;
    const late = ac.signal.aborted;
    seen.push({ method, path, late });
    // The interrupt arrives while this call is in flight: it has reached the target's side.
    if (!late && trigger(method, path)) ac.abort();
    forwardTo(upstream, req, res);
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

type Proxy = Awaited<ReturnType<typeof interruptingProxy>>;

let s: Scenario | undefined;
let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await s?.close();
  s = proxy = undefined;
});

function applyThrough(p: Proxy): Promise<CliResult> {
  return runCliInProcess(['apply', '--auto-approve'], { cwd: s!.dir.path, env: { ...s!.emu.env, GENESYSCLOUD_API_URL: p.url }, signal: p.signal });
}

/** The latest audit outcome for `address`. */
async function outcomeOf(address: string): Promise<Record<string, any>> {
  const records = (await readFile(join(s!.dir.path, '.promptctl', 'audit.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>);
  // The latest: the apply before it may have created the object.
  const outcome = records.filter((r) => r.type === 'outcome' && r.address === address).at(-1);
  expect(outcome).toBeDefined();
  return outcome!;
}

/** After the interrupted run: the next plan shows what is missing, an apply finishes it, and then nothing is left. */
async function expectConverges(change: string): Promise<void> {
  const plan = await s!.cli(['plan']);
  expect(plan.code, plan.stderr).toBe(0);
  expect(plannedChanges(plan.stdout)).toEqual([change]);
  const again = await s!.cli(['apply', '--auto-approve']);
  expect(again.code, again.stderr).toBe(0);
  const after = await s!.cli(['plan', '--detailed-exitcode']);
  expect(after.code, after.stdout).toBe(0);
  // Every intent has its outcome, and the chain holds.
  expect(await verifyAuditFile(join(s!.dir.path, '.promptctl', 'audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
}


const SETTING = `apiVersion: promptctl/v1
kind: SummarySetting
metadata:
  name: Interrupted wrap-up
spec:
  language: en-US
  summaryType: Concise
  format: BulletPoints
  prompt: |
    Summarise the call.
`;

describe('a SummarySetting update interrupted during the client\'s read before its PUT', () => {
  it('starts no PUT after the interrupt (the client reads once more before the PUT; that read is a call of its own)', async () => {
    s = await scenario();
    await writeFile(join(s.dir.path, 'prompts/setting.yaml'), SETTING);
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    await writeFile(join(s.dir.path, 'prompts/setting.yaml'), SETTING.replace('format: BulletPoints', 'format: TextBlock'));
    // The kind reads the setting (its guard), then putSummarySetting reads it again (A9) and PUTs:
    // the interrupt arrives while that second read is in flight.
    let reads = 0;
    proxy = await interruptingProxy(s.emu.url, (m, p) => m === 'GET' && /\/conversations\/summaries\/settings\/[^/]+$/.test(p) && ++reads === 2);

    const r = await applyThrough(proxy);
    expect(proxy.signal.aborted, JSON.stringify(proxy.seen)).toBe(true);
    // No write may start after the first interrupt.
    expect(proxy.lateWrites(), JSON.stringify(proxy.seen)).toEqual([]);
    expect(r.code, r.stderr).toBe(130);
  });
});
