// The model's answer is the least trusted text promptctl prints. On a terminal, `promptctl run`
// writes its control characters as escapes (before: raw, so an answer could colour or hide text,
// set the window title or write the clipboard with OSC 52), also when an escape sequence is split
// across the stream's deltas; line breaks, tabs and CRLF line ends stay. Piped, the answer is
// written byte for byte, and a character whose surrogate pair the deltas split is not broken
// (before: each half written alone, U+FFFD twice). The stderr lines that quote the target's
// text (version, model, filter names) are made visible too.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { forwardTo } from '../helpers/forward.js';
import { evalsProject, type EvalsProject } from './evals-support.js';
import { answerStream } from '../../src/views/run-answer.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const OSC52 = '\u001b]52;c;cm0gLXJmIH4=\u0007';
/** The deltas the stand-in target streams: sequences and a surrogate pair split across them. */
const DELTAS = ['Hello \u001b', ']0;pwned\u0007 and \u001b[31mred\u001b[0m\t', 'x', ' line one\r', '\nline two \ud83d', `\ude00 ${OSC52.slice(0, 4)}`, `${OSC52.slice(4)} safe\rEVIL\b\u009b2J end`];
const ANSWER = DELTAS.join('');
const SHOWN = 'Hello \\u001b]0;pwned\\u0007 and \\u001b[31mred\\u001b[0m\tx line one\r\nline two \u{1f600} \\u001b]52;c;cm0gLXJmIH4=\\u0007 safe\\u000dEVIL\\u0008\\u009b2J end';

const DONE = {
  id: 'inv-1',
  template: { id: 't-1', name: 'faq-bot' },
  version: '1.0.0\u001b]0;title\u0007',
  model: 'gpt-4o-mini\u001b[8m',
  finishReason: 'stop',
  usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
  costUsd: 0.0001,
  latencyMs: 3,
  filters: [{ name: 'faq-pii\u001b[2J', category: 'pii', score: 0.9, action: 'redact_and_log', applied: true }],
};

/** A run of faq-bot@1.0.0 through a stand-in target that streams `deltas`, then DONE; the rest goes to the emulator. */
async function runThroughStandIn(tty: boolean, deltas: readonly string[] = DELTAS) {
  p ??= await evalsProject();
  const upstream = new URL(p.emu.url);
  const proxy = http.createServer((req, res) => {
    if (req.method === 'POST' && (req.url ?? '').includes('/invocations')) {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const text of deltas) res.write(`event: delta\ndata: ${JSON.stringify({ text })}\n\n`);
      res.end(`event: done\ndata: ${JSON.stringify(DONE)}\n\n`);
      return;
    }
    forwardTo(upstream, req, res);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    return await runCliInProcess(['run', 'faq-bot@1.0.0', '--var', 'question=hi'], { cwd: p.dir.path, env: { ...p.emu.env, GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url }, tty });
  } finally {
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
  }
}

describe('promptctl run: the answer’s control characters', () => {
  it('on a terminal: made visible, also split across deltas; line breaks, tabs, CRLF and a split emoji kept', async () => {
    const r = await runThroughStandIn(true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${SHOWN}\n`);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\ufffd]/);
    // The target's names on stderr: visible, never raw.
    expect(r.stderr).toContain('version 1.0.0\\u001b]0;title\\u0007 · model gpt-4o-mini\\u001b[8m · finish stop\n');
    expect(r.stderr).toContain('filters: faq-pii\\u001b[2J redacted pii (score 0.9)\n');
    expect(r.stderr).not.toContain('\u001b');
  });

  it('piped: the answer byte for byte, a surrogate pair split across deltas whole', async () => {
    const r = await runThroughStandIn(false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${ANSWER}\n`);
    expect(r.stdout).not.toContain('\ufffd');
    // stderr is not the answer: its names are made visible on a terminal or not (a log read with cat).
    expect(r.stderr).not.toContain('\u001b');
  });
});

/** What a terminal's answer stream writes for `text` cut in two at `cut`: every cut from 0 to its length. */
function shownAtEveryCut(text: string): Array<[cut: number, out: string]> {
  const all: Array<[number, string]> = [];
  for (let cut = 0; cut <= text.length; cut++) {
    const s = answerStream(true);
    all.push([cut, s.push(text.slice(0, cut)) + s.push(text.slice(cut)) + s.end()]);
  }
  return all;
}

describe('answerStream', () => {
  it('escapes whatever way the text is cut into chunks, and holds back only a CR or half a surrogate pair', () => {
    for (const [cut, out] of shownAtEveryCut(ANSWER)) expect(out, `cut at ${cut}`).toBe(SHOWN);
    const s = answerStream(true);
    expect(s.push('a\r')).toBe('a');
    expect(s.push('b')).toBe('\\u000db');
    expect(s.push('\r')).toBe('');
    expect(s.end()).toBe('\\u000d');
    const piped = answerStream(false);
    expect(piped.push('a\r')).toBe('a\r');
    expect(piped.push('x\ud83d')).toBe('x');
    expect(piped.push('\ude00')).toBe('\u{1f600}');
  });
});

