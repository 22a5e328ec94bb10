// apply without a terminal to confirm on, and without --auto-approve, is refused with the command to
// run. It said `apply --auto-approve` whatever the run's --env and --dir: copied as it was, that
// applies to the plain GENESYSCLOUD_* target (or the default embedded org) from prompts/, not to the
// environment and files whose plan the user had just reviewed. It now names this run's command.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_NT_STAGING}
    prod: {credentials: PCTL_NT_PROD, protected: true}
  promotion: [staging, prod]
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await tempDir('promptctl-apply-no-tty-');
  await mkdir(join(dir.path, 'team-prompts'), { recursive: true });
  await writeFile(join(dir.path, 'team-prompts/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'team-prompts/billing.yaml'), BILLING_1_0);
});
afterEach(async () => {
  await dir.remove();
});

describe('apply without a terminal or --auto-approve', () => {
  it("names this run's own command, with its --env and --dir, and that command applies there", async () => {
    const r = await cli(['apply', '--env', 'staging', '--dir', 'team-prompts']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: apply needs confirmation, and stdin is not a terminal: review the plan, then run `promptctl apply --env staging --dir team-prompts --auto-approve` (or apply a saved plan file); nothing was applied',
    );
    const command = /run `promptctl ([^`]+)`/.exec(r.stderr)![1]!.split(' ');
    const applied = await cli(command);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 2 created');
    // Staging's own org took it; no other target was started.
    expect(existsSync(join(dir.path, '.promptctl/envs/staging/local-state.json'))).toBe(true);
    expect(existsSync(join(dir.path, '.promptctl/local-state.json'))).toBe(false);
  });
});
