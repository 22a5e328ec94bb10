// A saved plan applied again after a later change of what it made (a README walk): p1.json split
// billing-assistant 50/50, a later plan applied 40/60, and `apply p1.json` said "applied already …
// and the target still matches it: nothing to do", exit 0. The fresh plan from git had no changes,
// which was taken for "the file's changes still hold" (with git stashed, the same apply was refused
// as stale: the verdict followed the working tree, not the file). Now what each change of the file
// made (its outcome on the audit trail) is compared with what the target holds: only while it all
// holds, and nothing else moved, is there nothing to do; otherwise the stale refusal.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });
const trail = (): Promise<string> => readFile(join(dir.path, '.promptctl/audit.jsonl'), 'utf8');

/** Runs a command that must succeed. */
async function ok(args: string[]): Promise<CliResult> {
  const r = await cli(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

/** A change of git applied (without a saved plan) after p1.json's. */
async function promoteAndApply(weight: number): Promise<void> {
  await ok(['promote', 'billing-assistant', '1.1.0', '--weight', String(weight)]);
  await ok(['apply', '--auto-approve']);
}

beforeEach(async () => {
  dir = await tempDir('promptctl-apply-twice-later-');
  copyExamplePrompts(dir.path);
  await ok(['apply', '--auto-approve']);
  await ok(['promote', 'billing-assistant', '1.1.0', '--weight', '50']);
  await ok(['plan', '--out', 'p1.json']);
  await ok(['apply', 'p1.json']);
});
afterEach(async () => {
  await dir.remove();
});

describe('a saved plan applied again after a later change', () => {
  it('is refused as stale when what it made was changed since (the split it made 50/50 is 40/60)', async () => {
    await promoteAndApply(60);
    const before = await trail();
    const r = await cli(['apply', 'p1.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('nothing to do');
    expect(r.stderr).toMatch(/^ {2}TrafficSplit\/billing-assistant: live version moved 1 → 3, live content hash moved \w+ → \w+ since the plan$/m);
    expect(r.stderr).toMatch(
      /error: p1\.json is stale: 1 thing changed since it was planned \(listed above\); nothing was applied\. It was applied already at [^(]+ \(1 change on record in \.promptctl\/audit\.jsonl\): a saved plan is applied once/,
    );
    expect(await trail()).toBe(before);
  });

  it('is refused as stale when what it made holds but an object it left alone changed since', async () => {
    const template = join(dir.path, 'prompts/billing-assistant/template.yaml');
    await writeFile(template, (await readFile(template, 'utf8')).replace('invoices, payments and refunds.', 'invoices and payments.'));
    await ok(['apply', '--auto-approve']);
    const r = await cli(['apply', 'p1.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ {2}PromptTemplate\/billing-assistant: live version moved 1 → 2, .* \(it needs no change, but the plan was made against it as it was\)$/m);
    expect(r.stderr).toContain('p1.json is stale: 2 things changed since it was planned');
  });

  it('has nothing to do when a later change was undone: the split holds what it made', async () => {
    await promoteAndApply(60);
    await promoteAndApply(50);
    const r = await cli(['apply', 'p1.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^p1\.json was applied already at [^(]+ \(1 change on record in \.promptctl\/audit\.jsonl\), and the target still matches it: nothing to do$/m);
  });
});