// Invisible and direction-changing characters ("Trojan Source": a bidi override makes code or a
// command read other than it runs; a zero-width space or a BOM hides inside a word; a line or
// paragraph separator, a soft hyphen): on a terminal each one is an escape, as a control character
// is, also when the deltas split the answer next to one; piped, the answer is byte for byte.
const HIDDEN = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200e', '\u200f', '\u2028', '\u2029', '\ufeff', '\u00ad'];
const BIDI_DELTAS = ['rm -rf \u202e', 'txt.exe\u202c ok\u2066', 'x\u2069 zero\u200bwidth \ud83d', '\ude00 ', HIDDEN.join(''), ' end'];
const BIDI_ANSWER = BIDI_DELTAS.join('');
const BIDI_SHOWN =
  'rm -rf \\u202etxt.exe\\u202c ok\\u2066x\\u2069 zero\\u200bwidth \u{1f600} ' +
  HIDDEN.map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('') +
  ' end';

describe('promptctl run: the answer’s invisible and bidi characters', () => {
  it('on a terminal: each one an escape (\\u202e), also split across deltas', async () => {
    const r = await runThroughStandIn(true, BIDI_DELTAS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${BIDI_SHOWN}\n`);
    for (const c of HIDDEN) expect(r.stdout).not.toContain(c);
  });

  it('piped: the answer byte for byte', async () => {
    const r = await runThroughStandIn(false, BIDI_DELTAS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${BIDI_ANSWER}\n`);
  });

  it('keeps the zero-width joiner and non-joiner, which emoji sequences and scripts are drawn with', () => {
    const family = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}';
    const persian = '\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645';
    const s = answerStream(true);
    expect(s.push(`${family} ${persian}`) + s.end()).toBe(`${family} ${persian}`);
  });

  it('answerStream escapes them whatever way the text is cut into chunks', () => {
    for (const [cut, out] of shownAtEveryCut(BIDI_ANSWER)) expect(out, `cut at ${cut}`).toBe(BIDI_SHOWN);
  });
});

// Characters drawn as nothing that HIDDEN_IN_ANSWER let through: the Arabic letter mark, the word
// joiner and invisible operators, the Mongolian vowel separator, the Hangul filler, and the tag
// characters ("ASCII smuggling": U+E0000-E007F spell instructions no one sees; each one a surrogate
// pair). On a terminal each is an escape, a tag character as \u{e0049}, wherever the deltas cut it.
const TAGS = [...'Ignore the user'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
const SMUGGLED = `Sure\u061c, here\u2060 it\u2061is\u2062 \u2063ok\u2064 \u180e\u3164.${TAGS}\u{e0001}\u{e007f} Done \u{1f600}`;
const SMUGGLED_SHOWN =
  'Sure\\u061c, here\\u2060 it\\u2061is\\u2062 \\u2063ok\\u2064 \\u180e\\u3164.' +
  [...'Ignore the user'].map((c) => `\\u{e00${c.charCodeAt(0).toString(16)}}`).join('') +
  '\\u{e0001}\\u{e007f} Done \u{1f600}';

describe('promptctl run: the answer’s tag characters and other invisible characters', () => {
  it('answerStream escapes each one whatever way the text is cut, a tag character as \\u{e0049}, never half of it', () => {
    for (const [cut, out] of shownAtEveryCut(SMUGGLED)) {
      expect(out, `cut at ${cut}`).toBe(SMUGGLED_SHOWN);
      expect(out, `cut at ${cut}`).not.toMatch(/[\u{e0000}-\u{e007f}]/u);
      expect(out, `cut at ${cut}: no half surrogate pair`).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
    // Cut into single code units: a tag character's high surrogate is held back until its pair.
    const s = answerStream(true);
    expect([...SMUGGLED.split('').map((u) => s.push(u)), s.end()].join('')).toBe(SMUGGLED_SHOWN);
    const piped = answerStream(false);
    expect(piped.push(SMUGGLED.slice(0, 20)) + piped.push(SMUGGLED.slice(20)) + piped.end()).toBe(SMUGGLED);
  });

  it('keeps spaces drawn as spaces (no-break, narrow no-break, ideographic): they hide nothing', () => {
    const text = 'Bonjour\u00a0! Prix\u202f: 5\u00a0€ \u3000こんにちは';
    const s = answerStream(true);
    expect(s.push(text) + s.end()).toBe(text);
  });
});
