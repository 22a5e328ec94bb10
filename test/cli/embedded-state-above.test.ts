// A run from a subdirectory of the project (`cd prompts && promptctl plan --dir .`) starts an empty
// embedded org of its own, since the state is kept under the working directory: it says so, and
// names the state above that earlier runs used, instead of silently planning everything anew.
import { existsSync } from 'node:fs';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { fixtureCopy, tempDir, type TempDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const NOTE = 'note: this directory holds no embedded state yet, so this run starts an empty org; ../.promptctl/local-state.json above holds the org of earlier runs.';

describe('the embedded state of a directory above', () => {
  it('is named when a run from a subdirectory would start an empty org', async () => {
    dir = await fixtureCopy('basic');
    const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path });
    expect(applied.code).toBe(0);
    // From the project's root: its own state, no note.
    const atRoot = await runCliInProcess(['plan'], { cwd: dir.path });
    expect(atRoot.code).toBe(0);
    expect(atRoot.stdout).toContain('No changes');
    expect(atRoot.stderr).not.toContain('note: this directory holds no embedded state');

    const inside = await runCliInProcess(['plan', '--dir', '.'], { cwd: join(dir.path, 'prompts') });
    expect(inside.code).toBe(0);
    expect(inside.stderr).toContain(NOTE);
    expect(inside.stderr).toContain('to use that org, run promptctl from .. (with --dir)');
    // The target line comes first; the note follows it.
    expect(inside.stderr.indexOf('target: embedded emulator')).toBeLessThan(inside.stderr.indexOf(NOTE));
  });

  it('is not named once the subdirectory has a state of its own, nor past a repository root', async () => {
    dir = await fixtureCopy('basic');
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path })).code).toBe(0);
    const sub = join(dir.path, 'prompts');
    // A plan there makes no state (it only reads), so a second one says it again; an apply there
    // makes its state, and a plan after it finds it and says nothing.
    expect((await runCliInProcess(['plan', '--dir', '.'], { cwd: sub })).stderr).toContain('note: this directory holds no embedded state yet');
    expect((await runCliInProcess(['plan', '--dir', '.'], { cwd: sub })).stderr).toContain('note: this directory holds no embedded state yet');
    expect((await runCliInProcess(['apply', '--dir', '.', '--auto-approve'], { cwd: sub })).code).toBe(0);
    const again = await runCliInProcess(['plan', '--dir', '.'], { cwd: sub });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('note: this directory holds no embedded state');

    // A repository inside the directory that holds a state: the walk stops at its root.
    const repo = join(dir.path, 'other');
    await mkdir(join(repo, '.git'), { recursive: true });
    await mkdir(join(repo, 'sub'), { recursive: true });
    await cp(join(dir.path, 'prompts'), join(repo, 'sub', 'prompts'), { recursive: true });
    const planned = await runCliInProcess(['plan', '--dir', '.'], { cwd: join(repo, 'sub', 'prompts') });
    expect(planned.code).toBe(0);
    expect(planned.stderr).not.toContain('note: this directory holds no embedded state');
  });

  it('is named from a sibling directory of the prompts, and for a command that reads no prompts directory', async () => {
    dir = await fixtureCopy('basic');
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path })).code).toBe(0);
    const scripts = join(dir.path, 'scripts');
    await mkdir(scripts);
    const sibling = await runCliInProcess(['plan', '--dir', '../prompts'], { cwd: scripts });
    expect(sibling.stderr).toContain('note: this directory holds no embedded state yet, so this run starts an empty org; ../.promptctl/local-state.json above');
    // status reads no prompts directory: one holding promptctl.yaml is taken for it.
    await writeFile(join(dir.path, 'prompts', 'promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec: {}\n');
    const status = await runCliInProcess(['status'], { cwd: join(dir.path, 'prompts') });
    expect(status.stderr).toContain('note: this directory holds no embedded state yet');
  });

  it('is named from any subdirectory of the repository for a command that reads no prompts directory', async () => {
    dir = await fixtureCopy('basic');
    await mkdir(join(dir.path, '.git'));
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path })).code).toBe(0);
    // `cd scripts`: no prompts/ below it and no promptctl.yaml in it, so it is no project's root.
    const scripts = join(dir.path, 'scripts');
    await mkdir(scripts);
    const status = await runCliInProcess(['status'], { cwd: scripts });
    expect(status.code).toBe(0);
    expect(status.stderr).toContain(NOTE);
    expect(status.stderr).toContain('to use that org, run promptctl from .. (with --dir)');
    const run = await runCliInProcess(['run', 'billing-assistant', '--var', 'question=hi'], { cwd: scripts });
    expect(run.stderr).toContain(NOTE);
    // Nothing can be invoked on an empty org: run and test leave no state of their own behind,
    // which would silence the note on every later run from there.
    expect(run.code).toBe(1);
    const tested = await runCliInProcess(['test', '--dir', '../prompts'], { cwd: scripts });
    expect(tested.stderr).toContain(NOTE);
    expect(existsSync(join(scripts, '.promptctl', 'local-state.json'))).toBe(false);
    expect((await runCliInProcess(['status'], { cwd: scripts })).stderr).toContain(NOTE);
    // From the root itself, nothing is above.
    expect((await runCliInProcess(['status'], { cwd: dir.path })).stderr).not.toContain('note: this directory holds no embedded state');
  });

  it('is not named for a flat project (YAML at its root, no repository) below a directory that holds a state', async () => {
    dir = await fixtureCopy('basic');
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path })).code).toBe(0);
    const flat = join(dir.path, 'work', 'flat');
    await cp(join(dir.path, 'prompts'), flat, { recursive: true });
    const r = await runCliInProcess(['plan', '--dir', '.'], { cwd: flat });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('note: this directory holds no embedded state');
  });

  it('is not named for a project of its own below a directory that holds a state (run from its root)', async () => {
    dir = await fixtureCopy('basic');
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path })).code).toBe(0);
    // No repository anywhere: a new project in a subdirectory of the first, run as usual.
    const project = join(dir.path, 'work', 'newproj');
    await cp(join(dir.path, 'prompts'), join(project, 'prompts'), { recursive: true });
    const r = await runCliInProcess(['plan'], { cwd: project });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('note: this directory holds no embedded state');
  });
});

// A review: from a subdirectory, prod's promotion check read staging's embedded org here, empty,
// and put every version down as never run in staging, though staging's state above held them all.
describe("the previous environment's embedded state above", () => {
  it('is named by the promotion check, which reads an empty org here', async () => {
    dir = await tempDir('promptctl-promotion-above-');
    await cp(join(ROOT, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    for (const env of ['dev', 'staging']) expect((await runCliInProcess(['apply', '--env', env, '--auto-approve'], { cwd: dir.path, env: {} })).code).toBe(0);
    const inside = await runCliInProcess(['plan', '--env', 'prod', '--dir', '.'], { cwd: join(dir.path, 'prompts'), env: {} });
    expect(inside.stderr).toContain(
      'reading staging for the promotion check: this directory holds no embedded state yet, so this run starts an empty org; ../.promptctl/envs/staging/local-state.json above holds the org of earlier runs.',
    );
    // From the root, staging's own state: no such note, and the promotion holds.
    const atRoot = await runCliInProcess(['plan', '--env', 'prod'], { cwd: dir.path, env: {} });
    expect(atRoot.code, atRoot.stderr).toBe(0);
    expect(atRoot.stderr).not.toContain('reading staging for the promotion check: this directory');
  });
});
