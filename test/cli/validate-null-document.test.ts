// A document written as a null (`~` or `null`) is a document that is no mapping, refused as
// `hello` or a list is; only a document made of nothing (a trailing `---`, a comment-only file)
// is the empty file's warning.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('a document written as null', () => {
  it('is refused at its line, while a comment-only file stays a warning', async () => {
    dir = await tempDir('promptctl-null-doc-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts/x.yaml'), '---\n~\n');
    await writeFile(join(dir.path, 'prompts/y.yaml'), '---\n# only a comment\n---\n');
    const r = await runCliInProcess(['validate'], { cwd: dir.path });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(1);
    expect(out).toMatch(/prompts\/x\.yaml:2:1: error: a promptctl document is a mapping with apiVersion, kind, metadata and spec, not a null \(~\) \[schema\/document\]/);
    expect(out).toMatch(/prompts\/y\.yaml:1:1: warning: no YAML documents in this file.*\[file\/empty\]/);
    expect(out).not.toMatch(/prompts\/x\.yaml:1:1: warning/);
  });
});
