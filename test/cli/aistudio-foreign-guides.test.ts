// An org's guides made in Genesys, which git never defined, are left alone by their names: plan
// read two versions of each (up to two requests a guide, all at once, against the org's rate
// limit of 300 a minute): 330 such guides made a plan of one guide take a minute. Now only the
// guides git defines, or once defined (a delete of one is guarded by its latest version), are read.
import { execFileSync } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { scriptedProxy } from '../helpers/interrupt.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const closing: Array<{ close(): Promise<unknown> } | TempDir> = [];
afterEach(async () => {
  for (const x of closing.splice(0).reverse()) await ('remove' in x ? x.remove() : x.close());
});

describe('guides git never defined', () => {
  it("are listed and left alone without a read of their versions; a guide git once defined is still read, and its delete guarded", { timeout: 60_000 }, async () => {
    const dir = await tempDir('promptctl-foreign-guides-');
    closing.push(dir);
    await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    const emu: TestEmulator = await startTestEmulator({});
    closing.push(emu);
    const studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    closing.push(studio);
    const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };
    const git = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir.path, env: gitEnv });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'prompts');
    const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(applied.code, applied.stderr).toBe(0);
    for (let i = 1; i <= 6; i++) await studio.createGuide({ name: `Made by hand ${i}`, source: 'Manual' });

    const proxy = await scriptedProxy(emu.url, () => 'forward');
    closing.push(proxy);
    const viaProxy = { ...emu.env, GENESYSCLOUD_API_URL: proxy.url };
    const ids = new Map((await studio.listGuides()).map((g) => [g.id, g.name]));
    const versionReads = () => proxy.seen.filter((r) => r.method === 'GET' && /^\/api\/v2\/guides\/[^/]+\/versions\//.test(r.path)).map((r) => ids.get(r.path.split('/')[4]!));

    const plan = await runCliInProcess(['plan', '--detailed-exitcode'], { cwd: dir.path, env: viaProxy });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/Guide\/Made by hand 6 — not in git, and git history of prompts\/ never defined it/);
    expect(new Set(versionReads())).toEqual(new Set(['Returns assistant']));

    // Removed from git: still promptctl's by history, so read, and its delete guarded by its version.
    git('rm', '-q', 'prompts/guides/returns-assistant.yaml');
    git('commit', '-qm', 'retire');
    proxy.seen.length = 0;
    const pruned = await runCliInProcess(['apply', '--prune', '--auto-approve'], { cwd: dir.path, env: viaProxy });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(versionReads()).toContain('Returns assistant');
    expect(versionReads().filter((n) => n?.startsWith('Made by hand'))).toEqual([]);
    expect((await studio.listGuides()).map((g) => g.name).sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `Made by hand ${i}`));
  });
});
