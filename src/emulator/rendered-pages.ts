// Listing pages as sent, kept while the state they were rendered from stands. A listing is a
// pure function of the state and its query, so the same page asked again at the same revision
// of the listed state (Store.listedRevision: a login or an invocation does not move it) is the
// same bytes: the next command that reads every page of a large org (a plan that finds no
// changes) costs the emulator a lookup, not a render and a JSON.stringify a page. The emulator
// stands in for a remote org on the client's own cores.

/** What the pages held at once may weigh; past it the oldest go first. */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export class RenderedPages {
  private revision = -1;
  private readonly pages = new Map<string, Buffer>();
  private bytes = 0;
  /** Pages rendered, and pages served as kept (the emulator's stats). */
  readonly counts = { rendered: 0, kept: 0 };

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  /** The page `key` names at `revision`, rendered by `render` unless it is held already. */
  page(revision: number, key: string, render: () => Buffer): Buffer {
    if (revision !== this.revision) {
      this.pages.clear();
      this.bytes = 0;
      this.revision = revision;
    }
    const held = this.pages.get(key);
    if (held) {
      this.counts.kept++;
      return held;
    }
    const bytes = render();
    this.counts.rendered++;
    if (bytes.length > this.maxBytes) return bytes;
    this.pages.set(key, bytes);
    this.bytes += bytes.length;
    for (const [oldest, b] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= b.length;
    }
    return bytes;
  }
}
