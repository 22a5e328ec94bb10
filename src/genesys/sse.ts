// Server-Sent Events parsing (the WHATWG "event stream interpretation"), pure: feed it chunks as
// they arrive, cut anywhere (inside a multi-byte character, inside a line, between the \r and \n
// of a line ending), and take the complete events out. Lines end in \r\n, \n or \r; a blank line
// dispatches the event; `data:` lines accumulate (joined by \n); `: ...` lines are comments (a
// server's pings); one space after the colon is dropped; a leading BOM is ignored; an unknown
// field is ignored. What is left unfinished when the stream ends is reported by `end()`, never
// delivered as an event.

export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  data: string;
  /** The last `id:` seen (the stream's last event id), if any. */
  id?: string;
  /** A `retry:` field in this event, in ms. */
  retry?: number;
}

export interface SseEnd {
  /** Bytes or lines of an event had arrived but its blank line had not: the stream was cut mid-event. */
  incomplete: boolean;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  /** The previous chunk ended in \r: a \n starting the next one belongs to that line ending. */
  private pendingCr = false;
  private started = false;
  private data: string[] = [];
  private eventType = '';
  private lastId: string | undefined;
  private retry: number | undefined;
  /** The current event has seen a field (so a cut now loses it). */
  private fields = false;
  /** Comment lines seen (pings). */
  comments = 0;

  /** Feeds a chunk (bytes or text); returns the events it completed, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pendingCr && text.length > 0) {
      this.pendingCr = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    this.buffer += text;
    const out: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr === -1 && lf === -1) break;
      let end: number;
      let next: number;
      if (lf !== -1 && (cr === -1 || lf < cr)) {
        end = lf;
        next = lf + 1;
      } else {
        end = cr;
        if (cr + 1 < this.buffer.length) {
          next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
        } else {
          // A \r at the very end: the line is complete; a \n may follow in the next chunk.
          next = cr + 1;
          this.pendingCr = true;
        }
      }
      this.line(this.buffer.slice(start, end), out);
      start = next;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** The stream ended: whether an event was left unfinished (it is discarded, as the standard says). */
  end(): SseEnd {
    const rest = this.buffer + this.decoder.decode();
    const incomplete = rest.length > 0 || this.fields;
    this.buffer = '';
    this.reset();
    return { incomplete };
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data.length > 0) {
        const ev: SseEvent = { event: this.eventType || 'message', data: this.data.join('\n') };
        if (this.lastId !== undefined) ev.id = this.lastId;
        if (this.retry !== undefined) ev.retry = this.retry;
        out.push(ev);
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.fields = true;
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\u0000')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private reset(): void {
    this.data = [];
    this.eventType = '';
    this.retry = undefined;
    this.fields = false;
  }
}

/** Parses a byte stream into events as they complete; `onEnd` learns whether the stream stopped mid-event. */
export async function* sseEvents(body: AsyncIterable<Uint8Array | string>, onEnd?: (end: SseEnd) => void): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  for await (const chunk of body) yield* parser.push(chunk);
  onEnd?.(parser.end());
}
