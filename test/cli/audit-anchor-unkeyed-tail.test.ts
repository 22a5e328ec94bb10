// `audit verify --head` with PROMPTCTL_AUDIT_KEY set, on a trail none of whose records is keyed:
// the anchor vouches for the records up to it, not for those after it. A forger without the key
// who keeps the records up to an older anchor and re-chains the rest with plain sha256 must not
// get an "ok" from a verify run with the key.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_KEY_ENV, formatAnchor, openAuditLog, type AuditAnchor } from '../../src/audit/log.js';
import { stableStringify } from '../../src/util/json.js';
import { runCliInProcess } from '../helpers/cli.js';

const KEY = 'cli-test-key-0123456789';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-cli-audit-anchor-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** N unkeyed records (written before the key was set); the anchor an apply printed after record `at`. */
async function writeLog(file: string, n: number, at: number): Promise<AuditAnchor> {
  let anchor: AuditAnchor | null = null;
  const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
  for (let i = 1; i <= n; i++) {
    const r = await log.append({
      actor: 'Grace Hopper <grace@example.com>', commit: 'c'.repeat(40), planId: 'plan', org: { id: 'org', host: 'localhost' },
      address: `PromptTemplate/t${i}`, action: 'create', resourceId: `id-${i}`, before: null,
      after: { version: 1, hash: 'h', content: { name: `t${i}` } }, outcome: 'success', correlationId: null,
    });
    if (i === at) anchor = { seq: r.seq, hash: r.hash };
  }
  await log.close();
  return anchor!;
}

describe('audit verify --head with the key, on an unkeyed trail', () => {
  it('vouches for a trail that ends at the anchor', async () => {
    const file = join(dir, '.promptctl', 'audit.jsonl');
    const head = await writeLog(file, 3, 3);
    const r = await runCliInProcess(['audit', 'verify', '--head', formatAnchor(head)], { cwd: dir, env: { [AUDIT_KEY_ENV]: KEY } });
    expect(r.code, r.stderr).toBe(0);
  });

  it('refuses unkeyed records after the anchor, which a forger without the key may have re-chained', async () => {
    const file = join(dir, '.promptctl', 'audit.jsonl');
    const anchor = await writeLog(file, 5, 3);
    // Records 4 and 5 rewritten and re-chained with plain sha256; 1 to 3 (the anchor's) kept.
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    let prev = anchor.hash;
    for (let i = 3; i < lines.length; i++) {
      const r = { ...JSON.parse(lines[i]!), outcome: 'failure', prevHash: prev } as Record<string, unknown>;
      const { hash: _h, ...rest } = r;
      r.hash = createHash('sha256').update(String(r.prevHash) + stableStringify(rest)).digest('hex');
      prev = r.hash as string;
      lines[i] = JSON.stringify(r);
    }
    await writeFile(file, lines.join('\n') + '\n');
    const r = await runCliInProcess(['audit', 'verify', '--head', formatAnchor(anchor)], { cwd: dir, env: { [AUDIT_KEY_ENV]: KEY } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('not keyed');
    expect(r.stderr).toContain('records 4 to 5');
    expect(r.stderr).not.toContain(KEY);
    // Saying the key was set after them is still the user's call.
    const allowed = await runCliInProcess(['audit', 'verify', '--head', formatAnchor(anchor), '--allow-unkeyed'], { cwd: dir, env: { [AUDIT_KEY_ENV]: KEY } });
    expect(allowed.code).toBe(0);
  });
});
