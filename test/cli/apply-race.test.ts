// Two applies at once on the same org (two checkouts, as two CI runners would have): nothing is
// corrupted, a loser reports a clean conflict (never an internal error), a further apply converges.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { readLiveState } from '../../src/genesys/live.js';
import { runCli } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { generatePromptSet } from '../../bench/generate.mjs';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
let other: TempDir;
beforeEach(async () => {
  emu = await startTestEmulator({ latencyMs: 5 });
  dir = await tempDir('promptctl-race-');
  other = await tempDir('promptctl-race-');
  await generatePromptSet(join(dir.path, 'prompts'), { templates: 10, versions: 1 });
  await generatePromptSet(join(other.path, 'prompts'), { templates: 10, versions: 1 });
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
  await other.remove();
});

describe('two applies at once', () => {
  it('never corrupts the org or the audit trail', async () => {
    const apply = (cwd: string) => runCli(['apply', '--auto-approve'], { cwd, env: emu.env });
    const results = await Promise.all([apply(dir.path), apply(other.path)]);
    for (const r of results) {
      expect(r.stderr).not.toMatch(/internal/);
      if (r.code !== 0) {
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/run plan again|run `promptctl plan` again/);
      }
    }
    const live = await readLiveState(emu.api);
    expect(new Set(live.templates.map((t) => t.name)).size).toBe(live.templates.length);

    const last = await runCli(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(last.code, last.stderr).toBe(0);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir.path, env: emu.env });
    expect(plan.code, plan.stdout).toBe(0);
    expect((await readLiveState(emu.api)).templates).toHaveLength(10);
    for (const d of [dir, other]) {
      const verified = await verifyAuditFile(join(d.path, '.promptctl/audit.jsonl'));
      expect(verified.ok, JSON.stringify(verified)).toBe(true);
    }
  });
});
