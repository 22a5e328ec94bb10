// Reading text files defensively: size cap, binary and encoding checks, with a located reason.
// Blocking underneath: a command waits for its files anyway, and each awaited file cost four
// thread-pool round trips (stat, open, read, close) where the blocking calls take microseconds
// (5,000 prompt files: ≈ 0.55 s awaited, ≈ 0.15 s blocking). The loader lets the event loop turn
// between files for whatever runs meanwhile (load/project.ts).
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

/**
 * Files above this are refused unread. A 2 MB prompt must still load (and fail its budget later);
 * 8 MiB is past every model's context window, and parsing YAML costs about a second per MiB.
 */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** How much of a too-large file is read anyway, to look for a more specific problem in it. */
export const HEAD_BYTES = 1024 * 1024;

export type ReadResult =
  | { ok: true; text: string }
  /** `head`: the start of a file refused as too large (for a depth check that names the line). */
  | { ok: false; rule: string; message: string; line: number; column: number; head?: string };

/**
 * Line and column (1-based) of a byte offset, the column in UTF-16 code units. LF, CRLF
 * and a lone CR each end a line, as the loader reads them (config/parse.ts, the texts).
 */
function bytePosition(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const b = buf[i]!;
    if (b !== 10 && b !== 13) continue;
    if (b === 13 && buf[i + 1] === 10 && i + 1 < offset) i++; // CRLF: one line end
    line++;
    lineStart = i + 1;
  }
  // Count characters, not bytes: skip UTF-8 continuation bytes, and a leading byte-order mark. A
  // character outside the BMP (a 4-byte sequence) is two columns: every other position counts
  // UTF-16 code units (yaml's offsets in the decoded text), as editors such as VS Code do.
  if (lineStart === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf && offset >= 3) lineStart = 3;
  let column = 1;
  for (let i = lineStart; i < offset; i++) {
    const b = buf[i]!;
    if ((b & 0xc0) !== 0x80) column += b >= 0xf0 && b <= 0xf4 ? 2 : 1;
  }
  return { line, column };
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

// A leading byte-order mark is an encoding signature, not text: dropped (as editors show it), so
// columns on line 1 are right and a {file: ...} prompt does not start with an invisible U+FEFF.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** A byte-order mark of an encoding other than UTF-8: what the text is, and its byte order. */
export interface ForeignEncoding {
  encoding: 'UTF-16' | 'UTF-32';
  littleEndian: boolean;
}

/**
 * The encoding a UTF-16 or UTF-32 byte-order mark at the start of `buf` names (FF FE, FE FF;
 * FF FE 00 00, 00 00 FE FF): text saved so by Windows PowerShell or Notepad, whose other bytes are
 * mostly NUL, and no binary file. None of these starts a UTF-8 file. Undefined for any other start.
 */
export function foreignEncoding(buf: Uint8Array): ForeignEncoding | undefined {
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xfe && buf[2] === 0 && buf[3] === 0) return { encoding: 'UTF-32', littleEndian: true };
  if (buf.length >= 4 && buf[0] === 0 && buf[1] === 0 && buf[2] === 0xfe && buf[3] === 0xff) return { encoding: 'UTF-32', littleEndian: false };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'UTF-16', littleEndian: true };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'UTF-16', littleEndian: false };
  return undefined;
}

/**
 * The byte order of UTF-16 text saved without a byte-order mark (a NUL beside each ASCII character,
 * as a YAML file starts: `a\0p\0i\0…`), judged by its first bytes; undefined for anything else.
 * Such a file is text in another encoding, not the binary file its NUL bytes would make it.
 */
function unmarkedUtf16(buf: Buffer): 'little-endian' | 'big-endian' | undefined {
  const n = Math.min(buf.length, 256) & ~1;
  if (n < 4) return undefined;
  const text = (b: number) => b === 9 || b === 10 || b === 13 || (b >= 0x20 && b < 0x7f);
  let le = true;
  let be = true;
  for (let i = 0; i < n; i += 2) {
    le &&= text(buf[i]!) && buf[i + 1] === 0;
    be &&= buf[i] === 0 && text(buf[i + 1]!);
  }
  return le ? 'little-endian' : be ? 'big-endian' : undefined;
}

