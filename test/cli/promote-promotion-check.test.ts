// promote's promotion check (DESIGN §6) covers every version the edit gives more traffic to, not
// only the one named: lowering a version's weight scales the others up, and a version the
// previous environment never ran must not reach a protected environment that way either.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { scratch } from '../unit/git/fixture.js';

const { dir } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';

describe('promote in a protected environment', () => {
  it('refuses an edit that scales up a version the previous environment has not run, and leaves the file alone', async () => {
    // The example prompts: prod (protected) after staging, each its own embedded org; staging has run nothing.
    const cwd = dir();
    cpSync(join(REPO, 'prompts'), join(cwd, 'prompts'), { recursive: true });
    const before = readFileSync(join(cwd, SPLIT), 'utf8');
    // prod routes 1.0.0 95 %, 1.1.0 5 %: promoting 1.1.0 to 50 % is refused...
    const named = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '50', '--env', 'prod'], { cwd, env: {} });
    expect(named.code, named.stderr).toBe(1);
    // ...and so is the same edit reached by lowering 1.0.0 to 50 %.
    const scaled = await runCliInProcess(['promote', 'billing-assistant', '1.0.0', '--weight', '50', '--env', 'prod'], { cwd, env: {} });
    expect(scaled.code, scaled.stderr).toBe(1);
    expect(scaled.stderr).toMatch(/error: PromptVersion\/billing-assistant@1\.1\.0: version 1\.1\.0 of template "billing-assistant" would be given more traffic in prod, but staging/);
    expect(scaled.stderr).toMatch(/error: environment prod is protected: 1\.1\.0 cannot be promoted there before staging has run it; nothing was changed/);
    expect(readFileSync(join(cwd, SPLIT), 'utf8')).toBe(before);
  });

  it('says no new override is added when it changes nothing: the note comes with the edit alone', async () => {
    const cwd = dir();
    cpSync(join(REPO, 'prompts'), join(cwd, 'prompts'), { recursive: true });
    // No override: dev, staging and prod share the document's routes (1.0.0 80 %, 1.1.0 20 %).
    writeFileSync(join(cwd, SPLIT), readFileSync(join(cwd, SPLIT), 'utf8').replace(/\n {2}environments:[\s\S]*$/, '\n'));
    const before = readFileSync(join(cwd, SPLIT), 'utf8');
    const refused = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '50', '--env', 'prod'], { cwd, env: {} });
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/nothing was changed/);
    expect(refused.stderr).not.toMatch(/adding spec\.environments\.prod\.routes/);
    const same = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '20', '--env', 'dev'], { cwd, env: {} });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toMatch(/already routes 20% to 1\.1\.0: nothing to change/);
    expect(same.stderr).not.toMatch(/adding spec\.environments\.dev\.routes/);
    expect(readFileSync(join(cwd, SPLIT), 'utf8')).toBe(before);
    // The edit itself still says it.
    const made = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '30', '--env', 'dev'], { cwd, env: {} });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toMatch(/note: staging, prod share the split's routes with dev: adding spec\.environments\.dev\.routes, so only dev changes/);
  });
});
