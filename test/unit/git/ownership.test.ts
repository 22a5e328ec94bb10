import { describe, expect, it, vi } from 'vitest';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { committedNames, documentNames, yamlBlobs } from '../../../src/git/ownership.js';
import { execFileSync } from 'node:child_process';
import { commit, git, scratch, write } from './fixture.js';

const { dir, repo } = scratch();
const KINDS = ['Guide', 'SummarySetting'];

const guideDoc = (name: string) => `apiVersion: promptctl/v1\nkind: Guide\nmetadata:\n  name: ${name}\nspec:\n  instruction: Hi\n`;
const settingDoc = (name: string) => `apiVersion: promptctl/v1\nkind: "SummarySetting"\nmetadata: {name: '${name}'}\nspec: {language: en-US}\n`;

/** git in `d` with the author and committer dates given first: a history with known dates. */
function datedGit(d: string): (date: string, ...args: string[]) => void {
  return (date, ...args) => {
    execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: d, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@a', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@a', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
  };
}

describe('committedNames', () => {
  it('names every Guide and SummarySetting ever committed under the directory, renamed, removed or not', async () => {
    const d = repo();
    commit(d, 'one', {
      'prompts/guides/a.yaml': guideDoc('Returns assistant'),
      'prompts/all.yml': `${settingDoc('Voice wrap-up (en-US)')}---\n${guideDoc('Billing / invoices')}`,
      'elsewhere/x.yaml': guideDoc('Not under prompts'),
      'prompts/notes.md': guideDoc('Not YAML'),
    });
    commit(d, 'rename', { 'prompts/guides/a.yaml': guideDoc('Returns and exchanges') });
    const renamed = new Date(git(d, 'log', '-1', '--format=%cI')).toISOString();
    git(d, 'rm', '-q', 'prompts/all.yml');
    commit(d, 'remove');
    const removed = new Date(git(d, 'log', '-1', '--format=%cI')).toISOString();
    const r = await committedNames(d, {}, 'prompts', KINDS);
    expect(r).toEqual({
      names: { Guide: ['Billing / invoices', 'Returns and exchanges', 'Returns assistant'], SummarySetting: ['Voice wrap-up (en-US)'] },
      // When each name HEAD no longer holds left git (not 'Returns and exchanges', which it holds).
      removedAt: { Guide: { 'Billing / invoices': removed, 'Returns assistant': renamed }, SummarySetting: { 'Voice wrap-up (en-US)': removed } },
      complete: true,
    });
    // The directory is relative to cwd.
    expect((await committedNames(join(d, 'prompts'), {}, '.', KINDS)).names.Guide).toHaveLength(3);
  });

  it("reads a prompts directory in another repository from that one's history, and says so of one in none", async () => {
    const other = repo();
    commit(other, 'one', { 'prompts/g.yaml': guideDoc('Elsewhere') });
    const here = repo();
    commit(here, 'one', { 'prompts/g.yaml': guideDoc('Here') });
    const none = { Guide: {}, SummarySetting: {} };
    expect(await committedNames(here, {}, join(other, 'prompts'), KINDS)).toEqual({ names: { Guide: ['Elsewhere'], SummarySetting: [] }, removedAt: none, complete: true });
    const loose = dir();
    expect(await committedNames(here, {}, loose, KINDS)).toEqual({ names: { Guide: [], SummarySetting: [] }, removedAt: none, complete: false, caveat: 'the prompts directory is not in a git repository' });
  });

  it('says git is not installed where a repository is there but git is not, not that there is no repository', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/g.yaml': guideDoc('Here') });
    vi.stubEnv('PATH', dir());
    try {
      const r = await committedNames(d, {}, 'prompts', KINDS);
      expect(r.complete).toBe(false);
      expect(r.caveat).toBe(`git is not installed (or not on PATH), so the git repository ${realpathSync(d)} cannot be read`);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('counts merged branches, skips broken old versions, and answers for a repository without commits', async () => {
    const d = repo();
    commit(d, 'base', { 'prompts/broken.yaml': 'kind: Guide\nmetadata: {name: [unclosed\n' });
    git(d, 'checkout', '-q', '-b', 'side');
    commit(d, 'side', { 'prompts/side.yaml': guideDoc('From a branch') });
    git(d, 'checkout', '-q', 'main');
    git(d, '-c', 'user.name=x', '-c', 'user.email=x@x', 'merge', '-q', '--no-ff', '-m', 'merge', 'side');
    expect((await committedNames(d, {}, 'prompts', KINDS)).names.Guide).toEqual(['From a branch']);
    expect(await committedNames(repo(), {}, 'prompts', KINDS)).toEqual({ names: { Guide: [], SummarySetting: [] }, removedAt: { Guide: {}, SummarySetting: {} }, complete: true });
  });

  it('dates a name by its last removal, and not at all while HEAD holds it (moved to another file, added again)', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': guideDoc('Moved'), 'prompts/b.yaml': guideDoc('Back again') });
    commit(d, 'move', { 'prompts/a.yaml': guideDoc('Other'), 'prompts/c.yaml': guideDoc('Moved') });
    git(d, 'rm', '-q', 'prompts/b.yaml');
    commit(d, 'remove');
    const first = new Date(git(d, 'log', '-1', '--format=%cI')).toISOString();
    expect((await committedNames(d, {}, 'prompts', KINDS)).removedAt.Guide).toEqual({ 'Back again': first });
    commit(d, 'again', { 'prompts/b.yaml': guideDoc('Back again') });
    expect((await committedNames(d, {}, 'prompts', KINDS)).removedAt.Guide).not.toHaveProperty('Back again');
  });

  it('dates a removal on the main line, not again at the merge of a branch that never saw it', async () => {
    const d = repo();
    const at = datedGit(d);
    write(d, 'prompts/x.yaml', guideDoc('X'));
    write(d, 'prompts/z.yaml', guideDoc('Z'));
    at('2024-01-01T00:00:00Z', 'add', '-A');
    at('2024-01-01T00:00:00Z', 'commit', '-qm', 'x');
    at('2024-01-02T00:00:00Z', 'checkout', '-q', '-b', 'feat');
    write(d, 'prompts/z.yaml', guideDoc('Z2'));
    at('2024-01-02T00:00:00Z', 'commit', '-qam', 'feat');
    at('2024-01-03T00:00:00Z', 'checkout', '-q', 'main');
    at('2024-01-03T00:00:00Z', 'rm', '-q', 'prompts/x.yaml');
    at('2024-01-03T00:00:00Z', 'commit', '-qm', 'remove x');
    at('2024-03-01T00:00:00Z', 'merge', '-q', '--no-ff', '-m', 'merge feat', 'feat');
    // Z left the main line at the merge (the branch renamed it); X on January 3rd.
    expect((await committedNames(d, {}, 'prompts', KINDS)).removedAt.Guide).toEqual({ X: '2024-01-03T00:00:00.000Z', Z: '2024-03-01T00:00:00.000Z' });
  });

  it("dates a name that came and went on a merged branch alone by the branch's removal", async () => {
    const d = repo();
    const at = datedGit(d);
    write(d, 'prompts/o.yaml', guideDoc('Other'));
    at('2024-01-01T00:00:00Z', 'add', '-A');
    at('2024-01-01T00:00:00Z', 'commit', '-qm', 'base');
    at('2024-01-02T00:00:00Z', 'checkout', '-q', '-b', 'feat');
    write(d, 'prompts/r.yaml', guideDoc('Returns helper'));
    at('2024-01-02T00:00:00Z', 'add', '-A');
    at('2024-01-02T00:00:00Z', 'commit', '-qm', 'add');
    at('2024-01-03T00:00:00Z', 'rm', '-q', 'prompts/r.yaml');
    at('2024-01-03T00:00:00Z', 'commit', '-qm', 'remove');
    at('2024-01-04T00:00:00Z', 'checkout', '-q', 'main');
    at('2024-01-04T00:00:00Z', 'commit', '-q', '--allow-empty', '-m', 'main');
    at('2024-03-01T00:00:00Z', 'merge', '-q', '--no-ff', '-m', 'merge feat', 'feat');
    const r = await committedNames(d, {}, 'prompts', KINDS);
    expect(r.names.Guide).toEqual(['Other', 'Returns helper']);
    expect(r.removedAt.Guide).toEqual({ 'Returns helper': '2024-01-03T00:00:00.000Z' });
  });

  it('reads a document whose kind is an Object.prototype name as no kind of ours', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': `${guideDoc('G')}---\nkind: constructor\nmetadata: {name: c}\n---\nkind: __proto__\nmetadata: {name: p}\n` });
    expect((await committedNames(d, {}, 'prompts', KINDS)).names).toEqual({ Guide: ['G'], SummarySetting: [] });
  });

  it('with an environment, counts only the documents that belonged to it (no metadata.environments: all)', async () => {
    const d = repo();
    const only = (name: string, envs: string) => guideDoc(name).replace(`name: ${name}\n`, `name: ${name}\n  environments: [${envs}]\n`);
    commit(d, 'one', { 'prompts/a.yaml': only('Dev only', 'dev'), 'prompts/b.yaml': guideDoc('Everywhere'), 'prompts/c.yaml': only('Was in prod', 'dev, prod') });
    commit(d, 'narrow', { 'prompts/c.yaml': only('Was in prod', 'dev') });
    expect((await committedNames(d, {}, 'prompts', KINDS, 'prod')).names.Guide).toEqual(['Everywhere', 'Was in prod']);
    expect((await committedNames(d, {}, 'prompts', KINDS, 'dev')).names.Guide).toEqual(['Dev only', 'Everywhere', 'Was in prod']);
    expect((await committedNames(d, {}, 'prompts', KINDS)).names.Guide).toEqual(['Dev only', 'Everywhere', 'Was in prod']);
  });

  it('passes over files the loader never reads (dot-directories, node_modules, other extensions): they applied nothing', async () => {
    const d = repo();
    commit(d, 'one', {
      'prompts/.parked/a.yaml': guideDoc('Parked'),
      'prompts/node_modules/pkg/b.yaml': guideDoc('Vendored'),
      'prompts/c.YAML': guideDoc('Upper case'),
      'prompts/guides/d.yml': guideDoc('Loaded'),
      // JSON is YAML: the loader reads this document too.
      'prompts/guides/e.yaml': '{"apiVersion": "promptctl/v1", "kind": "Guide", "metadata": {"name": "As JSON"}, "spec": {"instruction": "Hi"}}\n',
    });
    expect((await committedNames(d, {}, 'prompts', KINDS)).names.Guide).toEqual(['As JSON', 'Loaded']);
    // From a subdirectory, with the prompts directory given relative to it.
    expect((await committedNames(join(d, 'prompts/guides'), {}, '..', KINDS)).names.Guide).toEqual(['As JSON', 'Loaded']);
  });

  it('is incomplete outside a repository and in a shallow clone, saying why', async () => {
    const outside = await committedNames(dir(), {}, 'prompts', KINDS);
    expect(outside.complete).toBe(false);
    expect(outside.caveat).toMatch(/not in a git repository/);

    const origin = repo();
    commit(origin, 'one', { 'prompts/a.yaml': guideDoc('Old') });
    git(origin, 'rm', '-q', 'prompts/a.yaml');
    commit(origin, 'two', { 'prompts/b.yaml': guideDoc('New') });
    const clone = dir();
    git(clone, 'clone', '-q', '--depth', '1', `file://${origin}`, '.');
    const shallow = await committedNames(clone, {}, 'prompts', KINDS);
    expect(shallow.names.Guide).toEqual(['New']);
    expect(shallow.complete).toBe(false);
    expect(shallow.caveat).toMatch(/shallow clone/);
  });
});

describe('the parts', () => {
  it('reads written YAML blobs from `git log --raw -z`, not deleted ones', () => {
    const sha = (c: string) => c.repeat(40);
    const log = `\n:000000 100644 ${sha('0')} ${sha('a')} A\0p/a.yaml\0:100644 000000 ${sha('b')} ${sha('0')} D\0p/b.yaml\0\n:100644 100644 ${sha('c')} ${sha('d')} M\0p/c.md\0`;
    expect([...yamlBlobs(log)]).toEqual([sha('a')]);
  });

  it('names the documents of a multi-document text', () => {
    expect(documentNames(`${guideDoc('A')}---\nkind: Guide\n---\n${settingDoc('B')}`)).toEqual([
      ['Guide', 'A'],
      ['SummarySetting', 'B'],
    ]);
  });
});
