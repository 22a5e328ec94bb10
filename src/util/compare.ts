// Text order by UTF-16 code units, as sort() has it: the same on every machine. (localeCompare
// follows the process's locale, so a plan's order could differ between a laptop and CI, and its
// first call starts ICU's collator, about 10 ms of a command.)

export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
