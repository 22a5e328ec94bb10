// The audit trail as tests read it: every record of a project's trail, parsed, in order.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

/** The records of `dir`'s trail (`file` relative to it, or absolute), intents and outcomes alike. */
export async function auditRecords(dir: string, file = '.promptctl/audit.jsonl'): Promise<Record<string, any>[]> {
  const text = await readFile(isAbsolute(file) ? file : join(dir, file), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, any>);
}
