// Masking known secrets in whole texts and in text that arrives in pieces: however a text is cut,
// the pieces come out as the whole text masks.
import { describe, expect, it } from 'vitest';
import { ESCAPES } from '../../../src/util/escapes.js';
import { maskAnyCase, maskClipped, maskedNames, maskSecrets, maskStrings, type NamedSecret } from '../../../src/util/secrets.js';
import { withEscapedForms } from '../../../src/util/secret-forms.js';
import { createStreamMasker } from '../../../src/util/stream-masker.js';

const SECRETS: NamedSecret[] = [
  { name: 'LONG_SECRET', value: 'hunter2-hunter2-xyz' },
  { name: 'API_TOKEN', value: 'tok-12345678' },
];

function streamed(pieces: readonly string[], secrets: readonly NamedSecret[]): string {
  const m = createStreamMasker(secrets);
  return pieces.map((p) => m.push(p)).join('') + m.end();
}

describe('maskSecrets', () => {
  it('replaces every value, the longest first', () => {
    expect(maskSecrets('a tok-12345678 b hunter2-hunter2-xyz c tok-12345678', SECRETS)).toBe(
      'a [redacted: API_TOKEN] b [redacted: LONG_SECRET] c [redacted: API_TOKEN]',
    );
    const nested = [{ name: 'OUTER_KEY', value: 'abc-tok-12345678-def' }, SECRETS[1]!];
    expect(maskSecrets('x abc-tok-12345678-def y', nested)).toBe('x [redacted: OUTER_KEY] y');
    expect(maskSecrets('nothing here', SECRETS)).toBe('nothing here');
  });
});

describe('createStreamMasker', () => {
  const text = 'start hunter2-hunter2-xyz middle tok-12345678tok-12345678 hunter2-hunter end tok-1234567';

  it('masks a value split across pieces at every cut, as the whole text masks', () => {
    const whole = maskSecrets(text, SECRETS);
    for (let i = 0; i <= text.length; i++) {
      for (const j of [i, i + 1, i + 7, text.length]) {
        const pieces = [text.slice(0, i), text.slice(i, j), text.slice(j)];
        expect(streamed(pieces, SECRETS), `cut at ${i}, ${j}`).toBe(whole);
      }
    }
    expect(streamed([...text], SECRETS)).toBe(whole);
  });

  it('shows nothing of a value before it is complete, and the held-back text at the end', () => {
    const m = createStreamMasker(SECRETS);
    const shown = [m.push('token: hunter2-hun'), m.push('ter2-x')];
    expect(shown.join('')).not.toContain('hunter2');
    expect(shown.join('') + m.push('yz done') + m.end()).toBe('token: [redacted: LONG_SECRET] done');
    // A prefix that never completes is shown as it is at the end.
    const n = createStreamMasker(SECRETS);
    expect(n.push('tok-1234') + n.end()).toBe('tok-1234');
  });

  it('cut: a text that ends unfinished shows no start of a value still arriving, and masks the whole ones', () => {
    const m = createStreamMasker(SECRETS);
    expect(m.push('key: tok-12345678 then hunter2-hun') + m.cut()).toBe('key: [redacted: API_TOKEN] then ');
    // Every prefix of every value, at the end of a cut text, is left out; text that starts none is kept.
    for (const s of SECRETS) {
      for (let n = 1; n < s.value.length; n++) {
        const c = createStreamMasker(SECRETS);
        expect(c.push(`said ${s.value.slice(0, n)}`) + c.cut(), `${s.name} ${n}`).toBe('said ');
      }
    }
    const k = createStreamMasker(SECRETS);
    expect(k.push('nothing secret here.') + k.cut()).toBe('nothing secret here.');
    // A whole value overlapping the start of another is masked whole, not cut in two.
    const overlap = [{ name: 'A_TOKEN', value: 'abcab-1234' }];
    const o = createStreamMasker(overlap);
    expect(o.push('x abcab-1234') + o.cut()).toBe('x [redacted: A_TOKEN]');
    // A value that is the start of a longer one still arriving: neither it nor what follows it is shown.
    const nested = [
      { name: 'LONG_SECRET', value: 'password12345678' },
      { name: 'SHORT_TOKEN', value: 'password12' },
    ];
    for (let n = 'password12'.length + 1; n < 'password12345678'.length; n++) {
      const c = createStreamMasker(nested);
      expect(c.push(`use ${'password12345678'.slice(0, n)}`) + c.cut(), String(n)).toBe('use ');
    }
    const whole = createStreamMasker(nested);
    expect(whole.push('use password12 now') + whole.cut()).toBe('use [redacted: SHORT_TOKEN] now');
  });

  it('writes at once what can start no value (a long secret holds back only a tail that may be its start)', () => {
    const m = createStreamMasker(withEscapedForms([{ name: 'LONG_SECRET', value: 'p_a_s_s&w<o>r"d-0123456789' }]));
    expect(m.push('The refund takes ')).toBe('The refund takes ');
    expect(m.push('5 days. p_a')).toBe('5 days. ');
    expect(m.push('rt of it') + m.end()).toBe('p_art of it');
  });

  it('holds nothing back without secrets', () => {
    const m = createStreamMasker([]);
    expect(m.push('abc')).toBe('abc');
    expect(m.end()).toBe('');
  });
});

