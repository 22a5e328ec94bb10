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

// A review: a guide's apply killed after it wrote git's content into a new Draft, before the
// publish, was planned next as "publishes Draft 2.0 (it holds this content already)" with the
// warning that applying puts git's back over a change made on the target: promptctl's own
// unfinished write, read by a reviewer as a fix made in Genesys about to be undone.
describe("a guide whose latest version holds git's content, or none", () => {
  it('is not said to undo a change on the target; a Draft with other content still is', { timeout: 60_000 }, async () => {
    const t = await tempDir('promptctl-guide-midway-');
    const { startTestEmulator } = await import('../helpers/emulator.js');
    // As it happens: applied ten days ago, git changed five days ago, the interrupted apply today.
    const DAY = 86_400_000;
    let offset = -10 * DAY;
    const emu = await startTestEmulator({ now: () => Date.now() + offset });
    try {
      await cp(join(REPO, 'prompts'), join(t.path, 'prompts'), { recursive: true });
      committed(t.path, new Date(Date.now() - 11 * DAY).toISOString());
      const run = (args: string[]) => runCliInProcess(args, { cwd: t.path, env: emu.env });
      expect((await run(['apply', '--auto-approve'])).code).toBe(0);
      const md = join(t.path, 'prompts/guides/returns-assistant.md');
      const instruction = `${await readFile(md, 'utf8')}\nAlways confirm the order number.\n`;
      await writeFile(md, instruction);
      gitIn(t.path, new Date(Date.now() - 5 * DAY).toISOString())('commit', '-q', '-am', 'guide');
      offset = 0;

      // The guide's API as an operator (or the killed apply) calls it.
      const login = await fetch(`${emu.url}/oauth/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from('local-client:local-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      const token = ((await login.json()) as { access_token: string }).access_token;
      const call = async (method: string, path: string, body?: unknown) => {
        const r = await fetch(`${emu.url}/api/v2${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        expect(r.status, `${method} ${path}`).toBeLessThan(300);
        return (await r.json()) as Record<string, any>;
      };
      const guide = ((await call('GET', '/guides?pageSize=100')).entities as Record<string, any>[]).find((g) => g.name === 'Returns assistant')!;
      const { selfUri, guide: _g, version: label, state, dateCreated, dateModified, ...content } = await call('GET', `/guides/${guide.id}/versions/${guide.latestSavedVersion.version}`);
      void [selfUri, _g, label, state, dateCreated, dateModified];
      const draft = await call('POST', `/guides/${guide.id}/versions`, { ...content, instruction });

      const plan = async () => JSON.parse((await run(['plan', '--format', 'json'])).stdout) as { actions: { address: string; action: string; reason?: string }[]; warnings?: { address: string; rule: string }[] };
      const finishing = await plan();
      expect(finishing.actions.find((a) => a.address === 'Guide/Returns assistant')).toMatchObject({ action: 'update', reason: expect.stringMatching(/^publishes Draft [^ ]+ \(it holds this content already\)/) });
      expect((finishing.warnings ?? []).filter((w) => w.rule === 'undoes-target-change')).toEqual([]);

      // Someone's own Draft, other content: editing it in place does put git's back.
      await call('PATCH', `/guides/${guide.id}/versions/${draft.version as string}`, { ...content, instruction: 'Hand-written draft.' });
      const undoing = await plan();
      expect(undoing.actions.find((a) => a.address === 'Guide/Returns assistant')).toMatchObject({ action: 'update', reason: expect.stringMatching(/^edits Draft/) });
      expect((undoing.warnings ?? []).filter((w) => w.rule === 'undoes-target-change').map((w) => w.address)).toEqual(['Guide/Returns assistant']);

      // That Draft published by hand as a hotfix, an empty Draft on top (a review): the publish replaces the hotfix, which is the target's.
      const job = await call('POST', `/guides/${guide.id}/versions/${draft.version as string}/jobs`, { guideVersion: { state: 'ProductionReady' } });
      // The publish job runs a moment: read until it is done, as an operator's UI does.
      while ((await call('GET', `/guides/${guide.id}/versions/${draft.version as string}/jobs/${job.id as string}`)).status === 'InProgress');
      await call('POST', `/guides/${guide.id}/versions`, { instruction: '' });
      const overHotfix = await plan();
      expect(overHotfix.actions.find((a) => a.address === 'Guide/Returns assistant')).toMatchObject({ action: 'update', reason: expect.stringMatching(/replacing production version/) });
      expect((overHotfix.warnings ?? []).filter((w) => w.rule === 'undoes-target-change').map((w) => w.address)).toEqual(['Guide/Returns assistant']);
    } finally {
      await emu.close();
      await t.remove();
    }
  });
});
