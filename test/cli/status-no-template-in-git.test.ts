// status in a repository of guides and summary settings alone said "No template on the target (it
// has none: run `promptctl apply` first).", though applying makes no template git does not define
// (a review). Where git defines none, status says what it reports (prompt templates' calls: guides
// and summary settings have no analytics in the contract) and advises no apply; where git defines
// one the target lacks, it still says to apply first.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { RETURNS_GUIDE } from '../helpers/guide-yaml.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const NONE_IN_GIT =
  'No prompt template on the target, and git defines none: status reports the calls of prompt templates only (guides and summary settings have no analytics in the contract).';

describe('status where the target has no template', () => {
  it('in a guides- and summary-only repository: says what status reports, advising no apply', async () => {
    const summary = await readFile(join(REPO, 'prompts', 'summaries', 'voice-wrapup.yaml'), 'utf8');
    dir = await promptsIn('promptctl-status-no-template-', { 'guide.yaml': RETURNS_GUIDE, 'summary.yaml': summary }, 'prompts');
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const text = await cli(['status']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split('\n')).toContain(NONE_IN_GIT);
    expect(text.stdout).not.toContain('apply');
    const markdown = await cli(['status', '--format', 'markdown']);
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout.split('\n')).toContain(NONE_IN_GIT);
    expect(markdown.stdout).not.toContain('apply');
    const json = await cli(['status', '--format', 'json']);
    expect(JSON.parse(json.stdout).templates).toEqual([]);
  });

  it('where git defines a template the target lacks: still says to apply first', async () => {
    dir = await promptsIn('promptctl-status-no-template-', { 'guide.yaml': RETURNS_GUIDE, 'billing.yaml': BILLING_1_0 }, 'prompts');
    const text = await runCliInProcess(['status'], { cwd: dir.path });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^No template on the target \(it has none: run `promptctl apply` first\)\.$/m);
  });
});