describe('createStreamMasker and characters outside the BMP', () => {
  it('never cuts between the two halves of an emoji, whatever the pieces', () => {
    const secrets = [{ name: 'SOME_API_TOKEN', value: 'x'.repeat(30) }];
    const text = Array.from({ length: 40 }, (_, i) => `w${i} 😀 `).join('');
    for (let size = 1; size <= 7; size++) {
      const m = createStreamMasker(secrets);
      const written: string[] = [];
      for (let i = 0; i < text.length; i += size) written.push(m.push(text.slice(i, i + size)));
      written.push(m.end());
      // Each piece is written on its own (encoded alone): none may begin or end inside a character.
      for (const w of written) expect(Buffer.from(w, 'utf8').toString('utf8')).not.toContain('\uFFFD');
      expect(written.join('')).toBe(text);
    }
  });
});

describe('withEscapedForms', () => {
  it('masks a value as JSON, XML, markdown and a quoted assertion value escape it', () => {
    const value = 'Zx_9"q&<ab>\\cd12*x|y%z';
    const forms = withEscapedForms([{ name: 'SOME_SECRET', value }]);
    const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
    const md = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/([\\`*_[\]|#~$])/g, '\\$1');
    for (const text of [value, JSON.stringify({ v: value }), xml(value), xml(JSON.stringify(value)), md(value), md(JSON.stringify(value)), encodeURIComponent(value)]) {
      expect(maskSecrets(`a ${text} b`, forms), text).not.toContain('cd12');
    }
    expect(forms.every((f) => f.name === 'SOME_SECRET')).toBe(true);
    // A plain token keeps one form, and its base64 forms once it is long enough for them to tell.
    expect(withEscapedForms([{ name: 'PLAIN_TOKEN', value: 'abcdefgh123' }])).toEqual([{ name: 'PLAIN_TOKEN', value: 'abcdefgh123' }]);
    const token = withEscapedForms([{ name: 'PLAIN_TOKEN', value: 'abcdefgh1234' }]).map((f) => f.value);
    expect(token).toContain('abcdefgh1234');
    expect(token.filter((v) => v !== 'abcdefgh1234').every((v) => /^[A-Za-z0-9+/_-]+$/.test(v))).toBe(true);
  });
});

describe('withEscapedForms and what a server sends back', () => {
  const secret = 'S3cr3t-Zq9!x/y+z==<&>é';
  const forms = withEscapedForms([{ name: 'GENESYSCLOUD_OAUTHCLIENT_SECRET', value: secret }]);

  it.each([
    ['PHP (slashes, other than ASCII)', 'S3cr3t-Zq9!x\\/y+z==<&>\\u00e9'],
    ['Go (<, >, &)', 'S3cr3t-Zq9!x/y+z==\\u003c\\u0026\\u003eé'],
    ['Python (other than ASCII)', 'S3cr3t-Zq9!x/y+z==<&>\\u00e9'],
    ['.NET (upper-case hex)', 'S3cr3t-Zq9!x/y\\u002Bz==\\u003C\\u0026\\u003E\\u00E9'],
  ])('masks the value as %s escapes it, and that again as a JSON document', (_encoder, echoed) => {
    expect(maskSecrets(`403: {"client":"id:${echoed}"}`, forms)).not.toContain('Zq9');
    expect(maskSecrets(JSON.stringify({ error: `403: {"client":"id:${echoed}"}` }), forms)).not.toContain('Zq9');
  });

  it.each([
    ['.NET HttpUtility.UrlEncode (lower-case hex)', 'S3cr3t-Zq9!x%2fy%2bz%3d%3d%3c%26%3e%c3%a9'],
    ['Java URLEncoder and URLSearchParams (! encoded)', 'S3cr3t-Zq9%21x%2Fy%2Bz%3D%3D%3C%26%3E%C3%A9'],
    ['Python quote (/ kept)', 'S3cr3t-Zq9%21x/y%2Bz%3D%3D%3C%26%3E%C3%A9'],
  ])('masks the value as %s URL-encodes it, and that again as a JSON document', (_encoder, echoed) => {
    expect(maskSecrets(`400: client_secret=${echoed}&grant_type=client_credentials`, forms)).not.toContain('Zq9');
    expect(maskSecrets(JSON.stringify({ error: `400: client_secret=${echoed}` }), forms)).not.toContain('Zq9');
  });

  it.each([
    ['hex references (as OWASP ESAPI writes ASCII punctuation)', 'S3cr3t-Zq9&#x21;x&#x2f;y&#x2b;z&#x3d;&#x3d;&lt;&amp;&gt;&#xe9;'],
    ['decimal references', 'S3cr3t-Zq9&#33;x&#47;y&#43;z&#61;&#61;&#60;&#38;&#62;&#233;'],
  ])('masks the value written with %s in an HTML error page', (_encoder, echoed) => {
    expect(maskSecrets(`<p>Bad gateway for ${echoed}</p>`, forms)).not.toContain('Zq9');
  });

  it('masks the value inside base64 wherever it starts (an Authorization header echoed), in standard and URL-safe base64', () => {
    for (const before of ['', 'i', 'id', 'id:', 'client-id:']) {
      const b64 = Buffer.from(`${before}${secret}-and after`).toString('base64');
      const masked = maskSecrets(`echo: Basic ${b64}`, forms);
      expect(masked, before).toContain('[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]');
      // What is left of the base64 around the mask holds at most one character's bits of the value.
      const left = masked.replace(/\[redacted: [^\]]+\]/, ' ').split(/\s+/).filter((w) => /^[A-Za-z0-9+/=]+$/.test(w) && w.length > 8);
      expect(left.every((w) => !Buffer.from(w, 'base64').toString('latin1').includes('Zq9'))).toBe(true);
      const url = Buffer.from(`${before}${secret}`).toString('base64url');
      expect(maskSecrets(url, forms)).toContain('[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]');
    }
  });
});

describe('withEscapedForms and a URL-encoded echo in another case', () => {
  const secret = 'Ab/c+d=ef:gh!';
  const forms = withEscapedForms([{ name: 'GENESYSCLOUD_OAUTHCLIENT_SECRET', value: secret }]);

  it.each([
    ['lower-cased whole (hex and letters)', 'ab%2fc%2bd%3def%3agh%21'],
    ['upper-cased whole', 'AB%2FC%2BD%3DEF%3AGH%21'],
    ['with lower-case hex and ! encoded', 'Ab%2fc%2bd%3def%3agh%21'],
    ['lower-cased, then encoded with upper-case hex', 'ab%2Fc%2Bd%3Def%3Agh%21'],
    ['upper-cased, ! kept', 'AB%2FC%2BD%3DEF%3AGH!'],
  ])('masks the value URL-encoded and %s, also in a JSON document, a workflow command and a stream', (_how, echoed) => {
    const text = `400: client_secret=${echoed}&grant_type=client_credentials`;
    expect(maskSecrets(text, forms)).toBe('400: client_secret=[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]&grant_type=client_credentials');
    expect(maskSecrets(JSON.stringify({ error: text }), forms)).not.toMatch(/gh/i);
    // GitHub's workflow commands write % as %25.
    expect(maskSecrets(`::error::${text.replace(/%/g, '%25')}`, forms)).not.toMatch(/gh/i);
    expect(streamed(text.match(/.{1,3}/gs) ?? [], forms)).toBe(maskSecrets(text, forms));
    // Cut short before "…" (a message quoting the body clipped).
    expect(maskClipped(`body "client_secret=${echoed.slice(0, 12)}…"`, forms)).toBe('body "client_secret=[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]…"');
  });

  it('finds a value shorter than 12 characters only as it is, URL-encoded forms aside', () => {
    // 13 characters: found in any case as it is too (below); its URL-encoded forms whatever its length.
    expect(maskSecrets('AB/C+D=EF:GH! and ab/c+d=ef:gh!', forms)).toBe('[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET] and [redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]');
    const short = withEscapedForms([{ name: 'PLAIN_TOKEN', value: 'Word-42-ab' }]);
    expect(short.some((f) => f.anyCase)).toBe(false);
    expect(maskSecrets('a WORD-42-AB and word-42-ab', short)).toBe('a WORD-42-AB and word-42-ab');
    expect(maskSecrets('a Word-42-ab', short)).toBe('a [redacted: PLAIN_TOKEN]');
    const shortUrl = withEscapedForms([{ name: 'PLAIN_TOKEN', value: 'a/b+c' }]);
    expect(maskSecrets('A%2FB%2BC', shortUrl)).toBe('[redacted: PLAIN_TOKEN]');
    // Ordinary URL-encoded text that only shares the value's encoded characters is left alone.
    expect(maskSecrets('path=%2Fc%2Bd%3Dother&q=AB%2F', forms)).toBe('path=%2Fc%2Bd%3Dother&q=AB%2F');
  });
});

describe('withEscapedForms and a plain value echoed in another case', () => {
  // A server quoting the credentials it was sent in an error it upper-cases (or lower-cases) whole.
  const secret = 'local-Secret-9x';
  const forms = withEscapedForms([{ name: 'GENESYSCLOUD_OAUTHCLIENT_SECRET', value: secret }]);
  const MASK = '[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]';

  it.each([
    ['upper-cased', 'LOCAL-SECRET-9X'],
    ['lower-cased', 'local-secret-9x'],
    ['with other letters changed', 'Local-sECRET-9X'],
  ])('masks the value %s in a whole text, a JSON document, a stream and a text cut short', (_how, echoed) => {
    const text = `401 INVALID_CLIENT: CLIENT_SECRET ${echoed} IS NOT VALID`;
    expect(maskSecrets(text, forms)).toBe(`401 INVALID_CLIENT: CLIENT_SECRET ${MASK} IS NOT VALID`);
    expect(maskSecrets(JSON.stringify({ message: text }), forms)).not.toMatch(/secret-9x/i);
    for (const size of [1, 2, 5]) expect(streamed(text.match(new RegExp(`.{1,${size}}`, 'gs')) ?? [], forms)).toBe(maskSecrets(text, forms));
    expect(maskClipped(`body "${echoed.slice(0, 10)}…"`, forms)).toBe(`body "${MASK}…"`);
  });

  it('masks its escaped forms in another case too (a JSON body with the value\'s escapes, upper-cased)', () => {
    const escaped = withEscapedForms([{ name: 'S', value: 'pa"ss\\word-Long-1' }]);
    expect(maskSecrets('ECHO: "PA\\"SS\\\\WORD-LONG-1"', escaped)).toBe('ECHO: "[redacted: S]"');
  });

  it('leaves text that only starts like it, or differs in more than case, alone', () => {
    expect(maskSecrets('LOCAL-SECRET-9 and local-secret-8x', forms)).toBe('LOCAL-SECRET-9 and local-secret-8x');
  });
});

describe('a stream masker over secrets that grow', () => {
  it('masks a secret learnt after it was made, from the next piece on', () => {
    const known: NamedSecret[] = [{ name: 'API_TOKEN', value: 'tok-FIRST-111111' }];
    let forms = withEscapedForms(known);
    const m = createStreamMasker(() => forms);
    const first = m.push('echo: Bearer tok-FIRST-111111 ');
    forms = withEscapedForms([...known, { name: 'a renewed token', value: 'tok-ABCDEF123456' }]);
    const rest = m.push('then Bearer tok-ABCDEF123456 ') + m.push('and tok-ABC') + m.push('DEF123456') + m.end();
    expect(first + rest).toBe('echo: Bearer [redacted: API_TOKEN] then Bearer [redacted: a renewed token] and [redacted: a renewed token]');
  });
});

describe('withEscapedForms and data that already holds an escaped form', () => {
  it('masks a value the data holds escaped once (HTML, markdown, XML, a URL) when a view escapes it again', () => {
    // A live object or a model's answer may quote the secret already escaped (HTML in a web
    // page's text, a markdown-escaped paste); the test and status reports escape it once more.
    const value = 'Zx_9"q&<ab>\\cd12*x|y%z';
    const forms = withEscapedForms([{ name: 'SOME_SECRET', value }]);
    for (const inner of ESCAPES) {
      for (const outer of ESCAPES) {
        const text = outer(inner(value));
        expect(maskSecrets(`a ${text} b`, forms), `${inner.name} then ${outer.name}`).not.toContain('cd12');
      }
    }
  });
});

describe('withEscapedForms and a line or paragraph separator', () => {
  it('masks a value holding U+2028 or U+2029 as a one-line message (oneLine) and a name (visibleName) escape them', () => {
    const value = 'Zq7-left\u2028mid8\u2029Wk3-right';
    const forms = withEscapedForms([{ name: 'SOME_SECRET', value }]);
    for (const text of ['Zq7-left\\u2028mid8\\u2029Wk3-right', ...ESCAPES.map((f) => f(value))]) {
      expect(maskSecrets(`a ${text} b`, forms), text).not.toContain('mid8');
    }
  });
});

describe('withEscapedForms and a multi-line value', () => {
  it('masks each line long enough to be one on its own too (a diff or a YAML block puts text between them)', () => {
    const forms = withEscapedForms([{ name: 'SIGNING_KEY', value: '-----BEGIN KEY-----\nMIIEvQIBADANBgkq\nab\n-----END KEY-----' }]);
    expect(maskSecrets('-MIIEvQIBADANBgkq\n  other text', forms)).toBe('-[redacted: SIGNING_KEY]\n  other text');
    // A PEM key's armor lines are the same in every key: public text, not masked alone.
    expect(maskSecrets('Never paste a line like -----END KEY----- here', forms)).toBe('Never paste a line like -----END KEY----- here');
    // A short line is ordinary text: not masked alone.
    expect(forms.some((f) => f.value === 'ab')).toBe(false);
    expect(maskSecrets('ab', forms)).toBe('ab');
  });
});

describe('maskSecrets against a reference', () => {
  it('masks as a plain left-to-right, longest-first scan does, on texts dense with near misses', () => {
    const forms = withEscapedForms([
      { name: 'A_SECRET', value: 'ab_"cd&<ef' },
      { name: 'B_TOKEN', value: 'abab_cdcd' },
      { name: 'C_KEY', value: 'ef|gh%ij,k' },
    ]);
    const reference = (text: string): string => {
      let out = '';
      for (let i = 0; i < text.length; ) {
        const hit = forms.find((s) => text.startsWith(s.value, i));
        if (hit) {
          out += `[redacted: ${hit.name}]`;
          i += hit.value.length;
        } else out += text[i++];
      }
      return out;
    };
    // Deterministic pseudo-random texts over the secrets' own characters and their forms.
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const parts = ['a', 'b', '_', '"', 'c', 'd', '&', '<', 'e', 'f', '|', 'g', 'h', '%', 'i', 'j', ',', 'k', ' ', '\\', ...forms.map((f) => f.value)];
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: 40 }, () => parts[rnd(parts.length)]).join('');
      expect(maskSecrets(text, forms), text).toBe(reference(text));
      expect(streamed(text.match(/.{1,3}/gs) ?? [], forms), text).toBe(reference(text));
    }
  });
});

describe('maskStrings', () => {
  const mask = (t: string) => maskSecrets(t, SECRETS);

  it('masks every string value of a JSON value, never a key, and keeps what holds none as it is', () => {
    const clean = { a: ['x', { b: 1 }], c: null };
    const value = { clean, list: ['tok-12345678', 2, true], nested: { 'key tok-12345678': 'hunter2-hunter2-xyz!' } };
    const masked = maskStrings(value, mask);
    // A key is the document's field name, which its reader (a renderer, a parser of the file) reads it by.
    expect(masked).toEqual({ clean, list: ['[redacted: API_TOKEN]', 2, true], nested: { 'key tok-12345678': '[redacted: LONG_SECRET]!' } });
    expect(masked.clean).toBe(clean);
    expect(maskStrings(clean, mask)).toBe(clean);
    expect(value.list[0]).toBe('tok-12345678');
  });

  it('names what a text masks', () => {
    expect(maskedNames(mask('b tok-12345678 a hunter2-hunter2-xyz tok-12345678'))).toEqual(['API_TOKEN', 'LONG_SECRET']);
    expect(maskedNames('[redacted: the proxy password] and [redacted:] no')).toEqual(['the proxy password']);
  });
});

describe('maskClipped', () => {
  const forms = withEscapedForms([{ name: 'API_TOKEN', value: 'tok_12345678abcdef' }]);
  it('masks the start of a value a text cut short before "…", in any form, the longest start', () => {
    expect(maskClipped('kind "tok_1234…"; expected', forms)).toBe('kind "[redacted: API_TOKEN]…"; expected');
    // The markdown form (`_` escaped) cut short too.
    expect(maskClipped('a tok\\_12345678a… b', forms)).toBe('a [redacted: API_TOKEN]… b');
    expect(maskClipped('x tok_1234… y tok_1234567… z', forms)).toBe('x [redacted: API_TOKEN]… y [redacted: API_TOKEN]… z');
    // An output preview cut at both ends: the end of a value after the first mark, the start of one before the last.
    expect(maskClipped('"…345678abcdef then tok_12345678a…"', forms)).toBe('"…[redacted: API_TOKEN] then [redacted: API_TOKEN]…"');
    expect(maskClipped('…5678abcdef', forms)).toBe('…[redacted: API_TOKEN]');
  });
  it('leaves a start shorter than 8 characters, text without "…", and a whole value (maskSecrets masks it) alone', () => {
    expect(maskClipped('a tok_123… b', forms)).toBe('a tok_123… b');
    expect(maskClipped('a …8abcdef b', forms)).toBe('a …8abcdef b');
    expect(maskClipped('client loca…', withEscapedForms([{ name: 'S', value: 'local-secret' }]))).toBe('client loca…');
    expect(maskClipped('a tok_1234 b', forms)).toBe('a tok_1234 b');
    expect(maskClipped('a tok_12345678abcdef… b', forms)).toBe('a tok_12345678abcdef… b');
    expect(maskClipped('other… text', forms)).toBe('other… text');
    expect(maskClipped('tok_1234…', [])).toBe('tok_1234…');
  });
});

describe('maskAnyCase (what a file name is made from)', () => {
  it('masks a value in any case, the longest whole, and regex characters literally', () => {
    expect(maskAnyCase('Key TOK-12345678 and hunter2-HUNTER2-xyz', SECRETS)).toBe('Key [redacted: API_TOKEN] and [redacted: LONG_SECRET]');
    expect(maskAnyCase('a.b*c', [{ name: 'S', value: 'a.b*c' }])).toBe('[redacted: S]');
    expect(maskAnyCase('axb*c', [{ name: 'S', value: 'a.b*c' }])).toBe('axb*c');
    expect(maskAnyCase('plain', [])).toBe('plain');
  });
});
