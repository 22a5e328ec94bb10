// A sink's cursor is written through a temp file renamed into place (`<cursor>.<pid>.<id>.tmp`).
// An apply killed between the two left that temp file beside the trail for good: every kill -9
// during a delivery could add one, and nothing removed them. The next run that opens the trail
// with the sink now removes them (it holds the apply lock: no other process writes that cursor).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cursorPath, resumeSink } from '../../../src/audit/sink-cursor.js';
import { tempDir, type TempDir } from '../../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('a sink cursor temp file a killed run left', () => {
  it('is removed when the next run resumes the sink; others are left alone', async () => {
    dir = await tempDir('promptctl-sink-leftover-');
    const trail = join(dir.path, 'audit.jsonl');
    await writeFile(trail, '');
    const sink = { url: 'https://audit.example.com/promptctl', secretEnv: 'SINK_KEY' };
    const cursor = cursorPath(trail, sink.url);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const leftover = `${cursor}.${dead}.0a1b2c3d.tmp`;
    await writeFile(leftover, '{"sink":"https://audit.example.com/promptctl","seq":3,"hash":"');
    // Not a cursor's temp file: the user's, or another sink's notes.
    const other = join(dir.path, 'audit.jsonl.notes.tmp');
    await writeFile(other, 'mine');

    const warnings: string[] = [];
    await resumeSink(sink, trail, 0, null, (m) => warnings.push(m));

    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect((await readdir(dir.path)).sort()).toEqual(['audit.jsonl', 'audit.jsonl.notes.tmp', basename(cursor)].sort());
    expect(warnings).toEqual([]);
  });
});
