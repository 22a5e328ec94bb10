// A least-recently-used map for the token memo (count.ts): the recency order lives in a linked
// list beside a Map that is only ever added to or deleted from on insert and eviction. Refreshing
// a Map entry by deleting and setting it again (the simple way to keep a Map in recency order)
// leaves a deleted slot in the key's hash bucket each time: one text counted again and again (a
// user template shared by thousands of versions) made every later lookup of it walk a longer
// chain, ~60 ms per 10,000 hits.

interface Entry {
  key: string;
  value: number;
  older: Entry | undefined;
  newer: Entry | undefined;
}

export class LruCounts {
  private readonly byKey = new Map<string, Entry>();
  private oldest: Entry | undefined;
  private newest: Entry | undefined;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.byKey.size;
  }

  /** The value, made the most recently used; undefined when absent. */
  use(key: string): number | undefined {
    const e = this.byKey.get(key);
    if (e === undefined) return undefined;
    this.unlink(e);
    this.append(e);
    return e.value;
  }

  /** Sets the value as the most recently used, then drops the least recently used beyond the limit. */
  set(key: string, value: number): void {
    let e = this.byKey.get(key);
    if (e) {
      this.unlink(e);
      e.value = value;
    } else {
      e = { key, value, older: undefined, newer: undefined };
      this.byKey.set(key, e);
    }
    this.append(e);
    while (this.byKey.size > this.limit && this.oldest) {
      const drop = this.oldest;
      this.unlink(drop);
      this.byKey.delete(drop.key);
    }
  }

  clear(): void {
    this.byKey.clear();
    this.oldest = this.newest = undefined;
  }

  /** Entries, least recently used first. */
  entries(): [string, number][] {
    const out: [string, number][] = [];
    for (let e = this.oldest; e; e = e.newer) out.push([e.key, e.value]);
    return out;
  }

  private unlink(e: Entry): void {
    if (e.older) e.older.newer = e.newer;
    else this.oldest = e.newer;
    if (e.newer) e.newer.older = e.older;
    else this.newest = e.older;
    e.older = e.newer = undefined;
  }

  private append(e: Entry): void {
    e.older = this.newest;
    if (this.newest) this.newest.newer = e;
    else this.oldest = e;
    this.newest = e;
  }
}
