// Binary search over a sorted list, for the offset maps of texts (model/text-origin.ts,
// rules/invisible.ts). Pure.

/** The index of the last item whose `key` is at or before `value` in `items` (sorted by it), or -1. */
export function lastAtOrBefore<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let lo = -1;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (key(items[mid]!) <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
