// Safety filters changed in git and not applied yet: a test's calls meet the target's filters, so
// the report says which of git's filters covering the tested template are not on the target,
// differ there, or cover it by one side's labels only, and which of the target's git does not
// define (every format, as a note). Its cached results never stand for other filters.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const TEMPLATE = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: guard-bot
  labels: {team: care}
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: guard-bot
  version: "1.0.0"
  systemInstruction: "Answer."
  userTemplate: "Q: {{question}}"
  variables:
    - name: question
      type: string
      maxLength: 100
  maxTokens: 20
---
apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: guard-check
spec:
  target: {template: guard-bot, version: "1.0.0"}
  cases:
    - name: mail
      vars: {question: "write to ann@example.com"}
      expect:
        - maxOutputTokens: 20
`;

const filter = (name: string, action: string, extra = '') => `apiVersion: promptctl/v1
kind: SafetyFilter
metadata:
  name: ${name}
spec:
  priority: ${name === 'pii-block' ? 1 : 2}
  categories: [pii]
  action: ${action}
  thresholds: {pii: 0.5}
  falsePositiveTolerance: 0.1
${extra}`;

const NOTE = "git's safety filters for guard-bot are not applied to the target yet: its calls met the target's";

interface Report {
  tests: Array<{ notes: string[] }>;
}

describe('safety filters changed in git, not applied yet', () => {
  it("are said on the test whose calls met the target's filters, in every format", async () => {
    dir = await promptsIn('promptctl-filters-not-applied-', { 'all.yaml': TEMPLATE }, 'prompts');
    const filters = join(dir.path, 'prompts', 'filters.yaml');
    const cwd = dir.path;
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd })).code).toBe(0);

    const before = await runCliInProcess(['test'], { cwd });
    expect(before.code, before.stdout + before.stderr).toBe(0);
    expect(before.stdout).not.toContain('safety filters');

    // A pull request adds a blocking filter: the calls still pass, on the target's (no) filters.
    await writeFile(filters, filter('pii-block', 'block_and_log'));
    const added = `${NOTE} (not on the target: pii-block)`;
    const text = await runCliInProcess(['test'], { cwd });
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toContain(`note: ${added}`);
    const json = await runCliInProcess(['test', '--format', 'json'], { cwd });
    expect((JSON.parse(json.stdout) as Report).tests[0]!.notes).toContain(added);
    const md = await runCliInProcess(['test', '--format', 'markdown'], { cwd });
    expect(md.stdout).toContain("_note: git's safety filters for guard-bot are not applied to the target yet");
    const junit = await runCliInProcess(['test', '--format', 'junit'], { cwd });
    expect(junit.stdout).toContain('not on the target: pii-block');

    // Applied: no note, and no result cached against the target's old filters stands.
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    const applied = await runCliInProcess(['test'], { cwd });
    expect(applied.stdout).not.toContain('safety filters');
    expect(applied.stdout).toContain('1 call made');
    expect(applied.stdout).toContain('blocked by pii-block');
    expect(applied.code).toBe(1);

    // Changed in git (now redacting), removed from git, added by label: each named as it differs.
    await writeFile(filters, [filter('pii-block', 'redact_and_log'), filter('pii-tagged', 'flag_and_pass', '  appliesTo: {labels: {tier: sensitive}}\n')].join('---\n'));
    const reapplied = await runCliInProcess(['apply', '--auto-approve'], { cwd });
    expect(reapplied.code, reapplied.stdout + reapplied.stderr).toBe(0);
    const all = join(dir.path, 'prompts', 'all.yaml');
    await writeFile(all, (await readFile(all, 'utf8')).replace('labels: {team: care}', 'labels: {team: care, tier: sensitive}'));
    await writeFile(filters, filter('pii-tagged', 'flag_and_pass', '  appliesTo: {labels: {tier: sensitive}}\n') + '---\n' + filter('pii-new', 'block_and_log').replace('priority: 2', 'priority: 3'));
    const changed = await runCliInProcess(['test'], { cwd });
    expect(changed.stdout).toContain(`note: ${NOTE} (not on the target: pii-new; covering guard-bot by git's labels for it, not the target's: pii-tagged; on the target, not in git: pii-block)`);
    await writeFile(filters, filter('pii-tagged', 'flag_and_pass', '  appliesTo: {labels: {tier: sensitive}}\n') + '---\n' + filter('pii-block', 'block_and_log'));
    const differ = await runCliInProcess(['test'], { cwd });
    expect(differ.stdout).toContain(`note: ${NOTE} (different there: pii-block; covering guard-bot by git's labels for it, not the target's: pii-tagged)`);
  });
});
