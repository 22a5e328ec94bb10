import { describe, expect, it } from 'vitest';
import { SseParser, sseEvents, type SseEvent } from '../../../src/genesys/sse.js';

function parseWhole(input: string | Uint8Array): { events: SseEvent[]; incomplete: boolean; comments: number } {
  const p = new SseParser();
  const events = p.push(input);
  return { events, incomplete: p.end().incomplete, comments: p.comments };
}

function parseChunks(chunks: Array<Uint8Array | string>): { events: SseEvent[]; incomplete: boolean; comments: number } {
  const p = new SseParser();
  const events = chunks.flatMap((c) => p.push(c));
  return { events, incomplete: p.end().incomplete, comments: p.comments };
}

// Every feature in one stream: BOM, CRLF/CR/LF endings, comments, multi-line data, ids, retry,
// unknown fields, a field without a space after the colon, multi-byte characters.
const STREAM =
  '\uFEFF: hello\r\n' +
  'event: delta\r\n' +
  'data: {"text":"Caf\u00e9 \u{1F600} "}\r\n' +
  '\r\n' +
  ': ping\n\n' +
  'event: delta\rdata:no space\rdata:  two spaces\r\r' +
  'id: 42\nretry: 1500\nfoo: bar\ndata: first line\ndata: second line\ndata\n\n' +
  'event: only-a-type\n\n' +
  'event: done\r\ndata: {"ok":true}\r\n\r\n';

const EXPECTED: SseEvent[] = [
  { event: 'delta', data: '{"text":"Caf\u00e9 \u{1F600} "}' },
  { event: 'delta', data: 'no space\n two spaces' },
  { event: 'message', data: 'first line\nsecond line\n', id: '42', retry: 1500 },
  { event: 'done', data: '{"ok":true}', id: '42' },
];

describe('SseParser', () => {
  it('parses a whole stream: types, multi-line data, comments, ids, retry, unknown fields, BOM, every line ending', () => {
    const r = parseWhole(STREAM);
    expect(r.events).toEqual(EXPECTED);
    expect(r.comments).toBe(2);
    expect(r.incomplete).toBe(false);
  });

  it('gives the same events however the bytes are cut: two chunks at every offset', () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let i = 0; i <= bytes.length; i++) {
      const r = parseChunks([bytes.slice(0, i), bytes.slice(i)]);
      expect(r.events, `cut at byte ${i}`).toEqual(EXPECTED);
      expect(r.incomplete, `cut at byte ${i}`).toBe(false);
      expect(r.comments).toBe(2);
    }
  });

  it('gives the same events for three chunks at every pair of offsets, and byte by byte', () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let i = 0; i <= bytes.length; i += 1) {
      for (let j = i; j <= bytes.length; j += 3) {
        const r = parseChunks([bytes.slice(0, i), bytes.slice(i, j), bytes.slice(j)]);
        expect(r.events, `cut at bytes ${i} and ${j}`).toEqual(EXPECTED);
      }
    }
    expect(parseChunks([...bytes].map((b) => Uint8Array.of(b))).events).toEqual(EXPECTED);
    // As text, cut at every character too.
    for (let i = 0; i <= STREAM.length; i++) expect(parseChunks([STREAM.slice(0, i), STREAM.slice(i)]).events).toEqual(EXPECTED);
  });

  it('keeps a CR at the end of a chunk pending: a following LF is the same line ending, not a blank line', () => {
    const p = new SseParser();
    expect(p.push('data: a\r')).toEqual([]);
    expect(p.push('')).toEqual([]); // an empty chunk changes nothing
    expect(p.push('\ndata: b\r')).toEqual([]);
    expect(p.push('\n\r')).toEqual([{ event: 'message', data: 'a\nb' }]);
    expect(p.push('\n')).toEqual([]); // the LF of that CRLF: not another blank line
    expect(p.end().incomplete).toBe(false);
  });

  it('reports an event cut off by the end of the stream, and never delivers it', () => {
    for (const cut of ['event: delta\ndata: {"te', 'event: delta\ndata: {"text":"x"}\n', 'event: delta', 'data: x\r\n']) {
      const r = parseWhole(cut);
      expect(r.events, cut).toEqual([]);
      expect(r.incomplete, cut).toBe(true);
    }
    expect(parseWhole('data: x\n\n: ping\n\n').incomplete).toBe(false);
    expect(parseWhole('data: x\n\n: pi').incomplete).toBe(true);
    // A multi-byte character cut off at the very end counts as unfinished too.
    const bytes = new TextEncoder().encode('data: x\n\n\u{1F600}');
    expect(parseChunks([bytes.slice(0, bytes.length - 1)]).incomplete).toBe(true);
  });

  it('does not dispatch an event without data, and defaults the type to message', () => {
    expect(parseWhole('event: x\n\ndata: y\n\n').events).toEqual([{ event: 'message', data: 'y' }]);
    expect(parseWhole('id: 1\n\n').events).toEqual([]);
    expect(parseWhole('data:\n\n').events).toEqual([{ event: 'message', data: '' }]);
  });
});

describe('sseEvents', () => {
  it('yields events as chunks complete them and reports how the stream ended', async () => {
    async function* chunks() {
      yield 'event: delta\nda';
      yield 'ta: one\n\nevent: delta\ndata: two\n';
      yield '\nevent: del';
    }
    const ends: boolean[] = [];
    const out: string[] = [];
    for await (const e of sseEvents(chunks(), (end) => ends.push(end.incomplete))) out.push(e.data);
    expect(out).toEqual(['one', 'two']);
    expect(ends).toEqual([true]);
  });
});
