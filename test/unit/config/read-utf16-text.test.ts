// A file saved as UTF-16 (Windows PowerShell's `>` and Out-File, Notepad's "Unicode") is text in
// another encoding, not a binary file: it was refused as "binary file (NUL byte)" at the column
// of its first NUL, which sends a user looking for binary content that is not there. Its
// byte-order mark says what it is: refused at 1:1 as UTF-16, with what to do.
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/config/read.js';

const TEXT = 'apiVersion: promptctl/v1\r\nkind: Config\r\n';

describe('a UTF-16 file', () => {
  it('little-endian with its byte-order mark is an encoding problem at 1:1, named as UTF-16', () => {
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
    expect(decodeText(buf)).toEqual({ ok: false, rule: 'file/encoding', message: 'UTF-16 text (its byte-order mark says so); save the file as UTF-8', line: 1, column: 1 });
  });

  it('big-endian with its byte-order mark too', () => {
    const le = Buffer.from(TEXT, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toMatchObject({ ok: false, rule: 'file/encoding', line: 1, column: 1 });
  });

  it('UTF-32, either byte order, is named as UTF-32 (its mark begins as UTF-16 little-endian\'s does)', () => {
    const points = [0xfeff, ...[...TEXT].map((c) => c.codePointAt(0)!)];
    const le = Buffer.alloc(points.length * 4);
    const be = Buffer.alloc(points.length * 4);
    points.forEach((p, i) => {
      le.writeUInt32LE(p, i * 4);
      be.writeUInt32BE(p, i * 4);
    });
    for (const buf of [le, be]) {
      expect(decodeText(buf)).toEqual({ ok: false, rule: 'file/encoding', message: 'UTF-32 text (its byte-order mark says so); save the file as UTF-8', line: 1, column: 1 });
    }
  });

  it('without its byte-order mark (a NUL beside each character) is named as UTF-16 too, not as a binary file', () => {
    const le = Buffer.from(TEXT, 'utf16le');
    const be = Buffer.from(le).swap16();
    // It was "binary file (NUL byte); expected UTF-8 text" at 1:2.
    expect(decodeText(le)).toEqual({ ok: false, rule: 'file/encoding', message: 'UTF-16 text (little-endian, without a byte-order mark); save the file as UTF-8', line: 1, column: 1 });
    expect(decodeText(be)).toEqual({ ok: false, rule: 'file/encoding', message: 'UTF-16 text (big-endian, without a byte-order mark); save the file as UTF-8', line: 1, column: 1 });
    expect(decodeText(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]))).toMatchObject({ rule: 'file/binary' });
  });

  it('leaves UTF-8 text, with or without its own byte-order mark, and real binary files as they were', () => {
    expect(decodeText(Buffer.from(`\ufeff${TEXT}`))).toEqual({ ok: true, text: TEXT });
    expect(decodeText(Buffer.from('a: \u0000'))).toMatchObject({ ok: false, rule: 'file/binary', line: 1, column: 4 });
  });
});
