// Every diagnostic's column counts UTF-16 code units, as the YAML positions do (an emoji is two
// columns, as VS Code counts them): a problem after "😀" on a line was placed by the YAML rules in
// one convention and an invalid byte by read.ts in another (code points), one column left.
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/config/read.js';
import { parseYaml } from '../../../src/config/parse.js';

describe('the column of a bad byte after characters outside the BMP', () => {
  it('counts an emoji as two columns, as the YAML positions do', () => {
    const before = 'm: {a: "\u{1F600}", ';
    // yaml's column for a duplicate key right after the emoji...
    const dup = parseYaml(`k: 1\n${before}a: 2}\n`, 'f.yaml');
    expect(dup.diagnostics[0]).toMatchObject({ rule: 'yaml/duplicate-key', line: 2, column: before.length + 1 });
    // ...and read.ts's for a bad byte at the same place.
    const bad = decodeText(Buffer.concat([Buffer.from(`k: 1\n${before}`), Buffer.from([0xff]), Buffer.from(': 2}\n')]));
    expect(bad).toMatchObject({ ok: false, rule: 'file/encoding', line: 2, column: before.length + 1 });
    expect(decodeText(Buffer.from('x: "\u{1F600}\u00e9\u4e2d\0"'))).toMatchObject({ ok: false, rule: 'file/binary', line: 1, column: 9 });
  });
});
