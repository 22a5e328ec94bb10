// drift's next step says how to keep what the target holds: `promptctl export --env dev --out DIR`.
// Run with `--env dev --dir p`, that command left out --dir, so export looked for promptctl.yaml in
// `prompts/` to find environment dev and failed ("prompts directory "prompts" not found"), while the
// apply beside it in the same sentence kept --dir. It now keeps the run's --env and --dir, and the
// command copied from the message exports the environment's org.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_DRIFT_EXPORT_DEV}
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await promptsIn('promptctl-drift-export-hint-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 });
});
afterEach(async () => {
  await dir.remove();
});

describe('drift with --env and --dir', () => {
  it('names the export that keeps the target with both, and that command exports it', async () => {
    const applied = await cli(['apply', '--env', 'dev', '--dir', 'p', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    // git moves on: the template's model changes, so the target now differs from git.
    const file = join(dir.path, 'p/billing.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('model: gpt-4o', 'model: gpt-4o-mini'));

    const r = await cli(['drift', '--env', 'dev', '--dir', 'p']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('`promptctl apply --env dev --dir p` puts the target back as git has it');
    expect(r.stderr).toContain('put it in git first (`promptctl export --env dev --dir p --out DIR` writes it)');
    const named = /`(promptctl export[^`]*)` writes it/.exec(r.stderr)![1]!.replace('DIR', 'kept').split(' ').slice(1);
    const exported = await cli(named);
    expect(exported.code, exported.stderr).toBe(0);
    expect(await readFile(join(dir.path, 'kept/billing.yaml'), 'utf8')).toContain('model: gpt-4o\n');
  });
});