/** Decodes a buffer as text, or says why it is not text (UTF-16 or UTF-32, NUL byte, invalid UTF-8). */
export function decodeText(buf: Buffer): ReadResult {
  const foreign = foreignEncoding(buf);
  if (foreign) {
    return { ok: false, rule: 'file/encoding', message: `${foreign.encoding} text (its byte-order mark says so); save the file as UTF-8`, line: 1, column: 1 };
  }
  const nul = buf.indexOf(0);
  const unmarked = nul !== -1 && nul < 2 ? unmarkedUtf16(buf) : undefined;
  if (unmarked) {
    return { ok: false, rule: 'file/encoding', message: `UTF-16 text (${unmarked}, without a byte-order mark); save the file as UTF-8`, line: 1, column: 1 };
  }
  if (nul !== -1) {
    const at = bytePosition(buf, nul);
    return { ok: false, rule: 'file/binary', message: 'binary file (NUL byte); expected UTF-8 text', ...at };
  }
  try {
    return { ok: true, text: strictUtf8.decode(buf) };
  } catch {
    const bad = Math.max(0, firstInvalidUtf8(buf));
    const at = bytePosition(buf, bad);
    return { ok: false, rule: 'file/encoding', message: 'not valid UTF-8 text (save the file as UTF-8)', ...at };
  }
}

/** Reads a regular file as UTF-8 text, refusing non-files, huge files and binary content. */
export async function readTextFile(absPath: string): Promise<ReadResult> {
  return readTextFileSync(absPath);
}

/** readTextFile, blocking (the loader reads every prompt file this way). */
export function readTextFileSync(absPath: string): ReadResult {
  let fd: number;
  try {
    // stat first: opening a FIFO or device for reading could block forever.
    if (!statSync(absPath).isFile()) {
      return { ok: false, rule: 'file/unreadable', message: 'not a regular file', line: 1, column: 1 };
    }
    fd = openSync(absPath, 'r');
  } catch (err) {
    return { ok: false, rule: 'file/unreadable', message: `cannot read file: ${errorCode(err)}`, line: 1, column: 1 };
  }
  return readOpened(fd);
}

/**
 * Opening without following a link and without waiting on a FIFO or device, where the platform
 * has both flags (undefined elsewhere: there, readListedFile always declines).
 */
const LISTED_FILE_FLAGS =
  constants.O_NOFOLLOW !== undefined && constants.O_NONBLOCK !== undefined
    ? constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK
    : undefined;

/**
 * readTextFileSync for a file a directory listing just showed as a regular file, not a link: one
 * open instead of a stat and an open. Opening neither follows a link nor blocks on a FIFO, and the
 * opened file is checked as readTextFileSync checks it. undefined when it cannot be opened that
 * way (it became a link, vanished, or is not readable): the caller then takes the full path, and
 * reports whatever that finds, as before.
 */
export function readListedFile(absPath: string): ReadResult | undefined {
  if (LISTED_FILE_FLAGS === undefined) return undefined;
  let fd: number;
  try {
    fd = openSync(absPath, LISTED_FILE_FLAGS);
  } catch {
    return undefined;
  }
  return readOpened(fd);
}

/** The checks and the read once a file is open; closes it. */
function readOpened(fd: number): ReadResult {
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, rule: 'file/unreadable', message: 'not a regular file', line: 1, column: 1 };
    if (st.size > MAX_FILE_BYTES) {
      const head = Buffer.alloc(HEAD_BYTES);
      const bytesRead = readSync(fd, head, 0, HEAD_BYTES, 0);
      return {
        head: new TextDecoder('utf-8').decode(head.subarray(0, bytesRead)),
        ok: false,
        rule: 'file/too-large',
        message: tooLarge(st.size),
        line: 1,
        column: 1,
      };
    }
    return decodeText(readFileSync(fd));
  } catch (err) {
    return { ok: false, rule: 'file/unreadable', message: `cannot read file: ${errorCode(err)}`, line: 1, column: 1 };
  } finally {
    closeSync(fd);
  }
}

/**
 * The too-large message: the size in MiB, or in bytes where the MiB figure rounds to the limit
 * (8,388,609 bytes is "8.0 MiB", which reads as within 8 MiB).
 */
export function tooLarge(size: number): string {
  const limit = MAX_FILE_BYTES / 1024 / 1024;
  const mib = (size / 1024 / 1024).toFixed(1);
  const shown = Number(mib) <= limit ? `${size.toLocaleString('en-US')} bytes` : `${mib} MiB`;
  const of = Number(mib) <= limit ? `${limit} MiB (${MAX_FILE_BYTES.toLocaleString('en-US')} bytes)` : `${limit} MiB`;
  return `file is ${shown}; promptctl reads files up to ${of}`;
}

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  return e.code ?? (e instanceof Error ? e.message : String(err));
}
