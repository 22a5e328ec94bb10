// Text order by UTF-16 code units, as sort() has it: the same on every machine. (localeCompare
// follows the process's locale, so a plan's order could differ between a laptop and CI, and its
// first call starts ICU's collator, about 10 ms of a command.)

export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The list ordered by `key` in code units (stable: equal keys keep their order); a list already in
 * strictly increasing order is returned as it is, uncopied.
 */
export function inKeyOrder<T>(list: readonly T[], key: (item: T) => string): readonly T[] {
  if (list.length < 2) return list;
  let prev = key(list[0]!);
  for (let i = 1; i < list.length; i++) {
    const k = key(list[i]!);
    if (!(prev < k)) return [...list].sort((a, b) => byCodeUnits(key(a), key(b)));
    prev = k;
  }
  return list;
}
