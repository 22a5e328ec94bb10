// Labels promptctl owns (managed-by, promptctl.dev/*) are refused in git, where a value was
// replaced on apply without a word; labels on kinds whose live objects carry none are a warning.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const TEMPLATE = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: demo-template
  labels:
    team: x
    managed-by: terraform
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptVersion
metadata:
  labels: {owner: alice}
spec:
  template: demo-template
  version: 1.0.0
  systemInstruction: Answer briefly.
  userTemplate: "{{question}}"
  variables:
    - {name: question, type: string}
---
apiVersion: promptctl/v1
kind: SafetyFilter
metadata:
  name: demo-filter
  labels: {promptctl.dev/commit: abc}
spec:
  priority: 10
  categories: [violence]
  action: flag_and_pass
  thresholds: {violence: 0.9}
  falsePositiveTolerance: 0.05
`;

describe('validate: labels', () => {
  it('refuses a label promptctl owns at its file:line:column, and warns of labels that are never sent', async () => {
    dir = await tempDir();
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts/demo.yaml'), TEMPLATE);
    const r = await runCliInProcess(['validate'], { cwd: dir.path, env: cleanEnv() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^prompts\/demo\.yaml:7:17: error: label "managed-by" is promptctl's own: .* \[labels\/reserved\]$/m);
    // The key is what is refused (any value under promptctl.dev/ is): at the key, not at its value (27:34).
    expect(r.stdout).toMatch(/^prompts\/demo\.yaml:27:12: error: label "promptctl\.dev\/commit" is promptctl's own .* \[labels\/reserved\]$/m);
    expect(r.stdout).toMatch(/^prompts\/demo\.yaml:14:\d+: warning: labels on a PromptVersion are not sent: .* \[labels\/not-sent\]$/m);
  });

  it('warns of labels on a TrafficSplit at their file:line:column: the gateway\'s split carries none', async () => {
    dir = await tempDir();
    await mkdir(join(dir.path, 'prompts'));
    const split = '---\napiVersion: promptctl/v1\nkind: TrafficSplit\nmetadata:\n  labels:\n    team: billing\nspec:\n  template: demo-template\n  routes:\n    - {version: 1.0.0, weight: 100}\n';
    await writeFile(join(dir.path, 'prompts/demo.yaml'), TEMPLATE + split);
    const r = await runCliInProcess(['validate'], { cwd: dir.path, env: cleanEnv() });
    expect(r.stdout).toContain(
      "prompts/demo.yaml:39:5: warning: labels on a TrafficSplit are not sent: the gateway's traffic splits carry none (a SafetyFilter's appliesTo.labels matches the template's labels: label the template) [labels/not-sent]",
    );
  });

  it('says what a label key may be when one is refused', async () => {
    dir = await tempDir();
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts/demo.yaml'), TEMPLATE.replace('    managed-by: terraform\n', '    "Bad Key": y\n'));
    const r = await runCliInProcess(['validate'], { cwd: dir.path, env: cleanEnv() });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('prompts/demo.yaml:7:5: error: key "Bad Key" in metadata.labels is not valid: a label key is 1 to 128 letters, digits, dots, underscores, slashes and hyphens, beginning and ending with a letter or digit [schema/key]');
  });

  it('says an unquoted null key is YAML\'s null, not the name "null"', async () => {
    dir = await tempDir();
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts/demo.yaml'), TEMPLATE.replace('    managed-by: terraform\n', '    null: y\n'));
    const r = await runCliInProcess(['validate'], { cwd: dir.path, env: cleanEnv() });
    expect(r.code).toBe(1);
    // Said where any mapping's null key is (yaml/null-key), before the label rules read the keys.
    expect(r.stdout).toContain('prompts/demo.yaml:7:5: error: the key null is YAML\'s null, not a name: quote it ("null") if that is the name [yaml/null-key]');
    expect(r.stdout).not.toContain('key ""');
  });

  it('accepts managed-by: promptctl, the value promptctl sets anyway', async () => {
    dir = await tempDir();
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts/demo.yaml'), TEMPLATE.replace('managed-by: terraform', 'managed-by: promptctl').replace('  labels: {promptctl.dev/commit: abc}\n', ''));
    const r = await runCliInProcess(['validate'], { cwd: dir.path, env: cleanEnv() });
    expect(r.stdout).not.toContain('labels/reserved');
  });

  it('refuses a label value or a label selector with a character a review cannot see, at its line and column', async () => {
    dir = await tempDir();
    await mkdir(join(dir.path, 'prompts'));
    const doc = TEMPLATE.replace('    team: x\n    managed-by: terraform\n', '    team: "bil\\u200Bling"\n    region: "\\u202Eeu"\n    script: "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"\n')
      .replace('  labels: {promptctl.dev/commit: abc}\n', '')
      .replace('  priority: 10\n', '  priority: 10\n  appliesTo: {labels: {team: "billing\\u200B\\u200B"}}\n');
    await writeFile(join(dir.path, 'prompts/demo.yaml'), doc);
    const r = await runCliInProcess(['validate'], { cwd: dir.path, env: cleanEnv() });
    expect(r.code, r.stdout).toBe(1);
    const found = r.stdout.split('\n').filter((l) => l.includes('[labels/hidden-character]'));
    expect(found).toEqual([
      expect.stringMatching(/^prompts\/demo\.yaml:6:15: error: U\+200B \(ZERO WIDTH SPACE\) in label "team": a label matches by its exact text, .*; remove it \[labels\/hidden-character\]$/),
      expect.stringMatching(/^prompts\/demo\.yaml:7:14: error: U\+202E \(RIGHT-TO-LEFT OVERRIDE\) in label "region": /),
      expect.stringMatching(/^prompts\/demo\.yaml:\d+:\d+: error: U\+200B \(ZERO WIDTH SPACE\) ×2 in appliesTo\.labels "team": .*; remove them \[labels\/hidden-character\]$/),
    ]);
    // Both read "billing" folded, but a hidden character is said once, as the error above.
    expect(r.stdout).not.toContain('labels/lookalike');
  });

  it('warns of a label selector that reads as a template\'s label but is written in another Unicode form or with a look-alike: the filter does not cover it', async () => {
    // The reviewer's case: appliesTo.labels {team: café} decomposed (e + U+0301, as macOS and some
    // editors write it) against a template labelled café composed: no word, and the filter covered nothing.
    dir = await tempDir();
    await mkdir(join(dir.path, 'prompts'));
    const filter = (name: string, priority: number, appliesTo: string) =>
      `---\napiVersion: promptctl/v1\nkind: SafetyFilter\nmetadata:\n  name: ${name}\nspec:\n  priority: ${priority}\n  categories: [pii]\n  action: block_and_log\n  thresholds: {pii: 0.5}\n  falsePositiveTolerance: 0.1\n  appliesTo: ${appliesTo}\n`;
    const doc =
      TEMPLATE.replace('    team: x\n    managed-by: terraform\n', '    team: "caf\\u00e9"\n').replace('  labels: {promptctl.dev/commit: abc}\n', '') +
      filter('nfd-filter', 11, '{labels: {team: "cafe\\u0301"}}') +
      filter('cyrillic-filter', 12, '{labels: {team: "\\u0441af\\u00e9"}}') +
      // Covered by its name anyway, and one whose selector is the template's label as written: nothing to say.
      filter('named-filter', 13, '{templates: [demo-template], labels: {team: "cafe\\u0301"}}') +
      filter('exact-filter', 14, '{labels: {team: "caf\\u00e9"}}');
    await writeFile(join(dir.path, 'prompts/demo.yaml'), doc);
    const r = await runCliInProcess(['validate'], { cwd: dir.path, env: cleanEnv() });
    expect(r.code, r.stdout).toBe(0);
    const found = r.stdout.split('\n').filter((l) => l.includes('[labels/lookalike]'));
    expect(found).toEqual([
      `prompts/demo.yaml:43:30: warning: appliesTo.labels "team" is "cafe\u0301", which looks the same as template "demo-template"'s label team: "caf\u00e9" at prompts/demo.yaml:6:11 (it writes "\u00e9" as U+0065 U+0301 (NFD), that one as U+00E9 (NFC): one letter in two Unicode forms): a label matches by its exact text, so filter "nfd-filter" does not cover it; write both alike [labels/lookalike]`,
      `prompts/demo.yaml:55:30: warning: appliesTo.labels "team" is "\u0441af\u00e9", which looks the same as template "demo-template"'s label team: "caf\u00e9" at prompts/demo.yaml:6:11 (it holds U+0441, a look-alike of "c"): a label matches by its exact text, so filter "cyrillic-filter" does not cover it; write both alike [labels/lookalike]`,
    ]);
  });
});
