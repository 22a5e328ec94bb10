// rollback reads every YAML file the prompts directory's commits wrote, including ones that were
// broken when committed and fixed later: such a file holds no split to go back to, and must not
// stop rollback from reaching the earlier state that does.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { commit, scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { repo } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';

/** The document's routes of the billing split, as the file says now. */
function routes(cwd: string): string {
  const text = readFileSync(join(cwd, SPLIT), 'utf8');
  return [...text.split('environments:')[0]!.matchAll(/version: "([^"]+)"\s+weight: (\d+)/g)].map((m) => `${m[1]}=${m[2]}`).join(' ');
}

describe('rollback over a broken commit', () => {
  it('passes over a file committed with an alias that names no anchor, and finds the state before it', async () => {
    const cwd = repo();
    copyExamplePrompts(cwd);
    commit(cwd, 'base');
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.0.0'], { cwd, env: {} })).code).toBe(0);
    commit(cwd, 'all on 1.0.0');
    // Committed broken (validate fails on it), removed in the next commit.
    commit(cwd, 'broken template', { 'prompts/broken.yaml': 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: broken}\nspec: {model: *gpt}\n' });
    rmSync(join(cwd, 'prompts/broken.yaml'));
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '30'], { cwd, env: {} })).code).toBe(0);
    commit(cwd, 'canary 1.1.0 at 30, broken file removed');

    const r = await runCliInProcess(['rollback', 'billing-assistant'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(\d{4}-\d{2}-\d{2}, "all on 1\.0\.0"\)/);
    expect(routes(cwd)).toBe('1.0.0=100 1.1.0=0');
  });
});

// A split committed broken (validate refuses it; the next commit fixes it) held routes no one can
// read: rollback read it as "no split yet" and went back to the version then newest, the canary
// it should back out of (a review). It is passed over, named, and the walk goes on to the state
// before it.
describe('rollback over a split committed broken', () => {
  const routed = (a: number, b: number) =>
    `apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: billing-assistant\n  routes:\n    - version: "1.0.0"\n      weight: ${a}\n    - version: "1.1.0"\n      weight: ${b}\n`;
  const broken: Record<string, string> = {
    'a tab-indented line': routed(100, 0).replace('      weight: 0', '\tweight: 0'),
    'a duplicate key': routed(100, 0).replace('  routes:', '  template: billing-assistant\n  routes:'),
    'an alias that names no anchor': routed(100, 0).replace('  routes:', '  strategy: *nope\n  routes:'),
    'a NUL byte': routed(100, 0).replace('weight: 0', 'weight: 0\0'),
  };

  for (const [what, text] of Object.entries(broken)) {
    it(`passes over the commit whose split holds ${what}, back to the 100 % before it`, async () => {
      const cwd = repo();
      copyExamplePrompts(cwd);
      commit(cwd, 'base');
      commit(cwd, 'all on 1.0.0', { [SPLIT]: routed(100, 0) });
      const b = commit(cwd, 'split broken', { [SPLIT]: text });
      commit(cwd, 'canary 1.1.0 at 20, fixed', { [SPLIT]: routed(80, 20) });

      for (const env of [[], ['--env', 'prod']]) {
        const r = await runCliInProcess(['rollback', 'billing-assistant', ...env, '--dry-run'], { cwd, env: {} });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(\d{4}-\d{2}-\d{2}, "all on 1\.0\.0"\)/);
        expect(r.stderr).toContain(`passed over: ${b.slice(0, 7)} (prompts/billing-assistant/traffic.yaml`);
        expect(r.stderr).not.toContain('1.1.0 20% → 100%');
      }
      expect((await runCliInProcess(['rollback', 'billing-assistant'], { cwd, env: {} })).code).toBe(0);
      expect(routes(cwd)).toBe('1.0.0=100 1.1.0=0');
    });
  }

  it('goes back to the version that answered every call before the broken commit, where no split came before it', async () => {
    const cwd = repo();
    copyExamplePrompts(cwd);
    rmSync(join(cwd, SPLIT));
    const v11 = readFileSync(join(cwd, 'prompts/billing-assistant/v1.1.0.yaml'), 'utf8');
    rmSync(join(cwd, 'prompts/billing-assistant/v1.1.0.yaml'));
    commit(cwd, 'only 1.0.0, no split');
    const b = commit(cwd, '1.1.0 and a split, broken', { 'prompts/billing-assistant/v1.1.0.yaml': v11, [SPLIT]: broken['a tab-indented line']!.replace('weight: 100', 'weight: 80').replace('weight: 0', 'weight: 20') });
    commit(cwd, 'split fixed: 1.1.0 at 20', { [SPLIT]: routed(80, 20) });

    const r = await runCliInProcess(['rollback', 'billing-assistant'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rolling back to 1.0.0: it answered every call before ${b.slice(0, 7)} (`);
    expect(r.stderr).toContain(`passed over: ${b.slice(0, 7)} (prompts/billing-assistant/traffic.yaml`);
    expect(routes(cwd)).toBe('1.0.0=100 1.1.0=0');
  });

  // A split saved as UTF-16 names its template in no way git grep finds: the state before a later
  // commit is read with the split's own file all the same, and is unknown, not "no split".
  it('reads the split saved in UTF-16 as unknown in the state before a later commit, not as no split', async () => {
    const cwd = repo();
    copyExamplePrompts(cwd);
    rmSync(join(cwd, SPLIT));
    const v11 = readFileSync(join(cwd, 'prompts/billing-assistant/v1.1.0.yaml'), 'utf8');
    rmSync(join(cwd, 'prompts/billing-assistant/v1.1.0.yaml'));
    commit(cwd, 'only 1.0.0, no split');
    writeFileSync(join(cwd, SPLIT), Buffer.from(`\ufeff${routed(80, 20)}`, 'utf16le'));
    commit(cwd, '1.1.0 and a split, saved as UTF-16', { 'prompts/billing-assistant/v1.1.0.yaml': v11 });
    const other = join(cwd, 'prompts/support-triage/template.yaml');
    commit(cwd, 'another template changed', { 'prompts/support-triage/template.yaml': `${readFileSync(other, 'utf8')}# a comment\n` });
    commit(cwd, 'split saved as UTF-8', { [SPLIT]: routed(80, 20) });

    const r = await runCliInProcess(['rollback', 'billing-assistant', '--dry-run'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it answered every call before [0-9a-f]{7} \(\d{4}-\d{2}-\d{2}, "1\.1\.0 and a split, saved as UTF-16"\)/);
    expect(r.stderr).toContain('prompts/billing-assistant/traffic.yaml is not UTF-8 text');
  });
});
