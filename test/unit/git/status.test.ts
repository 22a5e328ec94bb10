import { describe, expect, it } from 'vitest';
import { parseStatus } from '../../../src/git/status.js';

const rec = (...records: string[]): string => records.map((r) => `${r}\0`).join('');

describe('parseStatus (git status --porcelain=v2 --branch -z)', () => {
  it('reads HEAD, the branch and a clean tree', () => {
    expect(parseStatus(rec('# branch.oid ' + 'a'.repeat(40), '# branch.head main', '# branch.upstream origin/main', '# branch.ab +0 -0'))).toEqual({
      commit: 'a'.repeat(40),
      branch: 'main',
      trackedChanged: false,
      changed: [],
      untracked: [],
      ignored: [],
    });
  });

  it('reads no commit before the first one, and no branch when detached', () => {
    expect(parseStatus(rec('# branch.oid (initial)', '# branch.head main'))).toMatchObject({ commit: null, branch: 'main' });
    expect(parseStatus(rec('# branch.oid ' + 'b'.repeat(40), '# branch.head (detached)'))).toMatchObject({ branch: null });
  });

  it('counts changed, renamed and unmerged entries as tracked changes; a rename’s original path is not an entry', () => {
    const oid = '# branch.oid ' + 'c'.repeat(40);
    const h = 'N... 100644 100644 100644 ' + '1'.repeat(40) + ' ' + '2'.repeat(40);
    expect(parseStatus(rec(oid, `1 .M ${h} a.yaml`)).trackedChanged).toBe(true);
    expect(parseStatus(rec(oid, 'u UU N... 100644 100644 100644 100644 x y z w.yaml')).trackedChanged).toBe(true);
    // The original path of a rename looks like nothing else; were it read as a record, "? x" would be untracked.
    const renamed = parseStatus(rec(oid, `2 R. ${h} R100 new.yaml`, '? x'));
    expect(renamed).toMatchObject({ trackedChanged: true, untracked: [], changed: ['new.yaml', '? x'] });
    // Paths as they are, spaces included.
    expect(parseStatus(rec(oid, `1 .M ${h} prompts/a b.yaml`)).changed).toEqual(['prompts/a b.yaml']);
    expect(parseStatus(rec(oid, 'u UU N... 100644 100644 100644 100644 x y z prompts/w x.yaml')).changed).toEqual(['prompts/w x.yaml']);
  });

  it('lists untracked paths exactly, spaces and newlines included (-z: nothing quoted)', () => {
    const s = parseStatus(rec('# branch.oid ' + 'd'.repeat(40), '# branch.head main', '? prompts/a b.yaml', '? prompts/new\nline.yaml', '! ignored.tmp'));
    expect(s.untracked).toEqual(['prompts/a b.yaml', 'prompts/new\nline.yaml']);
    expect(s.trackedChanged).toBe(false);
    // Ignored files (IGNORED_ARG) apart: they never make a change or an untracked file.
    expect(s.ignored).toEqual(['ignored.tmp']);
  });
});
