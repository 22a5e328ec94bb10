// lastChangedEach: when git last changed each group of files, in two git processes whatever their
// number: committed (the newest file's time), uncommitted, or never committed. Past 64 files git is
// asked of their common folder (hundreds of pathspecs made the command line too long and git's
// walk slow), with the same answers.
import { describe, expect, it } from 'vitest';
import { lastChangedEach } from '../../../src/git/last-change.js';
import { execFileSync } from 'node:child_process';
import { scratch, write } from './fixture.js';

const { repo } = scratch();
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** Writes FILES and commits them, dated `at` (author and committer). */
function commitAt(dir: string, at: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  const dated = { ...env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com', GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at };
  execFileSync('git', ['add', '-A'], { cwd: dir, env: dated });
  execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', at], { cwd: dir, env: dated });
}

describe('lastChangedEach', () => {
  for (const many of [false, true]) {
    it(`answers each group: committed, uncommitted, never committed (${many ? 'past 64 files: their folder' : 'files named'})`, async () => {
      const dir = repo();
      const extra = many ? Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`prompts/bulk/f${i}.yaml`, `n: ${i}\n`])) : {};
      commitAt(dir, '2021-03-04T05:06:07Z', { 'prompts/a/one.yaml': 'a: 1\n', 'prompts/b/two.yaml': 'b: 1\n', 'prompts/b/two.md': 'text\n', ...extra });
      commitAt(dir, '2022-03-04T05:06:07Z', { 'prompts/b/two.md': 'text, changed\n' });
      write(dir, 'prompts/a/one.yaml', 'a: 2\n'); // uncommitted
      write(dir, 'prompts/c/new.yaml', 'c: 1\n'); // never committed
      const groups = new Map<string, string[]>([
        ['A', ['prompts/a/one.yaml']],
        ['B', ['prompts/b/two.yaml', 'prompts/b/two.md']],
        ['C', ['prompts/c/new.yaml']],
        ['D', ['prompts/missing.yaml']],
        ...Object.keys(extra).map((f, i) => [`X${i}`, [f]] as [string, string[]]),
      ]);
      const out = await lastChangedEach(dir, env, groups);
      expect(out.get('A')).toBe('uncommitted');
      expect(out.get('B')).toEqual({ at: '2022-03-04T05:06:07+00:00' });
      expect(out.get('C')).toBe('uncommitted');
      expect(out.get('D')).toBeNull();
      if (many) expect(out.get('X69')).toEqual({ at: '2021-03-04T05:06:07+00:00' });
    });
  }
});
