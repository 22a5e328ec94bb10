// Calendar dates as people write them: Date.parse rolls a day the month lacks into the next
// month (2025-02-30 is 2 March), so a date is checked against the calendar before it is taken.

/** Whether the YYYY-MM-DD a date or date-time starts with names a day that exists (no 30 February, no 31 April). */
export function isCalendarDay(date: string): boolean {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}
