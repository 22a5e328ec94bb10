import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, symlinkSync, unlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { changedSince } from '../../../src/git/changed.js';
import { UserError } from '../../../src/util/errors.js';
import { commit, git, scratch, write } from './fixture.js';

const { dir, repo } = scratch();

describe('changedSince', () => {
  it('lists files changed by the last commit, relative to cwd', async () => {
    const d = repo();
    commit(d, 'base', { 'prompts/a.yaml': 'a\n', 'prompts/b.yaml': 'b\n', 'README.md': 'r\n' });
    commit(d, 'edit b', { 'prompts/b.yaml': 'b2\n' });
    expect((await changedSince(d, {}, 'HEAD~1')).files).toEqual(['prompts/b.yaml']);
    expect((await changedSince(join(d, 'prompts'), {}, 'HEAD~1')).files).toEqual(['b.yaml']);
    expect((await changedSince(d, {}, 'HEAD')).files).toEqual([]);
  });

  it('never writes the index (a git commit run meanwhile would fail on index.lock); a touched file counts as changed', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n', 'prompts/b.yaml': 'b: 1\n' });
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(d, 'prompts/a.yaml'), later, later);
    const index = join(d, '.git', 'index');
    const before = statSync(index).mtimeMs;
    const bytes = readFileSync(index);
    const changed = await changedSince(d, {}, 'HEAD');
    expect(statSync(index).mtimeMs).toBe(before);
    expect(readFileSync(index).equals(bytes)).toBe(true);
    expect(changed.files).toEqual(['prompts/a.yaml']);
  });

  it('reads the repository that holds the prompts directory, not the working directory\'s', async () => {
    const d = repo();
    commit(d, 'base', { 'prompts/a.yaml': 'a\n', 'prompts/b.yaml': 'b\n' });
    write(d, 'prompts/b.yaml', 'b2\n');
    const elsewhere = repo();
    commit(elsewhere, 'other', { 'x.txt': 'x\n' });
    const outside = dir();
    for (const cwd of [elsewhere, outside]) {
      const change = await changedSince(cwd, {}, 'HEAD', { before: join(d, 'prompts') });
      expect(change.files.map((f) => join(cwd, f))).toEqual([join(d, 'prompts/b.yaml')]);
      expect(change.before).toEqual(['b\n']);
    }
  });

  it('includes committed, staged, modified, deleted, renamed and untracked files, not ignored ones', async () => {
    const d = repo();
    commit(d, 'base', {
      '.gitignore': 'ignored/\n',
      'prompts/keep.yaml': 'k\n',
      'prompts/mod.yaml': 'm\n',
      'prompts/del.yaml': 'd\n',
      'prompts/old-name.yaml': 'o\n',
    });
    commit(d, 'committed', { 'prompts/committed.yaml': 'c\n' });
    write(d, 'prompts/mod.yaml', 'm2\n');
    unlinkSync(join(d, 'prompts/del.yaml'));
    git(d, 'mv', 'prompts/old-name.yaml', 'prompts/new-name.yaml');
    write(d, 'prompts/staged.yaml', 's\n');
    git(d, 'add', 'prompts/staged.yaml');
    write(d, 'prompts/untracked.yaml', 'u\n');
    write(d, 'ignored/x.yaml', 'i\n');
    expect((await changedSince(join(d, 'prompts'), {}, 'HEAD~1')).files).toEqual([
      'committed.yaml',
      'del.yaml',
      'mod.yaml',
      'new-name.yaml',
      'old-name.yaml',
      'staged.yaml',
      'untracked.yaml',
    ]);
  });

  it('includes the files git ignores under the prompts directory (the loader reads them), not those of its dot-directories and node_modules, nor ignored ones elsewhere', async () => {
    const d = repo();
    commit(d, 'base', { '.gitignore': '*.local.yaml\nignored/\nnode_modules/\n.cache/\n', 'prompts/a.yaml': 'a\n' });
    write(d, 'prompts/filters/mine.local.yaml', 'm\n');
    write(d, 'prompts/texts [1]/ignored/text.md', 't\n');
    write(d, 'prompts/node_modules/x/y.yaml', 'n\n');
    write(d, 'prompts/.cache/c.yaml', 'c\n');
    write(d, 'other/elsewhere.local.yaml', 'e\n');
    expect((await changedSince(d, {}, 'HEAD', { before: 'prompts' })).files).toEqual(['prompts/filters/mine.local.yaml', 'prompts/texts [1]/ignored/text.md']);
    // Without a prompts directory, nothing ignored counts.
    expect((await changedSince(d, {}, 'HEAD')).files).toEqual([]);
  });

  it('counts the file a changed symbolic link leads to as changed: a {file:} text read through a link retargeted since REF is that file', async () => {
    const d = repo();
    commit(d, 'base', { 'prompts/texts/old.md': 'old\n', 'prompts/texts/new.md': 'new\n', 'prompts/a.yaml': 'a\n' });
    symlinkSync('texts/old.md', join(d, 'prompts/system.md'));
    commit(d, 'link');
    unlinkSync(join(d, 'prompts/system.md'));
    symlinkSync('texts/new.md', join(d, 'prompts/system.md'));
    expect((await changedSince(d, {}, 'HEAD', { before: 'prompts' })).files).toEqual(['prompts/system.md', 'prompts/texts/new.md']);
    // A link that leads nowhere now, or out of the repository, adds nothing.
    unlinkSync(join(d, 'prompts/system.md'));
    symlinkSync('texts/gone.md', join(d, 'prompts/system.md'));
    expect((await changedSince(d, {}, 'HEAD', { before: 'prompts' })).files).toEqual(['prompts/system.md']);
    unlinkSync(join(d, 'prompts/system.md'));
    symlinkSync(dir(), join(d, 'prompts/system.md'));
    expect((await changedSince(d, {}, 'HEAD', { before: 'prompts' })).files).toEqual(['prompts/system.md']);
  });

  it('names a link to a directory the prompts directory reads through (itself, or one inside it) changed since REF: what it leads to changed whole', async () => {
    const d = repo();
    commit(d, 'base', { 'src/v1/a.yaml': 'a\n', 'src/v2/a.yaml': 'a2\n', 'src/v2/.versions/x/b.yaml': 'b\n', 'src/other/x.yaml': 'x\n' });
    symlinkSync('src/v1', join(d, 'prompts'));
    symlinkSync('src/other', join(d, 'other'));
    commit(d, 'link');
    expect((await changedSince(d, {}, 'HEAD', { before: 'prompts' })).wholeDirs).toEqual([]);
    unlinkSync(join(d, 'prompts'));
    symlinkSync('src/v2', join(d, 'prompts'));
    expect(await changedSince(d, {}, 'HEAD', { before: 'prompts' })).toMatchObject({ files: ['prompts'], wholeDirs: ['prompts'] });
    // A link inside it, to a directory it holds; not a link to one it does not hold.
    symlinkSync('.versions/x', join(d, 'src/v2/current'));
    unlinkSync(join(d, 'other'));
    symlinkSync('src/v1', join(d, 'other'));
    expect((await changedSince(d, {}, 'HEAD', { before: 'prompts' })).wholeDirs).toEqual(['prompts', 'prompts/current']);
    expect((await changedSince(d, {}, 'HEAD')).wholeDirs).toEqual([]);
  });

  it('names a submodule or a nested repository inside the prompts directory that changed since REF: git names none of its files', async () => {
    const lib = repo();
    commit(lib, 'one', { 'a.yaml': 'a\n' });
    const d = repo();
    commit(d, 'base', { 'prompts/x.yaml': 'x\n' });
    git(d, 'submodule', '--quiet', 'add', lib, 'prompts/shared');
    commit(d, 'shared prompts');
    expect((await changedSince(d, {}, 'HEAD', { before: 'prompts' })).wholeDirs).toEqual([]);
    commit(join(d, 'prompts/shared'), 'two', { 'a.yaml': 'a2\n' });
    expect(await changedSince(d, {}, 'HEAD', { before: 'prompts' })).toMatchObject({ files: ['prompts/shared'], wholeDirs: ['prompts/shared'] });
    // A repository cloned into it, which the outer one does not track.
    git(d, 'clone', '-q', lib, 'prompts/vendor');
    expect((await changedSince(d, {}, 'HEAD', { before: 'prompts' })).wholeDirs).toEqual(['prompts/shared', 'prompts/vendor']);
  });

  it('reads the changed YAML files under `before` as they were at the merge base, in one git process', async () => {
    const d = repo();
    commit(d, 'base', { 'prompts/del.yaml': 'deleted\n', 'prompts/mod.yaml': 'old\n', 'prompts/same.yaml': 'same\n', 'prompts/notes.md': 'n\n', 'other/x.yaml': 'outside\n' });
    unlinkSync(join(d, 'prompts/del.yaml'));
    write(d, 'prompts/mod.yaml', 'new\n');
    write(d, 'prompts/notes.md', 'n2\n');
    write(d, 'prompts/added.yaml', 'added\n');
    write(d, 'other/x.yaml', 'outside 2\n');
    const change = await changedSince(d, {}, 'HEAD', { before: 'prompts' });
    expect(change.files).toEqual(['other/x.yaml', 'prompts/added.yaml', 'prompts/del.yaml', 'prompts/mod.yaml', 'prompts/notes.md']);
    expect([...change.before].sort()).toEqual(['deleted\n', 'old\n']);
    // From inside the directory, and without `before`, nothing is read.
    expect([...(await changedSince(join(d, 'prompts'), {}, 'HEAD', { before: '.' })).before].sort()).toEqual(['deleted\n', 'old\n']);
    expect((await changedSince(d, {}, 'HEAD')).before).toEqual([]);
  });

  it('compares against the merge base, so changes on the base branch since do not count', async () => {
    const d = repo();
    commit(d, 'base', { 'prompts/a.yaml': 'a\n', 'prompts/b.yaml': 'b\n' });
    git(d, 'checkout', '-q', '-b', 'feature');
    commit(d, 'feature edits a', { 'prompts/a.yaml': 'a2\n' });
    git(d, 'checkout', '-q', 'main');
    commit(d, 'main edits b', { 'prompts/b.yaml': 'b2\n' });
    git(d, 'checkout', '-q', 'feature');
    expect((await changedSince(d, {}, 'main')).files).toEqual(['prompts/a.yaml']);
  });

  it('gives paths outside cwd as ../ and handles names with spaces and non-ASCII', async () => {
    const d = repo();
    commit(d, 'base', { 'prompts/a.yaml': 'a\n' });
    commit(d, 'edit', { 'docs/notes é.md': 'n\n', 'prompts/with space.yaml': 'w\n' });
    expect((await changedSince(join(d, 'prompts'), {}, 'HEAD~1')).files).toEqual(['../docs/notes é.md', 'with space.yaml']);
  });

  it('refuses an unknown ref, an option-like ref and a directory outside git', async () => {
    const d = repo();
    commit(d, 'base');
    await expect(changedSince(d, {}, 'no-such-branch')).rejects.toThrow(/unknown git ref "no-such-branch"/);
    await expect(changedSince(d, {}, '--output=/tmp/x')).rejects.toBeInstanceOf(UserError);
    // A range is not one ref (git said "HEAD..HEAD and HEAD have no common ancestor").
    await expect(changedSince(d, {}, 'HEAD..HEAD')).rejects.toThrow(/"HEAD\.\.HEAD" is a range; give one ref/);
    await expect(changedSince(d, {}, 'main...HEAD')).rejects.toThrow(/is a range/);
    const plain = dir();
    await expect(changedSince(plain, {}, 'HEAD')).rejects.toThrow(/needs a git repository/);
  });

  it('says to fetch more history in a shallow clone that lacks the ref', async () => {
    const origin = repo();
    commit(origin, 'one', { 'prompts/a.yaml': '1\n' });
    commit(origin, 'two', { 'prompts/a.yaml': '2\n' });
    commit(origin, 'three', { 'prompts/a.yaml': '3\n' });
    const clone = dir();
    git(clone, 'clone', '-q', '--depth', '1', `file://${origin}`, 'c');
    const c = join(clone, 'c');
    const err = await changedSince(c, {}, 'HEAD~1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/shallow clone.*git fetch --unshallow.*fetch-depth: 0/);
  });

  it('says to fetch more history when the ref is present but the merge base is cut off', async () => {
    const origin = repo();
    commit(origin, 'base', { 'prompts/a.yaml': '1\n' });
    commit(origin, 'main 2', { 'prompts/a.yaml': '2\n' });
    git(origin, 'checkout', '-q', '-b', 'feature', 'HEAD~1');
    commit(origin, 'feature 1', { 'prompts/b.yaml': 'b\n' });
    commit(origin, 'feature 2', { 'prompts/b.yaml': 'b2\n' });
    const clone = dir();
    git(clone, 'clone', '-q', '--depth', '1', '--no-single-branch', '--branch', 'feature', `file://${origin}`, 'c');
    const c = join(clone, 'c');
    await expect(changedSince(c, {}, 'origin/main')).rejects.toThrow(/history between origin\/main and HEAD is cut off.*fetch-depth: 0/);
    // After fetching the history it works.
    git(c, 'fetch', '-q', '--unshallow');
    expect((await changedSince(c, {}, 'origin/main')).files).toEqual(['prompts/b.yaml']);
  });
});
