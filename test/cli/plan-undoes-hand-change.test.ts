// An update that puts back what someone changed by hand on the target, after git last changed the
// object, says so on the plan: a reviewer read it as the pull request's own change and could undo
// a fix made in Genesys Cloud without knowing (a review's walk: a split set to 50/50 by hand showed
// as a plain `~ update` in the pull request's comment). git is asked once for all such objects.
// In-process CLI against a real emulator on port 0, changed by raw HTTP.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { committed, gitIn, liveIdOf, operatorCalls, putByHand, scenario, type OperatorCall, type Scenario } from '../helpers/scenario.js';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

let s: Scenario;
let http: OperatorCall;
/** The description changed as the Genesys UI saves it. */
async function describeByHand(name: string, description: string): Promise<Record<string, unknown>> {
  return putByHand(http, `/prompttemplates/${await liveIdOf(http, 'prompttemplates', name)}`, (body) => ({ ...body, description }));
}

// Commits dated in the past or future, so the order of git's change and the target's is plain (a commit's time is to the second).
beforeEach(async () => {
  s = await scenario();
  committed(s.dir.path, '2020-01-01T00:00:00Z');
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
  http = await operatorCalls(s.emu.url);
});
afterEach(async () => {
  await s.close();
});

describe('an update that undoes a change made on the target', () => {
  it('says who changed the target and when, in text, markdown and JSON; not once git changed the object since', { timeout: 60_000 }, async () => {
    const t = await describeByHand('billing-assistant', 'Hotfix: refunds paused.');
    const note = `the target was changed by ${(t.modifiedBy as { id: string }).id} at ${t.dateModified as string}, after git last changed it: applying puts git's back`;

    const text = await s.cli(['plan']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('~ update PromptTemplate/billing-assistant');
    expect(text.stdout).toContain(note);
    const md = await s.cli(['plan', '--format', 'markdown']);
    expect(md.stdout).toContain(note);
    expect(md.stdout).toContain('`undoes-target-change`');
    const json = JSON.parse((await s.cli(['plan', '--format', 'json'])).stdout) as { warnings?: { address: string; rule: string; message: string }[]; fingerprint: string };
    // A warning (outside the fingerprint: a squashed merge may date git's change after the target's), one for the one object changed.
    expect(json.warnings).toEqual([expect.objectContaining({ address: 'PromptTemplate/billing-assistant', rule: 'undoes-target-change', message: note })]);

    // A pull request that changes the template after the hand change: the update is git's own.
    const file = join(s.dir.path, 'prompts/billing/billing-assistant.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^  description: .*$/m, '  description: Answers billing questions.'));
    gitIn(s.dir.path, '2099-01-01T00:00:00Z')('commit', '-q', '-am', 'describe');
    const after = await s.cli(['plan']);
    expect(after.stdout).toContain('~ update PromptTemplate/billing-assistant');
    expect(after.stdout).not.toContain('the target was changed');
    expect(after.code).toBe(0);
    // Uncommitted edits are git's newest too.
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^  description: .*$/m, '  description: Answers billing questions, kindly.'));
    expect((await s.cli(['plan'])).stdout).not.toContain('the target was changed');
  });

  it("says nothing of an update promptctl.yaml asks for (a guide's publish state): git's change, not one on the target", { timeout: 60_000 }, async () => {
    // A review: a pull request changing only an environment's guidePublish warned of every guide.
    const t = await tempDir('promptctl-guide-publish-');
    try {
      await cp(join(REPO, 'prompts'), join(t.path, 'prompts'), { recursive: true });
      committed(t.path, '2020-01-01T00:00:00Z');
      const run = (args: string[]) => runCliInProcess(args, { cwd: t.path, env: {} });
      expect((await run(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
      const config = join(t.path, 'prompts/promptctl.yaml');
      await writeFile(config, (await readFile(config, 'utf8')).replace('guidePublish: TestReady', 'guidePublish: ProductionReady'));
      const plan = await run(['plan', '--env', 'staging', '--format', 'json']);
      expect(plan.code, plan.stderr).toBe(0);
      const json = JSON.parse(plan.stdout) as { actions: { address: string; action: string }[]; warnings?: { rule: string }[] };
      expect(json.actions.filter((a) => a.action === 'update').map((a) => a.address)).toEqual(['Guide/Returns assistant']);
      expect((json.warnings ?? []).map((w) => w.rule)).not.toContain('undoes-target-change');
    } finally {
      await t.remove();
    }
  });
});
