// Change tracking for the store's journal: transactions see the state through proxies that note
// which entry of which collection they change (`templates/<id>`, `versions/<templateId>`, ...),
// with the entry's value from before the batch, so that a batch is journaled as a few absolute
// "entry = value" operations and a failed batch rolls back exactly those entries. A nested
// collection (`versions`: templateId → label → version) is tracked one level further down, by
// entry and sub-entry (`versions/<templateId>/<label>`): a version's write then copies and
// journals that version alone, not every version of its template (which made writes to a
// template of n versions cost O(n) each, and an apply of its versions O(n²)). Each
// transaction of a batch also keeps a savepoint (its entries as they were when it began), so one
// that throws is undone alone and the batch's others stand.
// Handlers stay plain code over plain objects; nothing has to remember to report its writes.

/**
 * One journaled change: the entry `key` of `collection` now holds `value` (null: removed); or,
 * in a nested collection, its entry's sub-entry `sub` does.
 */
export type Op = [collection: string, key: string | null, value: unknown] | [collection: string, key: string, sub: string, value: unknown];

type Root = Record<string, Record<string, unknown>>;

const ABSENT = Symbol('absent');

interface Tag {
  collection: string;
  /** null for the collection object itself. */
  key: string | null;
  /** In a nested collection: the entry's sub-entry; null for the entry itself. */
  sub: string | null;
}

interface Dirty extends Tag {
  before: unknown;
}

export class ChangeTracker {
  private dirty = new Map<string, Dirty>();
  /** The running transaction's savepoint: what it changed first, as it was when it began. */
  private readonly saved = new Map<string, Dirty>();
  /** What the running transaction was the batch's first to change: not the batch's change once it is undone. */
  private readonly firstInBatch = new Set<string>();
  private active = false;
  /** Per collection, how many writes and rollbacks have touched it. */
  private readonly changes = new Map<string, number>();
  /** proxy → its target, so that no proxy is ever stored inside the raw state. */
  private readonly targets = new WeakMap<object, object>();
  private readonly cache = new WeakMap<object, { tag: Tag; proxy: object }>();
  private readonly view: Root;

  /** `nested`: the collections whose entries are themselves maps of records, tracked by sub-entry. */
  constructor(
    private readonly raw: Root,
    private readonly nested: ReadonlySet<string> = new Set(),
  ) {
    this.view = new Proxy(raw, {
      get: (target, prop, receiver) => {
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof prop === 'string' && isObject(v) ? this.wrap(v, { collection: prop, key: null, sub: null }) : v;
      },
      set: (target, prop, value) => {
        if (typeof prop === 'string') this.mark({ collection: prop, key: null, sub: null });
        return Reflect.set(target, prop, this.unwrap(value));
      },
      deleteProperty: (target, prop) => {
        if (typeof prop === 'string') this.mark({ collection: prop, key: null, sub: null });
        return Reflect.deleteProperty(target, prop);
      },
    });
  }

  /** The state as transactions see it; changes are only allowed between begin() and end(). */
  get state(): Root {
    return this.view;
  }

  /**
   * A number that moves whenever the collections not in `apart` do: every write through the view
   * and every rollback adds one to the collections it touches, and counts only grow, so the sum
   * is never the same for two different states of those collections (a revision, for what is
   * derived from them: rendered listing pages).
   */
  revision(apart: ReadonlySet<string>): number {
    let sum = 0;
    for (const [collection, n] of this.changes) if (!apart.has(collection)) sum += n;
    return sum;
  }

  private touched(collection: string): void {
    this.changes.set(collection, (this.changes.get(collection) ?? 0) + 1);
  }

  /** Starts a batch; `resume` continues the batch just ended (its changes stay recorded). */
  begin(resume = false): void {
    if (!resume) this.dirty.clear();
    this.saved.clear();
    this.firstInBatch.clear();
    this.active = true;
  }

  /** Starts a transaction of the batch: what it changes from here on can be undone alone. */
  beginTransaction(): void {
    this.saved.clear();
    this.firstInBatch.clear();
  }

  /** Undoes what the running transaction changed; the batch's earlier transactions stand. */
  rollbackTransaction(): void {
    // Copies: a savepoint may share its value with the batch's own record (mark), which a later
    // rollback of the whole batch puts back.
    this.restore(this.saved, true);
    this.saved.clear();
    // Back as the batch found them: nothing to journal for them (a batch whose every transaction
    // failed writes no line, and waits for no fsync).
    for (const id of this.firstInBatch) this.dirty.delete(id);
    this.firstInBatch.clear();
  }

  /** Ends the batch; returns its changes as journal operations (current values, JSON-ready). */
  end(): Op[] {
    this.active = false;
    const ops: Op[] = [];
    for (const d of byDepth(this.dirty)) {
      const coll = this.raw[d.collection];
      if (d.key === null) ops.push([d.collection, null, coll ?? null]);
      else if (d.sub === null) ops.push([d.collection, d.key, coll && Object.hasOwn(coll, d.key) ? coll[d.key] : null]);
      else {
        const entry = coll && Object.hasOwn(coll, d.key) ? (coll[d.key] as Record<string, unknown> | undefined) : undefined;
        ops.push([d.collection, d.key, d.sub, isObject(entry) && Object.hasOwn(entry, d.sub) ? entry[d.sub] : null]);
      }
    }
    return ops;
  }

