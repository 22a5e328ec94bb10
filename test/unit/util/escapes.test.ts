// The escapes are one list that masking reads: every escape the module exports is in it, and no
// other code escapes a text for a document on its own (masking would not know the form it makes).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as escapes from '../../../src/util/escapes.js';
import { maskSecrets } from '../../../src/util/secrets.js';
import { withEscapedForms } from '../../../src/util/secret-forms.js';

const SRC = resolve(import.meta.dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

describe('util/escapes', () => {
  it('lists every escape it exports, so masking looks for each form', () => {
    const listed = new Set<unknown>([...escapes.ESCAPES, ...escapes.INNER_ESCAPES]);
    const exported = Object.entries(escapes).filter(([, v]) => typeof v === 'function');
    expect(exported.length).toBeGreaterThan(10);
    expect(exported.filter(([, f]) => !listed.has(f)).map(([name]) => name)).toEqual([]);
    // Each inner escape is an outer one too (a value escaped once is a form of its own).
    expect(escapes.INNER_ESCAPES.filter((f) => !escapes.ESCAPES.includes(f))).toEqual([]);
  });

  it('is the only code that escapes text for a document (the emulator, which masks nothing, aside)', () => {
    // The tell-tale pieces of an escape: entities, workflow command codes, markdown's backslash,
    // the cell's broken bar, a CR made visible, line breaks or whitespace runs turned into a space.
    const tells = [/&amp;|&lt;|&gt;|&quot;|&apos;|&#1[03];|&#9;/, /%0A|%0D|%25|%3A|%2C/, /'\\\\\$1'/, /¦/, /\\\\u000d/, /\\s\+\/g, ' '/, /\\r\?\\n\/g, ' '/];
    const offenders = sourceFiles(SRC)
      .filter((f) => !f.endsWith(join('util', 'escapes.ts')) && !relative(SRC, f).startsWith('emulator'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, where: `${relative(SRC, f)}:${i + 1}` }))
          .filter(({ line }) => !/^\s*(\/\/|\*|\/\*)/.test(line) && tells.some((t) => t.test(line)))
          .map(({ where, line }) => `${where}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it('shellWord quotes a path for a command to run, and shows an ESC or a line break in it escaped', () => {
    expect(escapes.shellWord('prompts/a-b_1.yaml')).toBe('prompts/a-b_1.yaml');
    expect(escapes.shellWord("it's here")).toBe(`'it'\\''s here'`);
    expect(escapes.shellWord('x\u001b[2Jy\nz')).toBe(`'x\\u001b[2Jy\\u000az'`);
  });

  it('a value with a line break and every escaped character is masked in each form, through each inner escape too', () => {
    const value = `Ab1 | < > & " ' \\ \` * _ [ ] # ~ $ % : , \t\r\n\u001b zZ9`;
    const forms = withEscapedForms([{ name: 'SOME_KEY', value }]);
    for (const outer of escapes.ESCAPES) {
      for (const inner of [(s: string) => s, ...escapes.INNER_ESCAPES]) {
        const text = `before ${outer(inner(value))} after`;
        expect(maskSecrets(text, forms), `${outer.name}(${inner.name})`).toBe('before [redacted: SOME_KEY] after');
      }
    }
    // Forms met twice are kept once: a value no escape changes, too short for base64 forms, has one form.
    expect(withEscapedForms([{ name: 'PLAIN_TOKEN', value: 'abcdefgh123' }])).toHaveLength(1);
    expect(new Set(forms.map((f) => f.value)).size).toBe(forms.length);
  });
});

describe('markdown and HTML escapes and control characters', () => {
  it('write an ESC, a BEL and a C1 control as escapes, as a terminal reading the report with cat would otherwise obey them', () => {
    const name = 'refund \u001b[2J\u001b[31mtiming\u0007\u009b';
    const { escapeHtml, escapeInline, escapeTestMarkdown, escapeStatusMarkdown, escapeCodeCell, escapeTestCode } = escapes;
    for (const escape of [escapeHtml, escapeInline, escapeTestMarkdown, escapeStatusMarkdown, escapeCodeCell, escapeTestCode]) {
      const out = escape(name);
      expect(out, escape.name).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
      expect(out, escape.name).toContain('u001b');
    }
    expect(escapes.escapeTestMarkdown(name)).toBe('refund \\\\u001b\\[2J\\\\u001b\\[31mtiming\\\\u0007\\\\u009b');
    expect(escapes.escapeTestCode(name)).toBe('refund \\u001b[2J\\u001b[31mtiming\\u0007\\u009b');
  });

  it('keep an @mention and an #issue reference from notifying anyone in a PR comment', () => {
    const text = 'case @octocat and @org/team, see #12';
    const quiet = 'case @\u200boctocat and @\u200borg/team, see \\#\u200b12';
    expect(escapes.escapeInline(text)).toBe(quiet);
    expect(escapes.escapeTestMarkdown(text)).toBe(quiet);
    expect(escapes.escapeStatusMarkdown(text)).toBe(quiet);
    expect(escapes.escapeHtml('(@octocat) #3')).toBe('(@\u200boctocat) #\u200b3');
    // Another repository's issue and the GH- form are references too.
    expect(escapes.escapeInline('see acme/infra#42 and GH-7')).toBe('see acme/infra\\#\u200b42 and GH-\u200b7');
    expect(escapes.escapeHtml('acme/infra#42, gh-7, EGH-7')).toBe('acme/infra#\u200b42, gh-\u200b7, EGH-7');
    // Alone in a text (no @ or # beside it), in any letter case.
    expect(escapes.escapeHtml('gH-7')).toBe('gH-\u200b7');
    expect(escapes.escapeInline('see Gh-12')).toBe('see Gh-\u200b12');
    expect(escapes.escapeHtml('WWW.example.com')).toBe('WWW\u200b.example.com');
    expect(escapes.escapeHtml('ftp://example.com')).toBe('ftp:\u200b//example.com');
    // A secret in a document that quiets it is still found and masked.
    const secret = { name: 'MY_TOKEN', value: '@dm1n-s3cret' };
    expect(maskSecrets(escapes.escapeInline(`token ${secret.value}`), withEscapedForms([secret]))).not.toContain('s3cret');
  });

  // From review: GitHub makes `a@b.example` a mailto: link, so an address in a description or a
  // live object's name became one in the reviewed plan.
  it('keep an e-mail address in free text from becoming a mailto: link in a PR comment, readable', () => {
    const text = 'mail billing@example.com, First.Last+tag@mail.acme.example. Or mailto:ops@acme.example (x@1.0.0-beta)';
    const quiet = 'mail billing@\u200bexample.com, First.Last+tag@\u200bmail.acme.example. Or mailto:ops@\u200bacme.example (x@\u200b1.0.0-beta)';
    expect(escapes.escapeHtml(text)).toBe(quiet);
    expect(escapes.escapeInline(text)).toBe(quiet);
    expect(escapes.escapeTestMarkdown(text)).toBe(quiet);
    expect(escapes.escapeStatusMarkdown(text)).toBe(quiet);
    expect(quiet.replace(/\u200b/g, '')).toBe(text);
    // What GitHub does not link is left as it is: no dot in the domain, or a domain ending in a digit (a version's address).
    expect(escapes.escapeHtml('user@localhost, a@b. x@ y.z, PromptVersion/billing-assistant@1.2.0')).toBe('user@localhost, a@b. x@ y.z, PromptVersion/billing-assistant@1.2.0');
    // A secret holding one is still found and masked in the quieted form.
    const secret = { name: 'PROXY_PASSWORD', value: 'p4ss@w0rd.example-x' };
    expect(maskSecrets(escapes.escapeInline(`password ${secret.value}`), withEscapedForms([secret]))).not.toContain('w0rd');
    // Also where what follows it makes an address of its end: quieted there, not in the value alone.
    const ending = { name: 'PROXY_PASSWORD', value: 'tok@abc1-long' };
    expect(maskSecrets(escapes.escapeInline(`key ${ending.value}.example`), withEscapedForms([ending]))).toBe('key [redacted: PROXY_PASSWORD].example');
  });

  // From review: GitHub makes a bare `https://…` or `www.…` a link, so a live object's name or a
  // description planted a clickable link in the reviewed plan.
  it('keep a bare URL or www. address in free text from becoming a link in a PR comment', () => {
    const text = 'see https://evil.example/login, HTTP://a.example (www.evil.example) and ftp://files.example';
    const quiet = 'see https:\u200b//evil.example/login, HTTP:\u200b//a.example (www\u200b.evil.example) and ftp:\u200b//files.example';
    expect(escapes.escapeHtml(text)).toBe(quiet);
    expect(escapes.escapeInline(text)).toBe(quiet);
    expect(escapes.escapeTestMarkdown(text)).toBe(quiet);
    expect(escapes.escapeStatusMarkdown(text)).toBe(quiet);
    // Words that only hold the letters are left as they are.
    expect(escapes.escapeInline('awww.txt, colon: //x')).toBe('awww.txt, colon: //x');
    // A secret holding one is still found and masked in the quieted form.
    const secret = { name: 'SINK_URL', value: 'https://hooks.example/s3cret-path' };
    expect(maskSecrets(escapes.escapeInline(`posting to ${secret.value}`), withEscapedForms([secret]))).not.toContain('s3cret');
  });

  it('write bidi controls, zero-width and tag characters as escapes (a name or a label could hide or reorder text), joiners kept', () => {
    const name = 'Returns \u202egnp.exe\u202c\u200b\u{e0041} 👨\u200d👩';
    const { escapeHtml, escapeInline, escapeTestMarkdown, escapeStatusMarkdown, escapeCodeCell, escapeTestCode, visibleName, visibleLines, oneLine } = escapes;
    // visibleLines and oneLine: an error line or a diagnostic's message on a terminal, which may quote a server's words.
    for (const escape of [escapeHtml, escapeInline, escapeTestMarkdown, escapeStatusMarkdown, escapeCodeCell, escapeTestCode, visibleName, visibleLines, oneLine]) {
      const out = escape(name);
      expect(out, escape.name).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]|\u{e0041}/u);
      expect(out, escape.name).toContain('u202e');
      expect(out, escape.name).toContain('👨\u200d👩');
    }
    const secret = { name: 'MY_TOKEN', value: 'tok\u202en-s3cret' };
    for (const escape of [escapeInline, escapeCodeCell, visibleName]) expect(maskSecrets(`a ${escape(secret.value)} b`, withEscapedForms([secret]))).not.toContain('s3cret');
  });
});
