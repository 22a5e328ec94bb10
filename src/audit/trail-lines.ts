// The records of an audit trail's text that mention a string, read leniently: for readers that look
// a few records up (the names a trail gives ids, a saved plan's runs), not for verify. A line that
// is not a record (torn, defaced) yields nothing; `audit verify` is where it is reported. Pure.

/**
 * Each line of `text` holding `needle` (and passing `also`, when given), parsed, that is a JSON
 * object (other lines are skipped before they are parsed).
 */
export function* recordsMentioning(text: string, needle: string, also?: (line: string) => boolean): Generator<Record<string, unknown>> {
  for (const line of text.split('\n')) {
    if (!line.includes(needle) || (also !== undefined && !also(line))) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof record === 'object' && record !== null && !Array.isArray(record)) yield record as Record<string, unknown>;
  }
}
