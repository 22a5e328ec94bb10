import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanEnv, commitSet } from '../../../bench/env.mjs';
import { commit, git, scratch } from '../git/fixture.js';

const { dir, repo } = scratch();
const STEERING = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_CONFIG_PARAMETERS'] as const;
const saved = Object.fromEntries(STEERING.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of STEERING) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('the bench in a git repository of its own', () => {
  it('commits its prompt set to its own repository, whatever repository the caller is in (a git hook sets GIT_INDEX_FILE, GIT_DIR)', () => {
    const outer = repo();
    const sha = commit(outer, 'mine', { 'x.txt': 'x\n' });
    const index = readFileSync(join(outer, '.git', 'index'));
    process.env['GIT_INDEX_FILE'] = join(outer, '.git', 'index');
    process.env['GIT_DIR'] = join(outer, '.git');
    process.env['GIT_CONFIG_PARAMETERS'] = "'user.name'='caller'";
    const set = dir();
    writeFileSync(join(set, 'a.yaml'), 'a: 1\n');
    commitSet(set);
    for (const k of STEERING) delete process.env[k];
    // The caller's repository is as it was: its index, its HEAD.
    expect(readFileSync(join(outer, '.git', 'index')).equals(index)).toBe(true);
    expect(git(outer, 'rev-parse', 'HEAD')).toBe(sha);
    // The set's own repository holds it, committed by the bench.
    expect(git(set, 'log', '-1', '--format=%an <%ae>')).toBe('bench <bench@example.com>');
    expect(git(set, 'ls-files').split('\n').sort()).toEqual(['.gitignore', 'a.yaml']);
  });

  it('commits the prompt set, not the running emulator’s files (its state, journal, lock and temporary files)', () => {
    const set = dir();
    for (const f of ['a.yaml', 'emulator-state.json', 'emulator-state.json.journal', 'emulator-state.json.lock', '.emulator-state.json.123.1.tmp', '.promptctl/audit.jsonl']) {
      mkdirSync(dirname(join(set, f)), { recursive: true });
      writeFileSync(join(set, f), '{}\n');
    }
    commitSet(set);
    expect(git(set, 'ls-files').split('\n').sort()).toEqual(['.gitignore', 'a.yaml']);
    expect(git(set, 'status', '--porcelain')).toBe('');
  });

  it('runs promptctl without the caller’s git environment, which would point its provenance at another repository', () => {
    process.env['GIT_DIR'] = '/elsewhere/.git';
    process.env['GIT_INDEX_FILE'] = '/elsewhere/.git/index';
    process.env['GIT_CONFIG_PARAMETERS'] = "'user.name'='caller'";
    const env = cleanEnv();
    expect(Object.keys(env).filter((k) => (STEERING as readonly string[]).includes(k))).toEqual([]);
  });
});
