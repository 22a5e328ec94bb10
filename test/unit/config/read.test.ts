import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8, HEAD_BYTES, MAX_FILE_BYTES, readTextFile } from '../../../src/config/read.js';

describe('decodeText', () => {
  it('decodes UTF-8, keeping a BOM-free text verbatim (CRLF included)', () => {
    expect(decodeText(Buffer.from('héllo\r\nwörld ✓\n'))).toEqual({ ok: true, text: 'héllo\r\nwörld ✓\n' });
  });

  it('drops a leading byte-order mark (not text), and does not count it as a column', () => {
    expect(decodeText(Buffer.from('\ufeffa: 1\n'))).toEqual({ ok: true, text: 'a: 1\n' });
    expect(decodeText(Buffer.from('\ufeffa: \u0000'))).toMatchObject({ ok: false, rule: 'file/binary', line: 1, column: 4 });
    expect(decodeText(Buffer.from('a\ufeff'))).toEqual({ ok: true, text: 'a\ufeff' }); // only a leading one
  });

  it('locates a NUL byte by line and character column', () => {
    expect(decodeText(Buffer.from('a: 1\nbé: \u0000\n'))).toMatchObject({ ok: false, rule: 'file/binary', line: 2, column: 5 });
  });

  it('locates the first invalid UTF-8 byte', () => {
    const buf = Buffer.concat([Buffer.from('ok\nkind: é'), Buffer.from([0xe2, 0x28, 0xa1])]);
    expect(decodeText(buf)).toMatchObject({ ok: false, rule: 'file/encoding', line: 2, column: 8 });
  });
});

describe('firstInvalidUtf8', () => {
  it.each([
    [[0x41, 0xc3, 0xa9], -1],
    [[0xf0, 0x9f, 0x98, 0x80], -1], // an emoji
    [[0x41, 0xff], 1],
    [[0xc0, 0x80], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0x41, 0xe2, 0x82], 1], // truncated
  ])('%j → %i', (bytes, expected) => {
    expect(firstInvalidUtf8(Buffer.from(bytes))).toBe(expected);
  });
});

describe('readTextFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'promptctl-read-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a file', async () => {
    await writeFile(path.join(dir, 'a.md'), 'hello\n');
    expect(await readTextFile(path.join(dir, 'a.md'))).toEqual({ ok: true, text: 'hello\n' });
  });

  it('refuses a directory, a missing file and a file above the cap', async () => {
    await mkdir(path.join(dir, 'd.yaml'));
    expect(await readTextFile(path.join(dir, 'd.yaml'))).toMatchObject({ ok: false, rule: 'file/unreadable' });
    expect(await readTextFile(path.join(dir, 'nope.yaml'))).toMatchObject({ ok: false, rule: 'file/unreadable', message: 'cannot read file: no such file' });
    await writeFile(path.join(dir, 'huge.yaml'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
    const huge = await readTextFile(path.join(dir, 'huge.yaml'));
    expect(huge).toMatchObject({ ok: false, rule: 'file/too-large', line: 1, column: 1 });
    // One byte over: "8.0 MiB" would read as within the 8 MiB, so the size is said in bytes.
    expect(!huge.ok && huge.message).toBe('file is 8,388,609 bytes; promptctl reads files up to 8 MiB (8,388,608 bytes)');
    // Its start is kept, so a depth problem in it can still be named at its line.
    expect(!huge.ok && huge.head?.length).toBe(HEAD_BYTES);
  });
});

describe('the too-large message', () => {
  it('says MiB where the rounded figure is past the limit', async () => {
    const { tooLarge } = await import('../../../src/config/read.js');
    expect(tooLarge(MAX_FILE_BYTES + 60_000)).toBe('file is 8.1 MiB; promptctl reads files up to 8 MiB');
    expect(tooLarge(MAX_FILE_BYTES + 50_000)).toBe('file is 8,438,608 bytes; promptctl reads files up to 8 MiB (8,388,608 bytes)');
  });
});
