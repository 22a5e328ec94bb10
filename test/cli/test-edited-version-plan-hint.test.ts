// `test` does not run a case on a version the target holds published with other content than git's
// (an edit of a published version, which is immutable), and says that `promptctl plan` shows the
// difference. Run with `--env dev --dir p`, that bare command planned the default target from
// `prompts/`: absent here, or another org, where the difference is not. It now names the plan of
// the run's --env and --dir, and the command copied from the note shows the edit.
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
    dev: {credentials: PCTL_EDITED_DEV}
`;

const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata: {name: billing-smoke}
spec:
  target: {template: billing, version: "1.0.0"}
  cases:
    - name: refund
      vars: {question: How long does a refund take?}
      expect:
        - maxOutputTokens: 2000
`;

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await promptsIn('promptctl-test-edited-version-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0, 'test.yaml': TEST });
});
afterEach(async () => {
  await dir.remove();
});

describe('a case on a published version edited in git', () => {
  it('names the plan of the run’s --env and --dir, which shows the edit', async () => {
    const applied = await cli(['apply', '--env', 'dev', '--dir', 'p', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const file = join(dir.path, 'p/billing.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('You answer billing questions.', 'You answer billing questions briefly.'));

    const r = await cli(['test', '--env', 'dev', '--dir', 'p']);
    expect(r.stdout).toContain(
      'billing@1.0.0 is published on this target with other content than git\'s, and a published version cannot change: `promptctl plan --env dev --dir p` shows the difference (add a new version)',
    );
    // Copied from the note, the command shows that difference.
    const named = /`(promptctl plan[^`]*)` shows the difference/.exec(r.stdout)![1]!.split(' ').slice(1);
    const plan = await cli(named);
    expect(plan.stdout).toContain('You answer billing questions briefly.');
  });
});
