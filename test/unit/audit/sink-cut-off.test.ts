// A trail whose tail was cut off (`head -n 200 audit.jsonl`), or emptied, while an HTTP sink's
// cursor says it took later records, was taken for "another trail": a warning, the cursor (the one
// proof of the cut) overwritten, and the sink sent seqs 201… again with other hashes. The writer
// now refuses to open it, as it refuses a broken chain: it names the records the sink holds and
// the trail lacks, keeps the cursor and the trail as they are, and says what to do. A cursor that
// names another record at a seq the trail holds (a trail begun again) is still another trail's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog } from '../../../src/audit/log.js';
import { cursorPath } from '../../../src/audit/sink-cursor.js';
import { runWithSink, plainRecord, stubSink, type StubSink } from '../../helpers/audit-sink.js';

let dir: string;
let file: string;
let sink: StubSink;
let received: number[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-sink-cut-'));
  file = join(dir, 'audit.jsonl');
  received = [];
  sink = await stubSink(({ seq }, _req, res) => {
    received.push(seq);
    res.writeHead(204).end();
  });
});

afterEach(async () => {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});

const run = (seqs: number[]): Promise<string[]> => runWithSink(file, sink.url, seqs, { backoffLimitMs: 5 });

describe('a trail that ends before the last record a sink took', () => {
  it.each([
    ['cut off', 5, /audit\.jsonl ends at record 5, cut off before its end: audit sink http:\/\/127\.0\.0\.1:\d+\/audit took records 6–8 of it \(its cursor .*audit\.jsonl\.sink-[0-9a-f]{16}\.json says so\), which the trail lacks/],
    ['emptied', 0, /audit\.jsonl holds no records \(it was emptied, or removed and begun again\): audit sink .* took records 1–8 of it/],
  ])('is refused when %s, the cursor and the trail kept as evidence, with what to do', async (_what, keep, message) => {
    expect(await run([1, 2, 3, 4, 5, 6, 7, 8])).toEqual([]);
    const cursor = cursorPath(file, sink.url);
    const cursorText = await readFile(cursor, 'utf8');
    const lines = (await readFile(file, 'utf8')).split('\n');
    const cut = keep === 0 ? '' : lines.slice(0, keep).join('\n') + '\n';
    await writeFile(file, cut);
    received = [];
    const opening = openAuditLog(file, { sinks: [{ url: sink.url }], env: {}, onWarning: () => undefined });
    await expect(opening).rejects.toThrow(message);
    await expect(opening).rejects.toThrow(/Restore the trail from the sink's copy of those records, or, if the cut is known and meant, move the trail and audit\.jsonl\.sink-[0-9a-f]{16}\.json aside \(keep them as evidence\) to start a new trail; nothing was applied$/);
    expect(await readFile(cursor, 'utf8')).toBe(cursorText);
    expect(await readFile(file, 'utf8')).toBe(cut);
    expect(received).toEqual([]);
    // The file was let go of: moved aside with its cursor, a new trail begins, unwarned.
    await rename(file, `${file}.old`);
    await rename(cursor, `${cursor}.old`);
    expect(await run([9])).toEqual([]);
    expect(received).toEqual([1]);
  });

  it('names every sink cursor beside the trail as what goes aside with it, and moves none on', async () => {
    const second = await stubSink((_b, _req, res) => res.writeHead(204).end());
    try {
      const sinks = [{ url: sink.url }, { url: second.url }];
      const log = await openAuditLog(file, { sinks, env: {}, onWarning: () => undefined, sinkOptions: { backoffLimitMs: 5 } });
      for (const n of [1, 2, 3]) await log.append(plainRecord(n));
      await log.close();
      const cursors = sinks.map((s) => cursorPath(file, s.url));
      const before = await Promise.all(cursors.map((c) => readFile(c, 'utf8')));
      const names = cursors.map((c) => c.slice(dir.length + 1));
      await writeFile(file, (await readFile(file, 'utf8')).split('\n').slice(0, 1).join('\n') + '\n');
      await expect(openAuditLog(file, { sinks, env: {}, onWarning: () => undefined })).rejects.toThrow(`move the trail and ${names[0]} and ${names[1]} aside`);
      // A broken chain names them too, in its one message.
      await writeFile(file, (await readFile(file, 'utf8')).replace('"actor":"a"', '"actor":"b"'));
      await expect(openAuditLog(file, { sinks, env: {}, onWarning: () => undefined })).rejects.toThrow(`move it and its sink cursors ${cursors[0]} and ${cursors[1]} aside to start a new trail`);
      expect(await Promise.all(cursors.map((c) => readFile(c, 'utf8')))).toEqual(before);
    } finally {
      await second.close();
    }
  });

  it('still starts afresh, warned, when the cursor names another record at a seq the trail holds (a trail begun again)', async () => {
    await run([1, 2, 3]);
    await truncate(file, 0);
    // Begun again without the sink: record 3 is another one now.
    const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    for (const n of [1, 2, 3, 4]) await log.append(plainRecord(n));
    await log.close();
    received = [];
    const warnings = await run([5]);
    expect(warnings).toEqual([expect.stringMatching(/its deliveries were noted against another trail \(no record 3 of that hash in .*audit\.jsonl\); it is sent this trail's records from now on$/)]);
    expect(received).toEqual([5]);
  });
});
