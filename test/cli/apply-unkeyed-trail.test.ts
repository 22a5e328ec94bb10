// `promptctl apply` with PROMPTCTL_AUDIT_KEY set, on a trail none of whose records is keyed. A
// forger without the key re-chained a keyed trail with plain sha256: `audit verify` with the key
// refused it, but the next routine apply appended keyed records after it, and verify then passed
// the "mixed" trail (keyed after unkeyed, as a team that set the key late has). Apply now refuses
// such a trail before any change, in verify's words, unless told with --allow-unkeyed that the
// key was set after those records: the transition is made once, on purpose.
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_KEY_ENV } from '../../src/audit/log.js';
import { chainHashV2, GENESIS_HASH, recordLine, type AuditRecord } from '../../src/audit/record.js';
import { trailOf } from '../helpers/killed-run.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

const KEY = 'apply-unkeyed-test-key-0123456789';
const keyed = { [AUDIT_KEY_ENV]: KEY };

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
});
afterEach(async () => {
  await s.close();
});

/** Every record of the trail rewritten as a forger without the key would: one edited, all re-chained with plain sha256. */
async function rechainWithoutKey(file: string): Promise<number> {
  const records = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as AuditRecord & Record<string, unknown>);
  const edited = records.find((r) => r.after?.content && typeof r.after.content === 'object' && !Array.isArray(r.after.content))!;
  (edited.after!.content as Record<string, unknown>).instruction = 'FORGED';
  let prev = GENESIS_HASH;
  let out = '';
  for (const r of records) {
    const { hash: _hash, ...body } = { ...r, alg: 'sha256' as const, prevHash: prev };
    const hash = chainHashV2(body, null);
    out += recordLine({ ...body, hash } as AuditRecord);
    prev = hash;
  }
  await writeFile(file, out);
  return records.length;
}

describe('apply with PROMPTCTL_AUDIT_KEY on a trail none of whose records is keyed', () => {
  it('refuses before any change, unless --allow-unkeyed; verify then says where keying began', async () => {
    expect((await s.cli(['apply', '--auto-approve'], keyed)).code).toBe(0);
    const file = trailOf(s.dir);
    const n = await rechainWithoutKey(file);
    const forged = await readFile(file, 'utf8');
    const refusedVerify = await s.cli(['audit', 'verify'], keyed);
    expect(refusedVerify.code).toBe(1);
    expect(refusedVerify.stderr).toContain('written before the key was set, or re-chained by someone without it');

    await s.edit('prompts/billing/billing-assistant.yaml', 'Answers billing questions for signed-in customers.', 'Answers billing questions.');
    const refused = await s.cli(['apply', '--auto-approve'], keyed);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`none of its ${n} records are keyed, so ${AUDIT_KEY_ENV} cannot vouch for them: written before the key was set, or re-chained by someone without it`);
    expect(refused.stderr).toContain('run again with --allow-unkeyed');
    // "once" is until a keyed record is written: an apply with nothing to change writes none (a review read it as one use).
    expect(refused.stderr).toContain('until an apply has written the first keyed record: an apply with nothing to change writes none');
    expect(refused.stderr).toContain('nothing was applied');
    expect(refused.stdout + refused.stderr).not.toContain(KEY);
    // Nothing written, nothing changed live: the plan is not even shown.
    expect(await readFile(file, 'utf8')).toBe(forged);
    expect((await s.emu.api.listTemplates()).map((t) => t.description)).toContain('Answers billing questions for signed-in customers.');
    // The refused trail still verifies as before: unkeyed, refused with the key.
    expect((await s.cli(['audit', 'verify'], keyed)).code).toBe(1);

    // The user says the key was set after these records: the apply goes on and keys what it writes.
    const allowed = await s.cli(['apply', '--auto-approve', '--allow-unkeyed'], keyed);
    expect(allowed.code, allowed.stderr).toBe(0);
    const after = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    expect(after.length).toBeGreaterThan(n);
    expect(after.slice(n).every((r) => r.alg === 'hmac-sha256')).toBe(true);
    const verified = await s.cli(['audit', 'verify'], keyed);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toBe(
      `ok: .promptctl/audit.jsonl: ${after.length} records, chain intact; records 1–${n} not keyed: written before the key was set, from record ${n + 1} keyed\n`,
    );

    // Once keyed, routine applies need no flag.
    await s.edit('prompts/billing/billing-assistant.yaml', 'Answers billing questions.', 'Answers billing questions, briefly.');
    const next = await s.cli(['apply', '--auto-approve'], keyed);
    expect(next.code, next.stderr).toBe(0);
  });

  it('appends to an empty trail, or without the key, as before (no flag needed)', async () => {
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.edit('prompts/billing/billing-assistant.yaml', 'Answers billing questions for signed-in customers.', 'Answers billing questions.');
    // Without the key an unkeyed trail is what is written: nothing to refuse.
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
  });
});
