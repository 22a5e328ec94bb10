// A TrafficSplit whose metadata.environments leave prod out, live in prod's org (applied there
// before the team limited it): plan --env prod and drift --env prod said "live traffic split not
// in git; left as is", and a version it routes "still routed by the live traffic split, which is
// not in git", though git holds that split and keeps it to dev and staging. Said now as every other
// kind says it (DESIGN §6, README "Documents per environment"): kept out of prod by its document's
// metadata.environments (dev, staging); a split git never defined at all stays "not in git". Either
// is a delete apply cannot make (the gateway cannot remove a split), which drift counts.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { commit, scratch } from '../unit/git/fixture.js';

const { repo } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';
const V1_1 = 'prompts/billing-assistant/v1.1.0.yaml';
const KEPT = "kept out of prod by its document's metadata.environments (dev, staging)";

/** The example prompts, applied to prod (embedded) as they are: its 95/5 split is live there. */
async function appliedToProd(): Promise<string> {
  const cwd = repo();
  cpSync(join(REPO, 'prompts'), join(cwd, 'prompts'), { recursive: true });
  commit(cwd, 'prompts', {});
  for (const env of ['dev', 'staging']) expect((await runCliInProcess(['apply', '--env', env, '--auto-approve'], { cwd, env: {} })).code).toBe(0);
  const saved = await runCliInProcess(['plan', '--env', 'prod', '--out', 'prod.json'], { cwd, env: {} });
  expect(saved.code, saved.stderr).toBe(0);
  const applied = await runCliInProcess(['apply', '--env', 'prod', 'prod.json', '--auto-approve'], { cwd, env: {} });
  expect(applied.code, applied.stderr).toBe(0);
  return cwd;
}

/** The split kept to dev and staging (prod's override gone with it), and 1.1.0 with it. */
function keepSplitOutOfProd(cwd: string): void {
  const split = readFileSync(join(cwd, SPLIT), 'utf8')
    .replace('kind: TrafficSplit\n', 'kind: TrafficSplit\nmetadata:\n  environments: [dev, staging]\n')
    .replace(/\n {2}environments:\n[\s\S]*$/, '\n');
  const version = readFileSync(join(cwd, V1_1), 'utf8').replace('kind: PromptVersion\n', 'kind: PromptVersion\nmetadata:\n  environments: [dev, staging]\n');
  writeFileSync(join(cwd, SPLIT), split);
  writeFileSync(join(cwd, V1_1), version);
  // billing-smoke tests 1.1.0: kept to the same environments.
  const smoke = 'prompts/tests/billing-smoke.yaml';
  writeFileSync(join(cwd, smoke), readFileSync(join(cwd, smoke), 'utf8').replace('  name: billing-smoke\n', '  name: billing-smoke\n  environments: [dev, staging]\n'));
}

describe('a live split git keeps out of the environment', () => {
  it('is named kept out of it, not "not in git", in plan and drift', async () => {
    const cwd = await appliedToProd();
    keepSplitOutOfProd(cwd);
    const validate = await runCliInProcess(['validate', '--env', 'prod'], { cwd, env: {} });
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);

    const plan = await runCliInProcess(['plan', '--env', 'prod', '--prune'], { cwd, env: {} });
    expect(plan.code, plan.stderr).toBe(0);
    // A difference apply cannot make (the gateway cannot remove a split), kept out by git all the same.
    expect(plan.stdout).toContain(`- delete (apply cannot make it) TrafficSplit/billing-assistant\n    ${KEPT}; the gateway cannot remove a traffic split: it still routes 1.0.0 95 %, 1.1.0 5 %`);
    expect(plan.stdout).toContain(`- delete (apply cannot make it) PromptVersion/billing-assistant@1.1.0\n    ${KEPT}; still routed (5 %) by the live traffic split, which is ${KEPT}, and the gateway cannot remove a traffic split`);
    expect(plan.stdout).not.toContain('not in git');

    const drift = await runCliInProcess(['drift', '--env', 'prod'], { cwd, env: {} });
    expect(drift.code, drift.stderr).toBe(2);
    expect(drift.stdout).toContain(`TrafficSplit/billing-assistant: on the target, ${KEPT} (the gateway cannot remove a traffic split: it still routes 1.0.0 95 %, 1.1.0 5 %`);
    expect(drift.stdout + drift.stderr).not.toContain('not in git');
  });

  it('stays "not in git" for a split git does not define in any environment', async () => {
    const cwd = await appliedToProd();
    writeFileSync(join(cwd, SPLIT), '');
    const plan = await runCliInProcess(['plan', '--env', 'prod'], { cwd, env: {} });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('- delete (apply cannot make it) TrafficSplit/billing-assistant\n    the gateway cannot remove a traffic split: it still routes 1.0.0 95 %, 1.1.0 5 %');
    const drift = await runCliInProcess(['drift', '--env', 'prod'], { cwd, env: {} });
    expect(drift.stdout).toContain('TrafficSplit/billing-assistant: on the target, not in git (the gateway cannot remove a traffic split');
  });
});
