// A YAML file saved with lone CR line ends (old Mac editors) is valid prompts (the loader reads a
// lone CR as a line break, DESIGN §2): promote and rollback edit it like any other, and it keeps
// its line ends; rollback reads earlier states saved that way too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { commit, scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { dir, repo } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';
const cr = (text: string) => text.replace(/\n/g, '\r');

/** The example prompts in `cwd`, the billing split's file as `text`. */
function project(cwd: string, text: (original: string) => string): string {
  copyExamplePrompts(cwd);
  const original = readFileSync(join(cwd, SPLIT), 'utf8');
  writeFileSync(join(cwd, SPLIT), text(original));
  return original;
}

describe('promote and rollback on a file with lone CR line ends', () => {
  it('promote changes the weights and adds an override, keeping the lone CRs', async () => {
    const results: Record<string, string> = {};
    for (const [name, ending] of [['lf', (t: string) => t], ['cr', cr]] as const) {
      const cwd = dir();
      project(cwd, ending);
      expect((await runCliInProcess(['validate'], { cwd, env: {} })).code).toBe(0);
      const doc = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '40'], { cwd, env: {} });
      expect(doc.code, doc.stderr).toBe(0);
      const env = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '60', '--env', 'staging'], { cwd, env: {} });
      expect(env.code, env.stderr).toBe(0);
      results[name] = readFileSync(join(cwd, SPLIT), 'utf8');
    }
    expect(results.lf).toMatch(/weight: 60\n(.*\n)*? {4}staging:\n {6}routes:\n/);
    expect(results.cr).toBe(cr(results.lf!));
  });

  it('prints the diff line by line, whatever the line ends', async () => {
    for (const ending of [cr, (t: string) => t.replace(/\n/g, '\r\n')]) {
      const cwd = dir();
      project(cwd, ending);
      const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '40'], { cwd, env: {} });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain('\r');
      expect(r.stdout.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l))).toEqual([
        '-      weight: 80',
        '+      weight: 60',
        '-      weight: 20 # share of the candidate while it proves itself (promote changes it)',
        '+      weight: 40 # share of the candidate while it proves itself (promote changes it)',
      ]);
    }
  });

  it('rollback finds the state a lone-CR file held in history', async () => {
    const cwd = repo();
    const original = project(cwd, (t) => t);
    const state = (a: number, b: number) => cr(original.replace('weight: 80', `weight: ${a}`).replace('weight: 20 #', `weight: ${b} #`));
    commit(cwd, 'all on 1.0.0', { [SPLIT]: state(100, 0) });
    commit(cwd, 'canary 1.1.0 at 30', { [SPLIT]: state(70, 30) });
    const r = await runCliInProcess(['rollback', 'billing-assistant'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(\d{4}-\d{2}-\d{2}, "all on 1\.0\.0"\)/);
    expect(readFileSync(join(cwd, SPLIT), 'utf8')).toBe(state(100, 0));
  });
});
