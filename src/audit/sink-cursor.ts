// Where each HTTP audit sink's deliveries stand, kept beside the trail: the last record the sink
// took (`<trail>.sink-<id>.json`, seq and hash), so that a run first sends what earlier runs did
// not deliver (a failed delivery, a spent budget, a crash), in seq order, before its own records.
// The trail itself is only read: its write-ahead guarantee does not depend on any sink. A cursor is
// written after each delivery the sink took, replaced whole but not synced: lost to a crash, it is
// behind, and the records after it are sent again with the same idempotency key (their hash), which
// the receiver drops as duplicates; it is never ahead of what the sink took. Where a sink resumes
// when a run opens the trail, its backlog and its cursor moved on: `resumeSink`, which also removes
// the temp files of cursor writes a kill cut short. A trail that ends before a record a sink took
// (cut off, emptied, or absent) is refused before that: `refuseCutOff`.
import { createHash } from 'node:crypto';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { removeKilledTemps, tempPathFor } from '../util/atomic-file.js';
import { UserError } from '../util/errors.js';
import { splitLines } from './chain-walker.js';
import { describeSinkUrl, type HttpAuditSink, type SinkResume } from './sink.js';
import type { AuditAnchor } from './record.js';
import { andList } from '../util/plural.js';

/** The last record a sink took. */
export interface SinkCursor {
  seq: number;
  hash: string;
}

/** A record of the trail as a sink is sent it: the line's exact text is the body. */
export interface SinkRecord {
  seq: number;
  hash: string;
  body: string;
}

/** The sink's cursor file beside the trail, named by a digest of its URL (which may hold credentials). */
export function cursorPath(trail: string, url: string): string {
  return `${trail}.sink-${createHash('sha256').update(url).digest('hex').slice(0, 16)}.json`;
}

/** The cursor, or undefined when the sink has none yet (or it cannot be read: then as if none). */
export async function readCursor(path: string): Promise<SinkCursor | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const c = JSON.parse(text) as Partial<SinkCursor>;
    return Number.isSafeInteger(c.seq) && c.seq! >= 0 && typeof c.hash === 'string' ? { seq: c.seq!, hash: c.hash } : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the cursor whole (a reader sees the old one or the new one). `url`: as it may be printed. */
