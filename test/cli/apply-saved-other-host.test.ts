// A saved plan applied to another API host than it was planned for is refused before anything is
// read of the target but its org. The refusal named one org only, the target by its label, with
// nested parentheses, and no next step: `x.json was planned for http://…:4717 (client loca…) (org
// "Emulated organization" 1127… at 127.0.0.1:4717 (client loca…)), but the target is
// http://…:4743 (client loca…); nothing was applied` (a review; DESIGN §5: refused naming both
// orgs). It now reads this target's org (one quick request, on a refusal only) and says, in one
// sentence, each side's org, host and client once; then where the file applies and the plan to
// make for this target instead, with the run's --dir, which the test follows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

let dir: TempDir;
let planned: TestEmulator;
let other: TestEmulator;

beforeEach(async () => {
  dir = await promptsIn('promptctl-apply-other-host-', { 'billing.yaml': BILLING_1_0 }, 'cfg/gw');
  [planned, other] = await Promise.all([startTestEmulator(), startTestEmulator()]);
});
afterEach(async () => {
  await Promise.all([planned.close(), other.close()]);
  await dir.remove();
});

const cli = (args: string[], at: TestEmulator): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path, env: at.env });
const host = (e: TestEmulator): string => new URL(e.url).host;
const orgId = async (e: TestEmulator): Promise<string> => (await e.api.organization())!.id!;

describe('a saved plan applied at another API host', () => {
  it('names both orgs once each, and the plan for this target, which applies', async () => {
    const saved = await cli(['plan', '--dir', 'cfg/gw', '--out', 'x.json'], planned);
    expect(saved.code, saved.stderr).toBe(0);
    const r = await cli(['apply', '--dir', 'cfg/gw', 'x.json'], other);
    expect(r.code).toBe(1);
    const error = r.stderr.split('\n').find((l) => l.startsWith('error: '))!;
    expect(error).toBe(
      `error: x.json was planned for org "Emulated organization" ${await orgId(planned)} at ${host(planned)} (client loca…), ` +
        `but the target is org "Emulated organization" ${await orgId(other)} at ${host(other)} (client loca…); nothing was applied. ` +
        'A saved plan applies only to the org it was made for: apply it with GENESYSCLOUD_* naming that org. ' +
        "To apply git's state to this target instead, plan it again: `promptctl plan --dir cfg/gw --out plan.json`, review it, then `promptctl apply --dir cfg/gw plan.json`.",
    );
    expect((await other.api.listTemplates()).length).toBe(0);
    // The commands named, copied: a plan of this target, and its apply.
    const [plan, apply] = [...error.matchAll(/`(promptctl [^`]*)`/g)].map((m) => m[1]!.split(' ').slice(1));
    expect((await cli(plan!, other)).code).toBe(0);
    const applied = await cli([...apply!, '--auto-approve'], other);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await other.api.listTemplates()).map((t) => t.name)).toEqual(['billing']);
  });

  it('a target whose org cannot be read is named by its label, saying why', async () => {
    const saved = await cli(['plan', '--dir', 'cfg/gw', '--out', 'plan.json'], planned);
    expect(saved.code, saved.stderr).toBe(0);
    await other.close();
    const r = await cli(['apply', '--dir', 'cfg/gw', 'plan.json'], other);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`but the target is ${other.url.replace(/[.]/g, '\\.')} \\(client loca…\\), whose org could not be read \\(.+\\); nothing was applied\\.`));
    // Not over the reviewed file: the plan for this target goes to another.
    expect(r.stderr).toContain('`promptctl plan --dir cfg/gw --out plan-here.json`, review it, then `promptctl apply --dir cfg/gw plan-here.json`');
  });
});
