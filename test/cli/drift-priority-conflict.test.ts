// A live filter made by hand takes the priority a filter in git holds (its own moved by hand first):
// drift listed the git filter twice, its update and the priority-conflict problem beside it, and the
// problem said nothing of who took the priority or when. It is now one difference, the problem
// apply refuses on, naming the filter that holds the priority with ITS who and when, never put
// under the git filter's address. In-process CLI against a real emulator on port 0, raw HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveIdOf, operatorCalls, putByHand, scenario, type OperatorCall, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
/** Gateway calls as an operator's script makes them (test/helpers/scenario.ts). */
let http: OperatorCall;

beforeEach(async () => {
  s = await scenario();
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
  http = await operatorCalls(s.emu.url);
});
afterEach(async () => {
  await s.close();
});

describe('a priority a filter in git holds, taken by a filter made by hand', () => {
  it('is one difference naming the holder with its own who and when', { timeout: 60_000 }, async () => {
    const id = await liveIdOf(http, 'safetyfilters', 'org-hate-speech');
    const moved = await putByHand(http, `/safetyfilters/${id}`, (body) => ({ ...body, priority: 25 }));
    const holder = await http('POST', '/safetyfilters', {
      name: 'ops-violence',
      priority: 20,
      categories: ['violence'],
      action: 'flag_and_pass',
      thresholds: { violence: 0.9 },
      falsePositiveTolerance: 0.1,
    });

    const json = JSON.parse((await s.cli(['drift', '--format', 'json'])).stdout) as {
      drift: { address: string; action: string; rule?: string; message: string; modifiedBy: string | null; dateModified: string | null; heldBy?: { address: string; modifiedBy: string | null; dateModified: string | null } }[];
    };
    const mine = json.drift.filter((d) => d.address === 'SafetyFilter/org-hate-speech');
    // Counted once: the problem apply refuses on, which says the priority differs from git too.
    expect(mine.map((d) => `${d.action} ${d.rule ?? ''}`)).toEqual(['problem priority-conflict']);
    const [entry] = mine;
    expect(entry!.message).toContain('priority 20 is held by the enabled live filter "ops-violence"');
    // The git filter's own stamp is its own (moved by hand): the holder's goes with the holder's address.
    expect(entry!.dateModified).toBe(moved.dateModified);
    expect(entry!.heldBy).toEqual({ address: 'SafetyFilter/ops-violence', modifiedBy: (holder.modifiedBy as { id: string }).id, dateModified: holder.dateModified });

    const drift = await s.cli(['drift']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    const lines = drift.stdout.split('\n').filter((l) => l.startsWith('  SafetyFilter/org-hate-speech:'));
    expect(lines).toHaveLength(1);
    // This address's own stamp first, then the holder with its own.
    const own = `last changed by ${(moved.modifiedBy as { id: string }).id} at ${moved.dateModified as string}`;
    const theirs = `held by SafetyFilter/ops-violence (last changed by ${(holder.modifiedBy as { id: string }).id} at ${holder.dateModified as string})`;
    expect(lines[0]).toBe(`  SafetyFilter/org-hate-speech: priority-conflict: see Problems above; ${own}; ${theirs}`);

    // The markdown table keeps the holder's stamp in the message, out of this row's columns.
    const md = (await s.cli(['drift', '--format', 'markdown'])).stdout;
    const rows = md.split('\n').filter((l) => l.startsWith('| `SafetyFilter/org-hate-speech`'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`| ${moved.dateModified as string} |`);
    expect(drift.stderr).toContain('Drift: 1 difference ');
  });
});
