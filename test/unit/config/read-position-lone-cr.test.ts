// A file saved with lone CR line ends (old Mac) is read with each CR as a line break (parse.ts,
// texts): a NUL or an invalid UTF-8 byte in it was reported on line 1, at a column past every
// earlier line (1:110 for line 7), where no editor shows it.
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/config/read.js';

describe('the position of a bad byte in a file with lone CR line ends', () => {
  it('counts a lone CR as a line end, as YAML and the loader do', () => {
    const bytes = (s: string, bad: number[]) => Buffer.concat([Buffer.from(s), Buffer.from(bad)]);
    expect(decodeText(bytes('a: 1\rb: 2\r  c: "ok ', [0xff]))).toMatchObject({ ok: false, rule: 'file/encoding', line: 3, column: 10 });
    expect(decodeText(bytes('a: 1\rb: 2\rc: ', [0x00]))).toMatchObject({ ok: false, rule: 'file/binary', line: 3, column: 4 });
  });

  it('counts CRLF as one line end, not two', () => {
    expect(decodeText(Buffer.concat([Buffer.from('a: 1\r\nb: 2\r\nc: '), Buffer.from([0xff])]))).toMatchObject({ ok: false, line: 3, column: 4 });
    expect(decodeText(Buffer.concat([Buffer.from('a: 1\r\rc: '), Buffer.from([0x00])]))).toMatchObject({ ok: false, line: 3, column: 4 });
  });
});
