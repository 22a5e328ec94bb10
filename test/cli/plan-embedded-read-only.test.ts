// plan and drift (and export and status) only read: on the embedded emulator (no credentials in the environment) in a
// checkout that holds no embedded state, they plan against an empty org served in memory and leave
// no state behind. Before, the login wrote its token into the store, so a first `plan` in a fresh
// clone created .promptctl/local-state.json (and its journal), as if something had been applied.
// apply still creates the state, and a plan after it sees what it made. With a state already there,
// plan, drift, export and status leave it and its journal byte for byte as they were: before, each
// login journaled its token, so the file's bytes and mtime changed on every read.
import { existsSync } from 'node:fs';
import { appendFile, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

/** The embedded state's files under `root`: the state, its journal, its lock, their temp files. */
async function stateFiles(root: string): Promise<string[]> {
  const names = await readdir(join(root, '.promptctl')).catch(() => [] as string[]);
  return names.filter((n) => n.includes('local-state'));
}

describe('plan and drift on the embedded emulator with no state yet', () => {
  it('plan (text, json and --out) and drift create no state; apply of the saved plan does, and plan then sees it', async () => {
    dir = await fixtureCopy('basic');
    const cwd = dir.path;
    const plan = await runCliInProcess(['plan'], { cwd });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/\d+ to create/);
    const json = await runCliInProcess(['plan', '--format', 'json', '--out', 'plan.json'], { cwd });
    expect(json.code, json.stderr).toBe(0);
    const drift = await runCliInProcess(['drift'], { cwd });
    expect(drift.code, drift.stderr).toBe(2);
    expect(await stateFiles(cwd)).toEqual([]);

    // The plan saved against the empty org is the one apply makes: same org, nothing stale.
    const applied = await runCliInProcess(['apply', 'plan.json', '--auto-approve'], { cwd });
    expect(applied.code, applied.stderr).toBe(0);
    expect(existsSync(join(cwd, '.promptctl/local-state.json'))).toBe(true);
    const after = await runCliInProcess(['plan'], { cwd });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('No changes');
    const driftAfter = await runCliInProcess(['drift'], { cwd });
    expect(driftAfter.code, driftAfter.stdout).toBe(0);
  });

  // export and status only read too: the same first run in a fresh checkout created the state.
  it('export and status create no state either', async () => {
    dir = await fixtureCopy('basic');
    const cwd = dir.path;
    const exported = await runCliInProcess(['export', '--out', 'exported'], { cwd });
    expect(exported.code, exported.stderr).toBe(0);
    const status = await runCliInProcess(['status'], { cwd });
    expect(status.code, status.stderr).toBe(0);
    expect(await stateFiles(cwd)).toEqual([]);
  });
});

describe('plan, drift, export and status on the embedded emulator with a state', () => {
  it('leave an existing state and its journal byte for byte as they were; apply still writes', async () => {
    dir = await fixtureCopy('basic');
    const cwd = dir.path;
    const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd });
    expect(applied.code, applied.stderr).toBe(0);
    // A journal line a killed run left (a token's record), not yet folded into the snapshot.
    const journal = join(cwd, '.promptctl/local-state.json.journal');
    await appendFile(journal, `${JSON.stringify({ ops: [['tokens', 'f'.repeat(64), { clientId: 'local-client', expiresAt: Date.now() + 3_600_000 }]] })}\n`);
    const files = async (): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      for (const name of await stateFiles(cwd)) {
        const path = join(cwd, '.promptctl', name);
        out[name] = `${(await stat(path)).mtimeMs} ${(await readFile(path)).toString('base64')}`;
      }
      return out;
    };
    const before = await files();
    expect(Object.keys(before).sort()).toEqual(['local-state.json', 'local-state.json.journal']);
    for (const args of [['plan'], ['plan', '--format', 'json', '--out', 'plan.json'], ['drift'], ['export', '--out', 'exported'], ['status']]) {
      const r = await runCliInProcess(args, { cwd });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(await files(), args.join(' ')).toEqual(before);
    }
    // apply still records: it folds the journal into the snapshot and journals its login.
    const again = await runCliInProcess(['apply', '--auto-approve'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    const after = await files();
    expect(after['local-state.json']).not.toEqual(before['local-state.json']);
    expect(after['local-state.json.journal']).toBeUndefined();
  });
});