export async function writeCursor(path: string, cursor: SinkCursor, url: string): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, `${JSON.stringify({ sink: url, seq: cursor.seq, hash: cursor.hash })}\n`);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Removes the temp files `writeCursor` left when its process was killed between the write and the
 * rename (`<cursor>.<pid>.<id>.tmp`, its pid gone): nothing else ever would, and each kill during
 * a delivery could add one. Only apply writes cursors, holding the trail's apply lock, as the run
 * calling this does; a pid alive here is left alone all the same (a name of another host's).
 */
function removeLeftoverTemps(cursor: string): Promise<void> {
  return removeKilledTemps(dirname(cursor), { of: (file) => file === basename(cursor) });
}

/**
 * The records of the trail's first `size` bytes (verified when the log opened) after `cursor`, in
 * seq order; null when the trail holds no record `cursor.seq` of that hash (the trail was moved
 * aside and begun again: the cursor belongs to another chain). A cursor at seq 0 is a trail that
 * was empty.
 */
export async function recordsAfter(trail: string, size: number, cursor: SinkCursor): Promise<SinkRecord[] | null> {
  const buf = Buffer.alloc(size);
  const fh = await open(trail, 'r');
  try {
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
  } finally {
    await fh.close();
  }
  const out: SinkRecord[] = [];
  let found = cursor.seq === 0;
  for (const { text } of splitLines(buf).lines) {
    const { seq, hash } = JSON.parse(text) as SinkCursor;
    if (seq === cursor.seq) found = hash === cursor.hash;
    else if (seq > cursor.seq) out.push({ seq, hash, body: text });
  }
  return found ? out : null;
}

/** The cursor files of `sinks` that exist beside `trail`: what goes aside with the trail to begin a new one. */
export async function cursorsBeside(trail: string, sinks: readonly HttpAuditSink[]): Promise<string[]> {
  const paths = [...new Set(sinks.map((s) => cursorPath(trail, s.url)))];
  const there = await Promise.all(paths.map((p) => stat(p).then(() => true, () => false)));
  return paths.filter((_, i) => there[i]);
}

/** The cursor files named as what moves aside (their base names: they sit beside the trail), `cursor` among them. */
function asideNames(cursor: string, beside: readonly string[]): string {
  const names = [...new Set([cursor, ...beside].map((p) => basename(p)))];
  return andList(names);
}

const recordsFrom = (first: number, last: number): string => (first === last ? `record ${last}` : `records ${first}–${last}`);

/**
 * Why a trail that ends before the last record a sink took is refused, and what to do: the
 * records the sink holds and the trail lacks, where its copy of them is, and, for a cut made on
 * purpose, how to begin a new trail (the cursors beside it, `beside`, moved aside with it, as the
 * trail's evidence: one left behind would refuse the new trail).
 */
export function cutOff(trail: string, sink: string, cursor: string, end: number, took: number, beside: readonly string[] = []): string {
  const state = end === 0 ? `holds no records (it was emptied, or removed and begun again)` : `ends at record ${end}, cut off before its end`;
  return (
    `${trail} ${state}: audit sink ${sink} took ${recordsFrom(end + 1, took)} of it (its cursor ${cursor} says so), which the trail lacks; ` +
    'promptctl will not append after the cut. Restore the trail from the sink\'s copy of those records, or, if the cut is known and meant, ' +
    `move the trail and ${asideNames(cursor, beside)} aside (keep them as evidence) to start a new trail; nothing was applied`
  );
}

/**
 * Why no trail is begun where none is while a sink's cursor says it took records of one there
 * (the trail removed, or moved aside without its cursor), and what to do.
 */
export function absentTrail(trail: string, sink: string, cursor: string, took: number, beside: readonly string[] = []): string {
  return (
    `${trail} does not exist (it was removed or moved aside), and audit sink ${sink} took ${recordsFrom(1, took)} of the trail that was there (its cursor ${cursor} says so); ` +
    'promptctl will not begin a new trail beside that cursor. Put the trail back (or restore it from the sink\'s copy of those records), or, if it was moved aside to start a new trail, ' +
    `move ${asideNames(cursor, beside)} aside with it (keep ${new Set([cursor, ...beside]).size === 1 ? 'it' : 'them'} with the trail, as evidence); nothing was applied`
  );
}

/**
 * Refuses, before anything is written, a trail that ends before the last record one of `sinks`
 * took (`head`: its last record; `present` false: there is no trail file): cut off, emptied, or
 * absent. The cursors are the evidence, kept as they are. `beside`: every sink cursor file beside
 * the trail, named as what moves aside with it.
 */
export async function refuseCutOff(trail: string, sinks: readonly HttpAuditSink[], head: AuditAnchor | null, present: boolean, beside: readonly string[]): Promise<void> {
  const end = head?.seq ?? 0;
  for (const sink of sinks) {
    const path = cursorPath(trail, sink.url);
    const cursor = await readCursor(path);
    if (cursor === undefined || cursor.seq <= end) continue;
    const shown = describeSinkUrl(sink.url);
    throw new UserError(present ? cutOff(trail, shown, path, end, cursor.seq, beside) : absentTrail(trail, shown, path, cursor.seq, beside));
  }
}

/**
 * Where `sink` resumes on the trail (its first `size` bytes, ending at `head`): the records after
 * its cursor, and the cursor moved on as it takes more. A sink without a cursor starts at the
 * trail's end, which is noted at once, so that a record this run fails to deliver is sent by the
 * next even after a crash; one whose cursor names another record at a seq this trail holds (the
 * trail was begun again) starts there too, with a warning. One whose cursor is past the trail's
 * end is refused (`cutOff`): the trail lost records the sink holds (the writer asks
 * `refuseCutOff` of every sink first, naming every cursor; this guard names its own).
 */
export async function resumeSink(sink: HttpAuditSink, trail: string, size: number, head: AuditAnchor | null, warn: (m: string) => void): Promise<SinkResume> {
  const path = cursorPath(trail, sink.url);
  await removeLeftoverTemps(path);
  const shown = describeSinkUrl(sink.url);
  const delivered = (c: SinkCursor): Promise<void> => writeCursor(path, { seq: c.seq, hash: c.hash }, shown);
  const end: SinkCursor = head ?? { seq: 0, hash: '' };
  const cursor = await readCursor(path);
  if (cursor !== undefined && cursor.seq === end.seq && cursor.hash === end.hash) return { backlog: [], delivered };
  // The sink took a record the trail no longer holds: its tail was cut off, or it was emptied.
  // The cursor is the evidence, kept as it is, and nothing is appended after the cut.
  if (cursor !== undefined && cursor.seq > end.seq) throw new UserError(cutOff(trail, shown, path, end.seq, cursor.seq));
  const backlog = cursor === undefined ? null : await recordsAfter(trail, size, cursor);
  if (backlog) return { backlog, delivered };
  if (cursor !== undefined) warn(`audit sink ${shown}: its deliveries were noted against another trail (no record ${cursor.seq} of that hash in ${trail}); it is sent this trail's records from now on`);
  try {
    await delivered(end);
  } catch (err) {
    warn(`audit sink ${shown}: could not note where its deliveries start (${(err as NodeJS.ErrnoException).code ?? 'write failed'}); a record it misses in this run is not sent again`);
  }
  return { backlog: [], delivered };
}
