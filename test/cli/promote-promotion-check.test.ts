// promote's promotion check (DESIGN §6) covers every version the edit gives more traffic to, not
// only the one named: lowering a version's weight scales the others up, and a version the
// previous environment never ran must not reach a protected environment that way either.
import { cpSync, readFileSync } from 'node:fs';
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
});
