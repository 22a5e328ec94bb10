// A write whose own answer was lost (a 503 after the org applied it) and that promptctl found
// applied by reading the org back: its outcome was recorded `success` exactly as an answered
// write's, though the read cannot tell it from the same write another apply made at once (two
// checkouts applying the same change, each its own trail: both recorded it as theirs). Now the
// outcome record says `confirmedBy: "read"` and the progress line says how it was known; an
// answered write's record and line say nothing of it; `audit verify` accepts the field and
// refuses any other value; an HTTP sink gets it as the record's field, the line as written.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainHashV2, type AuditRecord } from '../../src/audit/record.js';
import { auditRecords } from '../helpers/audit-trail.js';
import { stubSink } from '../helpers/audit-sink.js';
import { applied, appliedWithNewVersion, closeAfterEach, scriptedProxy, type ProxyAnswer } from '../helpers/interrupt.js';
import type { Scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

const READ_BACK = '(its answer was lost; found applied by reading it back)';
const SINK_KEY = 'a-sink-key-of-32-characters-long';

/** A proxy that passes every request on, and loses the answer of the first one `matches` names (503 once the org has applied it). */
function losingFirst(url: string, matches: (method: string, path: string) => boolean) {
  let lost = false;
  return scriptedProxy(url, (r): ProxyAnswer => {
    if (lost || !matches(r.method, r.path)) return 'forward';
    lost = true;
    return 'lost';
  });
}

/** `promptctl apply --auto-approve` through the proxy at `url`. */
function applyVia(s: Scenario, url: string, env: Record<string, string> = {}) {
  return s.cli(['apply', '--auto-approve'], { GENESYSCLOUD_API_URL: url, ...env });
}

/** The outcome records of the trail after its first `skip` records. */
async function outcomesAfter(s: Scenario, skip: number): Promise<Record<string, any>[]> {
  return (await auditRecords(s.dir.path)).slice(skip).filter((r) => r.type === 'outcome');
}

/** A progress line of `address` (its symbol, the address, its detail). */
function lineOf(stderr: string, address: string): string {
  const line = stderr.split('\n').find((l) => l.includes(` ${address} `));
  expect(line, stderr).toBeDefined();
  return line!;
}

const TRAIL = '.promptctl/audit.jsonl';

describe('a write whose answer was lost and that a read found applied', () => {
  it("a version's create: a success confirmed by reading, its line saying so; the other actions' records and lines, and an answered apply's, say nothing of it; a sink gets the field", async () => {
    const s = await appliedWithNewVersion(closing);
    // The first apply's writes were all answered: none of its records says read.
    const first = await auditRecords(s.dir.path);
    expect(first.filter((r) => r.type === 'outcome').length).toBeGreaterThan(3);
    expect(first.filter((r) => 'confirmedBy' in r)).toEqual([]);

    const posted: Record<string, unknown>[] = [];
    const sink = closing(await stubSink((body, _req, res) => (posted.push(body), void res.writeHead(200).end('ok'))));
    await writeFile(join(s.dir.path, 'prompts/promptctl.yaml'), `apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit:\n    http:\n      - url: "${sink.url}"\n        secretEnv: SINK_KEY\n`);
    const p = closing(await losingFirst(s.emu.url, (m, path) => m === 'POST' && /\/prompttemplates\/[^/]+\/versions$/.test(path)));
    const r = await applyVia(s, p.url, { SINK_KEY });
    expect(r.code, r.stderr).toBe(0);
    // The create was answered 503 after it landed, and not sent again: one version 2.1.0, Published.
    expect(p.seen.filter((x) => x.method === 'POST' && /\/versions$/.test(x.path))).toHaveLength(1);

    const outcomes = await outcomesAfter(s, first.length);
    const version = outcomes.find((o) => o.address === 'PromptVersion/support-triage@2.1.0');
    expect(version).toMatchObject({ outcome: 'success', confirmedBy: 'read' });
    expect(outcomes.filter((o) => o !== version && 'confirmedBy' in o)).toEqual([]);
    expect(lineOf(r.stderr, 'PromptVersion/support-triage@2.1.0')).toContain(READ_BACK);
    expect(r.stderr.split(READ_BACK)).toHaveLength(2);

    // The sink got the record as written, the field included.
    expect(posted.find((b) => b.seq === version!.seq)).toEqual(version);
    expect((await s.cli(['audit', 'verify'])).code).toBe(0);
  });

  it("a filter's update (a version-guarded PUT): a success confirmed by reading, its line saying so", async () => {
    const s = await applied(closing);
    const before = (await auditRecords(s.dir.path)).length;
    await s.edit('prompts/safety-filters.yaml', 'Redact card numbers and personal data in billing conversations.', 'Redact card numbers in billing conversations.');
    const p = closing(await losingFirst(s.emu.url, (m, path) => m === 'PUT' && /\/safetyfilters\/[^/]+$/.test(path)));
    const r = await applyVia(s, p.url);
    expect(r.code, r.stderr).toBe(0);
    expect(p.seen.filter((x) => x.method === 'PUT')).toHaveLength(1);
    expect(await outcomesAfter(s, before)).toEqual([expect.objectContaining({ address: 'SafetyFilter/billing-pii-guard', outcome: 'success', confirmedBy: 'read' })]);
    expect(lineOf(r.stderr, 'SafetyFilter/billing-pii-guard')).toContain(READ_BACK);
  });

  it('an answered update records no confirmedBy and its line says nothing of it', async () => {
    const s = await applied(closing);
    const before = (await auditRecords(s.dir.path)).length;
    await s.edit('prompts/safety-filters.yaml', 'Redact card numbers and personal data in billing conversations.', 'Redact card numbers in billing conversations.');
    const r = await s.cli(['apply', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    const [outcome] = await outcomesAfter(s, before);
    expect(outcome).toMatchObject({ outcome: 'success' });
    expect(outcome).not.toHaveProperty('confirmedBy');
    expect(r.stderr).not.toContain('found applied');
  });

  it('audit verify accepts the field, and names a record whose confirmedBy is another value or on an outcome that is not a success', async () => {
    const s = await applied(closing);
    const before = (await auditRecords(s.dir.path)).length;
    await s.edit('prompts/safety-filters.yaml', 'Redact card numbers and personal data in billing conversations.', 'Redact card numbers in billing conversations.');
    const p = closing(await losingFirst(s.emu.url, (m, path) => m === 'PUT' && /\/safetyfilters\/[^/]+$/.test(path)));
    expect((await applyVia(s, p.url)).code).toBe(0);
    const ok = await s.cli(['audit', 'verify']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);

    const file = join(s.dir.path, TRAIL);
    const intact = await readFile(file, 'utf8');
    const records = intact.trimEnd().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    const at = records.findIndex((r, i) => i >= before && r.confirmedBy === 'read');
    expect(at).toBeGreaterThan(0);
    for (const [change, reason] of [
      [{ confirmedBy: 'guessed' }, 'confirmedBy is not "read"'],
      [{ outcome: 'failure', error: 'x' }, 'confirmedBy on an outcome that is not "success"'],
    ] as const) {
      // Re-chained (no key here), so only the field's shape can be wrong.
      await writeFile(file, rechained(records, at, change));
      const bad = await s.cli(['audit', 'verify']);
      expect(bad.code, bad.stdout + bad.stderr).toBe(1);
      expect(bad.stdout + bad.stderr).toContain(reason);
      expect(bad.stdout + bad.stderr).toContain(`audit.jsonl:${at + 1}: error:`);
    }
  });
});

/** The trail with record `at` changed and every hash from there computed again (sha256, as written without a key). */
function rechained(records: AuditRecord[], at: number, change: Record<string, unknown>): string {
  const out: AuditRecord[] = [];
  for (const [i, r] of records.entries()) {
    if (i < at) {
      out.push(r);
      continue;
    }
    const changed = { ...r, ...(i === at ? change : {}), prevHash: out[i - 1]!.hash } as AuditRecord;
    out.push({ ...changed, hash: chainHashV2(changed, null) });
  }
  return out.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
