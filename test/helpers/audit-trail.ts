// The audit trail as tests read it (every record of a project's trail, parsed, in order) and as
// promptctl's own writer makes it, for the tests that verify, restore or damage one.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { openAuditLog, type AuditAnchor } from '../../src/audit/log.js';

/** The records of `dir`'s trail (`file` relative to it, or absolute), intents and outcomes alike. */
export async function auditRecords(dir: string, file = '.promptctl/audit.jsonl'): Promise<Record<string, any>[]> {
  const text = await readFile(isAbsolute(file) ? file : join(dir, file), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, any>);
}

/**
 * Appends `n` plain create records (PromptTemplate/t1 … tN) to the trail FILE (made when absent),
 * keyed when `env` holds PROMPTCTL_AUDIT_KEY (after unkeyed records only with `allowUnkeyed`:
 * the key set after them, as `apply --allow-unkeyed` says); the head after them.
 */
export async function appendRecords(file: string, n: number, env: NodeJS.ProcessEnv = {}, opts: { allowUnkeyed?: boolean } = {}): Promise<AuditAnchor | null> {
  const log = await openAuditLog(file, { env, onWarning: () => undefined, ...opts });
  for (let i = 1; i <= n; i++) {
    await log.append({
      actor: 'Grace Hopper <grace@example.com>', commit: 'c'.repeat(40), planId: 'plan', org: { id: 'org', host: 'localhost' },
      address: `PromptTemplate/t${i}`, action: 'create', resourceId: `id-${i}`, before: null,
      after: { version: 1, hash: 'h', content: { name: `t${i}` } }, outcome: 'success', correlationId: null,
    });
  }
  await log.close();
  return log.head();
}
