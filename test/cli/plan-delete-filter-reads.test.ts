// A safety filter deleted with --prune (found by review): every such delete read "removes a safety
// filter", flagged destructive, whether it guarded the templates serving calls or was disabled and
// guarded nothing. The reason now says what the filter guards now (its templates, or the labels
// it selects by, or every template, and what it does to them), or that it is disabled.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const filter = (name: string, priority: number, extra: string): string =>
  [
    'apiVersion: promptctl/v1',
    'kind: SafetyFilter',
    `metadata: {name: ${name}}`,
    'spec:',
    `  priority: ${priority}`,
    '  categories: [pii, phishing]',
    '  action: redact_and_log',
    '  thresholds: {pii: 0.6, phishing: 0.8}',
    '  falsePositiveTolerance: 0.05',
    ...extra.split('\n').filter((l) => l !== ''),
  ].join('\n');

const FILTERS = [
  filter('named-guard', 10, '  appliesTo: {templates: [kept-bot]}'),
  filter('label-guard', 11, '  appliesTo: {labels: {team: billing}}'),
  filter('every-guard', 12, ''),
  filter('off-guard', 13, '  enabled: false'),
].join('\n---\n');

const KEPT = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: kept-bot}\nspec: {model: gpt-4o}\n';

describe('a safety filter deleted with --prune', () => {
  it('says what the filter guards now, or that it is disabled', async () => {
    dir = await tempDir('promptctl-delete-filter-');
    const prompts = join(dir.path, 'prompts');
    await mkdir(prompts);
    await writeFile(join(prompts, 'filters.yaml'), FILTERS + '\n');
    await writeFile(join(prompts, 'kept.yaml'), KEPT);
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    await rm(join(prompts, 'filters.yaml'));

    const text = await cli(['plan', '--prune', '--allow-mass-delete']);
    expect(text.code, text.stderr).toBe(0);
    const pruned = 'pruned: not in git (managed-by: promptctl); removes a safety filter';
    expect(text.stdout).toContain(`- delete SafetyFilter/named-guard ⚠ destructive\n    ${pruned} that guards kept-bot now (redact_and_log on phishing, pii)\n`);
    expect(text.stdout).toContain(`- delete SafetyFilter/label-guard ⚠ destructive\n    ${pruned} that guards templates labelled team=billing now (redact_and_log on phishing, pii)\n`);
    expect(text.stdout).toContain(`- delete SafetyFilter/every-guard ⚠ destructive\n    ${pruned} that guards every template now (redact_and_log on phishing, pii)\n`);
    expect(text.stdout).toContain(`- delete SafetyFilter/off-guard ⚠ destructive\n    ${pruned}, disabled now: it guards nothing\n`);
    // The pull request's list of destructive changes says it too.
    const md = await cli(['plan', '--prune', '--allow-mass-delete', '--format', 'markdown']);
    expect(md.stdout).toContain(`**SafetyFilter/off-guard** — ${pruned}, disabled now: it guards nothing`);
    // Without prune, the pending delete says what it would remove.
    const pending = await cli(['plan']);
    expect(pending.stdout).toContain('would remove a safety filter that guards kept-bot now (redact_and_log on phishing, pii)');
  });
});
