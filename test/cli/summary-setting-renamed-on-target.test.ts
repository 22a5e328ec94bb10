// A summary setting renamed by hand in Genesys (same id, same content): plan and drift said git's
// name was "missing on the target" and the renamed one "not promptctl's, left alone", and the plan
// created a second setting with the same content under a new id, without a word that the two were
// one. Both now say so, and what to do (rename it back in Genesys, or rename it in git), as a
// template renamed on the target says (PromptTemplate/renamed.ts). What apply does is unchanged.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const SETTING = `apiVersion: promptctl/v1
kind: SummarySetting
metadata:
  name: Voice wrap-up
spec:
  language: en-US
  prompt: Summarise the call in three lines.
`;

let dir: TempDir | undefined;
let emu: TestEmulator | undefined;
let studio: AiStudioApi | undefined;
afterEach(async () => {
  await studio?.close();
  await emu?.close();
  await dir?.remove();
  dir = emu = studio = undefined;
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });

describe('a summary setting renamed by hand on the target', () => {
  it('is said to be git\'s under another name, in plan and drift, with how to keep its id', { timeout: 60_000 }, async () => {
    dir = await tempDir('promptctl-setting-renamed-');
    emu = await startTestEmulator({});
    studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    const cli = (args: string[]): Promise<CliResult> => runCliInProcess(['--no-color', ...args], { cwd: dir!.path, env: emu!.env });
    await mkdir(join(dir.path, 'prompts/summaries'), { recursive: true });
    await writeFile(join(dir.path, 'prompts/summaries/voice.yaml'), SETTING);
    git(dir.path, 'init', '-q', '-b', 'main');
    git(dir.path, 'add', '-A');
    git(dir.path, 'commit', '-q', '-m', 'prompts');
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);

    const s = (await studio.listSummarySettings({ name: 'Voice wrap-up' }))[0]!;
    const { id, dateModified, selfUri, ...body } = s as typeof s & { selfUri?: string };
    void dateModified;
    void selfUri;
    await studio.putSummarySetting(id, { ...(body as Parameters<AiStudioApi['putSummarySetting']>[1]), name: 'Voice wrap-up v2' });

    const plan = await cli(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`on the target under another name, SummarySetting/Voice wrap-up v2 (id ${id}), which holds the same content`);
    expect(plan.stdout).toContain('rename it back to "Voice wrap-up" in Genesys Cloud, or rename the summary setting to "Voice wrap-up v2" in git');
    // Before: "not promptctl's, left alone", and nothing more.
    expect(plan.stdout).toContain("not promptctl's, left alone; it holds the same content as SummarySetting/Voice wrap-up, which git defines and this plan creates anew: that summary setting renamed by hand on the target");

    const drift = await cli(['drift']);
    expect(drift.stdout + drift.stderr).toContain('SummarySetting/Voice wrap-up: defined in git, missing on the target — on the target under another name, SummarySetting/Voice wrap-up v2');
  });
});
