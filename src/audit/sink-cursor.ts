// Where each HTTP audit sink's deliveries stand, kept beside the trail: the last record the sink
// took (`<trail>.sink-<id>.json`, seq and hash), so that a run first sends what earlier runs did
// not deliver (a failed delivery, a spent budget, a crash), in seq order, before its own records.
// The trail itself is only read: its write-ahead guarantee does not depend on any sink. A cursor is
// written after each delivery the sink took, replaced whole but not synced: lost to a crash, it is
// behind, and the records after it are sent again with the same idempotency key (their hash), which
// the receiver drops as duplicates; it is never ahead of what the sink took.
import { createHash, randomUUID } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { splitLines } from './chain-walker.js';

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
  const tmp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify({ sink: url, seq: cursor.seq, hash: cursor.hash })}\n`);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
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
