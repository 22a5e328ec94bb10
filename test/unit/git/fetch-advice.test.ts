import { describe, expect, it } from 'vitest';
import { missingRefMessage } from '../../../src/git/fetch-advice.js';

describe('missingRefMessage', () => {
  it('fetches a remote-tracking branch under its own name, from the longest remote it starts with', () => {
    expect(missingRefMessage({ ref: 'refs/remotes/up/stream/release/1.x', shallow: false, remotes: ['up', 'up/stream'] })).toContain(
      '`git fetch up/stream release/1.x:refs/remotes/up/stream/release/1.x`',
    );
    expect(missingRefMessage({ ref: 'origin/main', shallow: true, remotes: ['origin'] })).toContain('`git fetch --unshallow origin main:refs/remotes/origin/main`');
  });

  it('gives no fetch for what no fetch creates: a revision expression, an unknown remote, a short id', () => {
    for (const ref of ['origin/main~1', 'origin/main^{commit}', 'origin/HEAD', 'FETCH_HEAD', 'abc1234', 'main~1']) {
      expect(missingRefMessage({ ref, shallow: false, remotes: ['origin'] })).toBe(`--changed-since: unknown git ref "${ref}"`);
      expect(missingRefMessage({ ref, shallow: true, remotes: ['origin'] })).toMatch(/shallow clone; fetch more history \(`git fetch --unshallow`, or `fetch-depth: 0`/);
    }
  });

  it('quotes a branch name the shell would split', () => {
    expect(missingRefMessage({ ref: 'origin/a$b', shallow: false, remotes: ['origin'] })).toContain("`git fetch origin 'a$b:refs/remotes/origin/a$b'`");
  });

  it("says the null id is no commit (a push event's before when the push created the branch), not to fetch it", () => {
    const zero = '0'.repeat(40);
    expect(missingRefMessage({ ref: zero, shallow: true, remotes: ['origin'] })).toBe(
      `--changed-since: ${zero} is git's null id, not a commit (a push event's "before" when the push created the branch): give the branch the change will merge into, such as origin/main`,
    );
  });

  it("reads a plain branch name as the remote's branch, which a CI checkout has at most (no local branches)", () => {
    expect(missingRefMessage({ ref: 'release/1.x', shallow: false, remotes: ['upstream', 'origin'], guessHere: true })).toBe(
      `--changed-since: unknown git ref "release/1.x": no branch or tag of that name here (a CI checkout makes no local branch); for the remote's branch (if origin has one of that name: check the spelling), give origin/release/1.x`,
    );
    expect(missingRefMessage({ ref: 'main', shallow: true, remotes: ['origin'] })).toMatch(/give origin\/main, fetched by `git fetch --unshallow origin main:refs\/remotes\/origin\/main`$/);
    expect(missingRefMessage({ ref: 'main', shallow: false, remotes: [] })).toBe('--changed-since: unknown git ref "main"');
  });

  it('reads a version as a release tag, which a CI checkout fetches none of', () => {
    expect(missingRefMessage({ ref: 'v1.2.0', shallow: true, remotes: ['origin'] })).toBe(
      '--changed-since: unknown git ref "v1.2.0": no tag of that name here (a CI checkout fetches no tags); fetch it by `git fetch --unshallow origin tag v1.2.0` (in GitHub Actions, `fetch-depth: 0` on actions/checkout)',
    );
  });
});
