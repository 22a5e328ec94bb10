// promote rewrites a split's file whole (atomically): the file keeps its mode, or the pull request
// would show a mode change (old mode 100755, new mode 100644) nobody asked for.
import { chmodSync, cpSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { scratch } from '../unit/git/fixture.js';

const { dir } = scratch();

describe('promote keeps the mode of the file it edits', () => {
  it('an executable YAML file stays executable', async () => {
    const cwd = dir();
    cpSync(join(REPO, 'prompts'), join(cwd, 'prompts'), { recursive: true });
    const file = join(cwd, 'prompts/billing-assistant/traffic.yaml');
    chmodSync(file, 0o755);
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '40'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o755);
  });
});
