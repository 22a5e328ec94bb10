// An Email summary setting (interactionType no write can set, A11: the org's, left out of git)
// renamed in git or by hand was not read as a rename: the create's Live default made the two
// differ, so plan said neither "renamed in git" nor "on the target under another name", and
// --prune replaced the Email setting by a Live one without a word. Both notes now come, the rename
// in git warns that the Email goes with prune, and --prune refuses to lose it; renamed in Genesys
// instead, as the message says, the next plan finds it, Email kept.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const setting = (name: string) => `apiVersion: promptctl/v1
kind: SummarySetting
metadata:
  name: ${name}
spec:
  language: en-US
  prompt: Summarise the e-mail thread in three lines.
`;

let dir: TempDir | undefined;
let states: TempDir | undefined;
let emu: TestEmulator | undefined;
let studio: AiStudioApi | undefined;
afterEach(async () => {
  await studio?.close();
  await emu?.close();
  await dir?.remove();
  await states?.remove();
  dir = states = emu = studio = undefined;
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(['--no-color', ...args], { cwd: dir!.path, env: emu!.env });

/** `External one` applied from git, then made an Email setting in the org's state, as one made in Genesys is (the API cannot). */
async function emailSettingApplied(): Promise<string> {
  dir = await tempDir('promptctl-email-renamed-');
  states = await tempDir('promptctl-email-renamed-state-');
  const stateFile = join(states.path, 'org.json');
  emu = await startTestEmulator({ stateFile });
  await mkdir(join(dir.path, 'prompts/summaries'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/summaries/external.yaml'), setting('External one'));
  git(dir.path, 'init', '-q', '-b', 'main');
  git(dir.path, 'add', '-A');
  git(dir.path, 'commit', '-q', '-m', 'prompts');
  const applied = await cli(['apply', '--auto-approve']);
  expect(applied.code, applied.stderr).toBe(0);
  await emu.close();
  const state = JSON.parse(await readFile(stateFile, 'utf8')) as { summarySettings: Record<string, { name: string; interactionType: string }> };
  const [id, rec] = Object.entries(state.summarySettings).find(([, s]) => s.name === 'External one')!;
  rec.interactionType = 'Email';
  await writeFile(stateFile, JSON.stringify(state));
  emu = await startTestEmulator({ stateFile });
  studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
  return id;
}

describe('an Email summary setting renamed', () => {
  it('in git: said as a rename, its Email said lost with prune, and --prune refused; renamed in Genesys instead, nothing left to do', { timeout: 60_000 }, async () => {
    const id = await emailSettingApplied();
    await writeFile(join(dir!.path, 'prompts/summaries/external.yaml'), setting('External two'));
    git(dir!.path, 'commit', '-q', '-am', 'rename');

    const plan = await cli(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('the same content as SummarySetting/External one, which this plan would delete with prune: renamed in git');
    expect(plan.stdout).toMatch(/Warnings \(1\):\n {2}! SummarySetting\/External two \(prompts\/summaries\/external\.yaml:4:9\) \[read-only-field\]\n/);
    expect(plan.stdout).toContain(
      'git renames SummarySetting/External one to "External two", but the Platform API cannot set interactionType (read-only): the new setting would be Live, and SummarySetting/External one\'s Email is lost once prune deletes it; rename the summary setting in Genesys Cloud instead (the next plan finds it under the new name)',
    );
    expect(plan.stdout).toContain('(an Email setting, which the Platform API cannot create again: interactionType is read-only)');

    const pruned = await cli(['plan', '--prune']);
    expect(pruned.code).toBe(1);
    expect(pruned.stdout).toContain("SummarySetting/External one's Email is lost for good when this plan deletes it");
    const applied = await cli(['apply', '--prune', '--auto-approve']);
    expect(applied.code).toBe(1);
    expect((await studio!.getSummarySetting(id)).interactionType).toBe('Email');

    // As the message says: renamed in Genesys, the next plan finds it under the new name, Email kept.
    const s = await studio!.getSummarySetting(id);
    await studio!.putSummarySetting(id, { ...s, name: 'External two' });
    const after = await cli(['plan', '--prune']);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain('No changes');
    expect((await studio!.getSummarySetting(id)).interactionType).toBe('Email');
  });

  it('by hand on the target: found under its other name, with what the setting the plan creates cannot be', { timeout: 60_000 }, async () => {
    const id = await emailSettingApplied();
    const s = await studio!.getSummarySetting(id);
    await studio!.putSummarySetting(id, { ...s, name: 'External hand' });

    const plan = await cli(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`on the target under another name, SummarySetting/External hand (id ${id}), which holds the same content`);
    expect(plan.stdout).toContain('the setting it creates is Live, where SummarySetting/External hand is Email: the Platform API cannot set interactionType (read-only)');
    expect(plan.stdout).toContain('it holds the same content as SummarySetting/External one, which git defines and this plan creates anew');
  });
});
