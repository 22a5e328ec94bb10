// A finished JSON or XML document masked in its string values alone: keys, literals, numbers and
// markup stay as they are, every form of a value is masked inside a value, and the document parses.
import { describe, expect, it } from 'vitest';
import { maskJsonValues, maskXmlValues } from '../../../src/util/masked-documents.js';
import { withEscapedForms } from '../../../src/util/secret-forms.js';
import { maskSecrets } from '../../../src/util/secrets.js';
import { xmlAttr, xmlEscape } from '../../../src/util/escapes.js';

const maskFor = (value: string) => {
  const forms = withEscapedForms([{ name: 'S', value }]);
  return (text: string) => maskSecrets(text, forms);
};

describe('maskJsonValues', () => {
  it('masks string values, never a key, a literal or a number', () => {
    const mask = maskFor('true');
    const json = JSON.stringify({ true: true, tests: [{ name: 'is true', n: 1 }], 'x"true': null }, null, 2);
    const out = maskJsonValues(json, mask);
    expect(JSON.parse(out)).toEqual({ true: true, tests: [{ name: 'is [redacted: S]', n: 1 }], 'x"true': null });
  });

  it('masks a value whose JSON encoding escapes the secret, and every other form it is found in', () => {
    const secret = 'pa"ss\\wörd\n12';
    const mask = maskFor(secret);
    const values = [`a ${secret} b`, `url ${encodeURIComponent(secret)}`, `b64 ${Buffer.from(`id:${secret}`).toString('base64')}`];
    const out = maskJsonValues(JSON.stringify({ values }), mask);
    const back = (JSON.parse(out) as { values: string[] }).values;
    for (const v of back) expect(v).toContain('[redacted: S]');
    expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
  });

  it('keeps a document holding no secret byte for byte', () => {
    const json = '{"a": "\\u00e9\\/x", "b": [1, "c"]}';
    expect(maskJsonValues(json, maskFor('zzzz'))).toBe(json);
  });
});

describe('maskXmlValues', () => {
  it('masks attribute values and character data, never tag or attribute names or the declaration', () => {
    const mask = maskFor('test');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="promptctl test" tests="1">\n  <testcase name="${xmlAttr('a <test>\n')}">${xmlEscape('said "test" & more')}</testcase>\n</testsuites>`;
    expect(maskXmlValues(xml, mask)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="promptctl [redacted: S]" tests="1">\n  <testcase name="a &lt;[redacted: S]&gt;&#10;">said &quot;[redacted: S]&quot; &amp; more</testcase>\n</testsuites>',
    );
  });

  it('masks a secret the XML escapes gave another form', () => {
    const mask = maskFor('r&d<1>');
    expect(maskXmlValues(`<a b="${xmlAttr('x r&d<1>')}">${xmlEscape('r&d<1>!')}</a>`, mask)).toBe('<a b="x [redacted: S]">[redacted: S]!</a>');
  });
});