  /** Puts every entry the batch changed back as it was before the batch. */
  rollback(): void {
    this.active = false;
    this.restore(this.dirty, false);
    this.dirty.clear();
    this.saved.clear();
    this.firstInBatch.clear();
  }

  /**
   * Puts the recorded entries back. Whole collections first, then entries, then sub-entries: one
   * saved after a part of it was (holding that part's change) must not undo the part's own record.
   */
  private restore(records: ReadonlyMap<string, Dirty>, copy: boolean): void {
    for (const d of byDepth(records)) {
      this.touched(d.collection);
      const before = copy && d.before !== ABSENT ? structuredClone(d.before) : d.before;
      if (d.key === null) {
        if (before === ABSENT) delete this.raw[d.collection];
        else this.raw[d.collection] = before as Record<string, unknown>;
        continue;
      }
      const coll = (this.raw[d.collection] ??= {});
      if (d.sub === null) {
        if (before === ABSENT) delete coll[d.key];
        else coll[d.key] = before;
        continue;
      }
      // The entry put back first does not hold the sub-entry: nothing to remove, or its own to restore.
      const entry = coll[d.key];
      if (before === ABSENT) {
        if (isObject(entry)) delete (entry as Record<string, unknown>)[d.sub];
      } else (isObject(entry) ? (entry as Record<string, unknown>) : (coll[d.key] = {}))[d.sub] = before;
    }
  }

  private mark(tag: Tag): void {
    if (!this.active) throw new Error('emulator state changed outside a store transaction');
    this.touched(tag.collection);
    const ids = enclosing(tag);
    const id = ids[ids.length - 1]!;
    // The whole collection (or entry) recorded already holds the part as it was.
    const inBatch = ids.some((i) => this.dirty.has(i));
    const inTransaction = ids.some((i) => this.saved.has(i));
    if (inBatch && inTransaction) return;
    // One copy serves both records when the transaction is the batch's first to change the entry.
    const coll = this.raw[tag.collection];
    let before: unknown;
    if (tag.key === null) before = coll === undefined ? ABSENT : structuredClone(coll);
    else {
      const entry = coll && Object.hasOwn(coll, tag.key) ? coll[tag.key] : ABSENT;
      if (tag.sub === null || entry === ABSENT) before = entry === ABSENT ? ABSENT : structuredClone(entry);
      else before = isObject(entry) && Object.hasOwn(entry, tag.sub) ? structuredClone((entry as Record<string, unknown>)[tag.sub]) : ABSENT;
    }
    if (!inBatch) {
      this.dirty.set(id, { ...tag, before });
      this.firstInBatch.add(id);
    }
    if (!inTransaction) this.saved.set(id, { ...tag, before });
  }

  private wrap(target: object, tag: Tag): object {
    // Hot path (a listing reads every entity): no allocation when the proxy exists.
    const hit = this.cache.get(target);
    if (hit && (hit.tag === tag || (hit.tag.collection === tag.collection && hit.tag.key === tag.key && hit.tag.sub === tag.sub))) return hit.proxy;
    // Its properties are tracked apart: a collection's entries, and a nested collection's entry's sub-entries.
    const isCollection = tag.key === null;
    const isGroup = tag.key !== null && tag.sub === null && this.nested.has(tag.collection);
    const child = (prop: string): Tag =>
      isCollection ? { collection: tag.collection, key: prop, sub: null } : isGroup ? { ...tag, sub: prop } : tag;
    const markFor = (prop: string | symbol): Tag => (typeof prop === 'string' ? child(prop) : tag);
    const proxy = new Proxy(target, {
      get: (t, prop, receiver) => {
        const v = Reflect.get(t, prop, receiver) as unknown;
        if (typeof v !== 'object' || v === null || typeof prop !== 'string') return v;
        return this.wrap(v, child(prop));
      },
      set: (t, prop, value) => {
        this.mark(markFor(prop));
        return Reflect.set(t, prop, this.unwrap(value));
      },
      deleteProperty: (t, prop) => {
        this.mark(markFor(prop));
        return Reflect.deleteProperty(t, prop);
      },
      defineProperty: (t, prop, desc) => {
        this.mark(markFor(prop));
        return Reflect.defineProperty(t, prop, 'value' in desc ? { ...desc, value: this.unwrap(desc.value) } : desc);
      },
    });
    this.targets.set(proxy, target);
    this.cache.set(target, { tag, proxy });
    return proxy;
  }

  /** The raw value to store: proxies (at any depth of a freshly built object) become their targets. */
  private unwrap<T>(value: T): T {
    if (!isObject(value)) return value;
    const target = this.targets.get(value);
    if (target) return target as T; // a target never holds proxies
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (isObject(v)) {
        const u = this.unwrap(v);
        if (u !== v) o[k] = u;
      }
    }
    return value;
  }
}

/** The record ids of a part and of what holds it, outermost first (the part's own last). */
function enclosing(tag: Tag): string[] {
  if (tag.key === null) return [tag.collection];
  const entry = `${tag.collection}\u0000${tag.key}`;
  return tag.sub === null ? [tag.collection, entry] : [tag.collection, entry, `${entry}\u0000${tag.sub}`];
}

/** Records whole collections first, then entries, then sub-entries (the order to put them back or journal them in). */
function byDepth(records: ReadonlyMap<string, Dirty>): Dirty[] {
  const depth = (d: Dirty) => (d.key === null ? 0 : d.sub === null ? 1 : 2);
  return [...records.values()].sort((a, b) => depth(a) - depth(b));
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}
