// A saved plan `apply` cannot read (written as UTF-16 by a shell, cut short, empty, or nothing
// piped into `apply -`) is refused with the command that saves it again. That command was bare
// (`promptctl plan --out FILE`, `promptctl apply - --auto-approve < plan.json`): run with
// `--env dev --dir p`, copying it planned the default target from `prompts/` (or failed for want
// of that directory), and the plan it wrote was then refused by the environment's apply. It now
// keeps the run's --env and --dir, and the command copied from the message makes a plan that
// applies; so does the drift a drift report given as the plan is told to run again. `show` has
// neither option, so its messages stay as they were.
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
    dev: {credentials: PCTL_REFUSAL_DEV}
`;

const FLAGS = ['--env', 'dev', '--dir', 'p'];
const AGAIN = 'promptctl plan --env dev --dir p';

let dir: TempDir;
const cli = (args: string[], input?: string): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path, ...(input !== undefined ? { input } : {}) });

beforeEach(async () => {
  dir = await promptsIn('promptctl-plan-file-refusal-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0 });
});
afterEach(async () => {
  await dir.remove();
});

async function savedJson(): Promise<string> {
  const r = await cli(['plan', ...FLAGS, '--out', 'plan.json']);
  expect(r.code, r.stderr).toBe(0);
  return readFile(join(dir.path, 'plan.json'), 'utf8');
}

/** The first `promptctl …` command a message names in backticks, as words. */
function namedCommand(stderr: string, startsWith: string): string[] {
  const found = [...stderr.matchAll(/`(promptctl [^`]*)`/g)].map((m) => m[1]!).find((c) => c.startsWith(startsWith));
  expect(found, stderr).toBeDefined();
  return found!.split(' ').slice(1);
}

describe('a saved plan apply cannot read, in an environment and another prompts directory', () => {
  it('UTF-16: the command to write it again keeps --env and --dir, and what it writes applies', async () => {
    const json = await savedJson();
    await writeFile(join(dir.path, 'u16.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    const r = await cli(['apply', ...FLAGS, 'u16.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`write it again with \`${AGAIN} --out u16.json\``);
    expect(r.stderr).toContain(`\`${AGAIN} --format json | Out-File -Encoding utf8 u16.json\``);
    // Copied from the message, it writes a plan this apply takes.
    const again = await cli(namedCommand(r.stderr, 'promptctl plan'));
    expect(again.code, again.stderr).toBe(0);
    const applied = await cli(['apply', ...FLAGS, 'u16.json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: 2 created/);
  });

  it('cut short or empty: the command to save it again keeps --env and --dir', async () => {
    const json = await savedJson();
    await writeFile(join(dir.path, 'cut.json'), json.slice(0, 200));
    const cut = await cli(['apply', ...FLAGS, 'cut.json']);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain(`cut short (truncated); remove it and save the plan again (\`${AGAIN} --out cut.json\`)`);
    await writeFile(join(dir.path, 'empty.json'), '');
    const empty = await cli(['apply', ...FLAGS, 'empty.json']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(`the file is empty (\`${AGAIN} --out empty.json\` saves one)`);
  });

  it('apply - with nothing piped in: the command to pipe one keeps --env and --dir', async () => {
    const r = await cli(['apply', ...FLAGS, '-', '--auto-approve'], '');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pipe one in (`promptctl apply --env dev --dir p - --auto-approve < plan.json`)');
  });

  it('a drift report given as the plan: the drift and the plan it names keep --env and --dir', async () => {
    const applied = await cli(['apply', ...FLAGS, '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    await writeFile(join(dir.path, 'p/billing.yaml'), BILLING_1_0.replace('model: gpt-4o', 'model: gpt-4o-mini'));
    const drift = await cli(['drift', ...FLAGS, '--format', 'json']);
    expect(drift.code, drift.stderr).toBe(2);
    await writeFile(join(dir.path, 'drift.json'), drift.stdout);
    const r = await cli(['apply', ...FLAGS, 'drift.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`\`promptctl drift --env dev --dir p\` shows the drift again (\`--format markdown\` for a comment); \`${AGAIN} --out FILE\` saves a plan`);
  });

  it('show, which takes neither option, names the bare commands as before', async () => {
    const json = await savedJson();
    await writeFile(join(dir.path, 'cut.json'), json.slice(0, 200));
    const r = await cli(['show', 'cut.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('remove it and save the plan again (`promptctl plan --out cut.json`)');
  });
});
