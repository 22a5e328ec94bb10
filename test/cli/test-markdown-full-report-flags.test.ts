// `test --format markdown` is cut to its share of a pull-request comment, and says what it left out
// is in `promptctl test --format json`. Run with `--env dev --dir p`, that bare command read
// `prompts/` for the default target: copied, it failed for want of the directory (or reported
// another org). The pointer now names this run's command, --env, --dir and the tests named kept,
// as plan's and drift's pointers to their whole JSON do, and the copied command writes the report.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_TEST_MD_DEV}
`;

/** A test of 100 cases with long names: its markdown outgrows the section's 20,000 characters. */
function manyCases(): string {
  const cases = Array.from({ length: 100 }, (_, i) => `    - name: case ${i} ${'with a long descriptive name '.repeat(6)}\n      vars: {question: q${i}}\n      expect: [{maxOutputTokens: 2000}]\n`).join('');
  return `apiVersion: promptctl/v1
kind: PromptTest
metadata: {name: many}
spec:
  target: {template: billing, version: "1.0.0"}
  cases:
${cases}`;
}

let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path });

beforeEach(async () => {
  dir = await promptsIn('promptctl-test-md-full-', { 'promptctl.yaml': CONFIG, 'billing.yaml': BILLING_1_0, 'test.yaml': manyCases() });
});
afterEach(async () => {
  await dir.remove();
});

describe('a markdown test report cut to fit, run with --env and --dir', () => {
  it('points to the whole report with the run’s command, which writes it', async () => {
    const applied = await cli(['apply', '--env', 'dev', '--dir', 'p', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const r = await cli(['test', 'many', '--env', 'dev', '--dir', 'p', '--format', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(20_000);
    expect(r.stdout).toContain('run `promptctl test --env dev --dir p many --format json` for all of them');
    expect(r.stdout).not.toContain('`promptctl test --format json`');
    const named = /run `(promptctl test[^`]*)` for all of them/.exec(r.stdout)![1]!.split(' ').slice(1);
    const whole = await cli(named);
    expect(whole.code, whole.stderr).toBe(0);
    expect(JSON.parse(whole.stdout).tests[0].name).toBe('many');
  });
});
