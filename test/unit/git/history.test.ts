// The prompts directory's history as rollback reads it (git/history.ts): each commit with the
// texts of the YAML files it wrote. A bulk commit of many files is read in one git process: a
// git process a file made a rollback in a 1,000-template repository take 37 s.
import { chmodSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dirHistory } from '../../../src/git/history.js';
import { commit, scratch, write } from './fixture.js';

const s = scratch();
const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

/** Puts a `git` first on PATH that logs its arguments (one line a process) and runs the real one. */
async function countingGit(): Promise<() => Promise<string[]>> {
  const bin = s.dir();
  const log = join(bin, 'calls.log');
  write(bin, 'git', `#!/bin/sh\necho "$1 $2" >> '${log}'\nPATH='${savedPath}' exec git "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  process.env.PATH = `${bin}:${savedPath}`;
  return async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

describe('dirHistory', () => {
  it('reads the texts of every file of a page of commits in one git process, a deleted file left out', async () => {
    const repo = s.repo();
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`prompts/t${i}.yaml`] = `kind: PromptTemplate\nmetadata: {name: t-${i}}\n`;
    commit(repo, 'bulk', files);
    write(repo, 'prompts/t1.yaml', 'kind: PromptTemplate\nmetadata: {name: t-one}\n');
    commit(repo, 'one');
    commit(repo, 'gone', {});
    const { rmSync } = await import('node:fs');
    rmSync(join(repo, 'prompts/t2.yaml'));
    commit(repo, 'deleted t2');

    const calls = await countingGit();
    const history = await dirHistory(join(repo, 'prompts'), {}, '.');
    expect(history.map((r) => [r.subject, r.files.length])).toEqual([
      ['deleted t2', 0],
      ['one', 1],
      ['bulk', 40],
    ]);
    expect(history[1]!.files[0]).toEqual({ path: 'prompts/t1.yaml', text: 'kind: PromptTemplate\nmetadata: {name: t-one}\n' });
    expect(history[2]!.files.find((f) => f.path === 'prompts/t7.yaml')?.text).toBe('kind: PromptTemplate\nmetadata: {name: t-7}\n');
    const made = await calls();
    expect(made.filter((c) => c.startsWith('show'))).toEqual([]);
    expect(made.filter((c) => c.startsWith('cat-file'))).toHaveLength(1);
    expect(made.length).toBeLessThan(10);
  });
});
