// Where values sit in a JSON text, found in one pass over it without building a tree: a saved
// plan's schema errors are named at file:line:column, and a tree of positions (yaml's, as it
// was) took 36 bytes of memory per byte of a plan: a 60 MB file refused with 2.2 GB, a larger one
// crashed Node (a review's probe). Pure; the text has parsed as JSON already.

/** A position as diagnostics give it: 1-based line and column (UTF-16 code units, as an editor counts). */
export interface TextPosition {
  line: number;
  column: number;
}

const SEP = '\u0000';

/**
 * For each path (object keys and array indexes, as ajv's instancePath gives them), where its value
 * begins: the deepest part of the path the text holds (a missing member: the object that lacks it).
 */
export function locateJsonValues(text: string, paths: readonly (readonly string[])[]): TextPosition[] {
  const keyOf = (segments: readonly string[], length = segments.length): string => segments.slice(0, length).map((s) => SEP + s).join('');
  const wanted = new Set<string>();
  for (const p of paths) for (let k = 0; k <= p.length; k++) wanted.add(keyOf(p, k));
  const found = valueOffsets(text, wanted);
  const offsets = paths.map((p) => {
    for (let k = p.length; k > 0; k--) {
      const at = found.get(keyOf(p, k));
      if (at !== undefined) return at;
    }
    return found.get('') ?? 0;
  });
  return positionsOf(text, offsets);
}

interface Frame {
  object: boolean;
  /** Its path when a wanted path passes through it, else null (its members are not looked at). */
  path: string | null;
  index: number;
}

/** The offset at which each wanted path's value begins (the root is ''). */
function valueOffsets(text: string, wanted: ReadonlySet<string>): Map<string, number> {
  const found = new Map<string, number>();
  const n = text.length;
  const frames: Frame[] = [];
  let i = 0;
  const space = (): void => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
    }
  };
  // Past the string starting at i (its quote): an escaped quote has an odd run of backslashes before it.
  const skipString = (): void => {
    for (let from = i + 1; ; ) {
      const q = text.indexOf('"', from);
      if (q < 0) {
        i = n;
        return;
      }
      let slashes = 0;
      for (let b = q - 1; text.charCodeAt(b) === 0x5c; b--) slashes++;
      if (slashes % 2 === 0) {
        i = q + 1;
        return;
      }
      from = q + 1;
    }
  };
  const value = (path: string | null): void => {
    const on = path !== null && wanted.has(path) ? path : null;
    if (on !== null) found.set(on, i);
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      frames.push({ object: c === 0x7b, path: on, index: 0 });
      i++;
    } else if (c === 0x22) skipString();
    else {
      // A number, true, false or null: up to what ends it.
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x2c || d === 0x5d || d === 0x7d || d === 0x20 || d === 0x09 || d === 0x0a || d === 0x0d) break;
      }
    }
  };
  space();
  value('');
  while (frames.length > 0 && i < n) {
    space();
    const f = frames[frames.length - 1]!;
    const c = text.charCodeAt(i);
    if (c === 0x7d || c === 0x5d) {
      frames.pop();
      i++;
      continue;
    }
    if (c === 0x2c) {
      i++;
      space();
      if (!f.object) f.index++;
    }
    if (f.object) {
      const start = i;
      skipString();
      const key = f.path !== null ? (JSON.parse(text.slice(start, i)) as string) : '';
      space();
      i++; // the colon
      space();
      value(f.path !== null ? f.path + SEP + key : null);
    } else value(f.path !== null ? f.path + SEP + String(f.index) : null);
  }
  return found;
}

/** Line and column of each offset, counted in one pass however many there are. */
function positionsOf(text: string, offsets: readonly number[]): TextPosition[] {
  const order = offsets.map((o, k) => k).sort((a, b) => offsets[a]! - offsets[b]!);
  const out = new Array<TextPosition>(offsets.length);
  let line = 1;
  let lineStart = 0;
  let at = 0;
  for (const k of order) {
    const target = Math.min(offsets[k]!, text.length);
    for (let nl = text.indexOf('\n', at); nl >= 0 && nl < target; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    at = Math.max(at, target);
    out[k] = { line, column: target - lineStart + 1 };
  }
  return out;
}
