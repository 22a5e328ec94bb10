// `promptctl apply -` reads the saved plan from stdin, as `show -` does (`promptctl plan --format
// json | promptctl apply - --auto-approve`, or `apply - --auto-approve < plan.json`), with the same
// checks and refusals: a drift report or a failed command's error document is named as what it is,
// an empty stdin said to be empty. There is no terminal to confirm on, so it takes --auto-approve,
// and says so before reading anything. Before, `apply -` looked for a file named "-" ("plan file -
// does not exist").
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('apply - (the saved plan on stdin)', () => {
  it('applies the plan piped in with --auto-approve, checked against a fresh plan like a file', async () => {
    dir = await fixtureCopy('basic');
    const cwd = dir.path;
    const planned = await runCliInProcess(['plan', '--format', 'json'], { cwd });
    expect(planned.code, planned.stderr).toBe(0);
    const applied = await runCliInProcess(['apply', '-', '--auto-approve'], { cwd, input: planned.stdout });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/^stdin: still current: \d+ to create/m);
    expect(applied.stdout).toMatch(/Apply complete: \d+ created/);
    const after = await runCliInProcess(['plan'], { cwd });
    expect(after.stdout).toContain('No changes');
    // The same plan again, once the files changed since, is stale: refused, with how to save a plan
    // to review (not a file named "stdin"). (With nothing else changed it has nothing to do: apply-saved-twice.test.ts.)
    const filters = join(cwd, 'prompts/safety-filters.yaml');
    await writeFile(filters, (await readFile(filters, 'utf8')).replace('priority: 20', 'priority: 25'));
    const again = await runCliInProcess(['apply', '-', '--auto-approve'], { cwd, input: planned.stdout });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/error: stdin is stale: .*Run `promptctl plan --out plan\.json` again/);
  });

  it('without --auto-approve is refused at once, saying why, before reading the plan or the target', async () => {
    dir = await fixtureCopy('basic');
    const cwd = dir.path;
    const planned = await runCliInProcess(['plan', '--format', 'json'], { cwd });
    const r = await runCliInProcess(['apply', '-'], { cwd, input: planned.stdout });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: apply - reads the plan from stdin, so there is no terminal to confirm on: review the plan, then run `promptctl apply - --auto-approve`');
    expect(r.stdout).toBe('');
    expect(existsSync(join(cwd, '.promptctl/local-state.json'))).toBe(false);
  });

  it('refuses a drift report, an error document, an empty stdin and a terminal as show - does', async () => {
    dir = await fixtureCopy('basic');
    const cwd = dir.path;
    const drift = await runCliInProcess(['drift', '--format', 'json'], { cwd });
    expect(drift.code).toBe(2);
    const cases: [string, RegExp][] = [
      [drift.stdout, /stdin holds no valid plan; nothing was done:\n.*not a saved plan but a drift report/],
      [JSON.stringify({ error: 'no such directory', diagnostics: [] }), /not a promptctl plan but the error document of a --format json command that failed: no such directory/],
      ['', /stdin held no plan \(nothing was piped in\)/],
    ];
    for (const [input, said] of cases) {
      const r = await runCliInProcess(['apply', '-', '--auto-approve'], { cwd, input });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(said);
      expect(r.stderr).not.toContain('plan file - does not exist');
    }
    // A plan cut short: how to pipe one into apply -, not into show -.
    const planned = await runCliInProcess(['plan', '--format', 'json'], { cwd });
    const cut = await runCliInProcess(['apply', '-', '--auto-approve'], { cwd, input: planned.stdout.slice(0, 300) });
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain('so it was cut short (truncated); pipe the whole plan in (`promptctl apply - --auto-approve < plan.json`)');
    expect(cut.stderr).not.toContain('promptctl show');
    const tty = await runCliInProcess(['apply', '-', '--auto-approve'], { cwd, tty: true });
    expect(tty.code).toBe(1);
    expect(tty.stderr).toContain('apply - reads the plan from stdin, which is a terminal');
    expect(existsSync(join(cwd, '.promptctl/local-state.json'))).toBe(false);
  });
});
