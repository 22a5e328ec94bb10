// status on an org with no template (a first run, before apply) said "No template on the target."
// and nothing of what to do, where run says to apply first; markdown said nothing at all. Both now
// say it as run does, and JSON stays data (an empty list). The command is named as it is to be
// run (test/cli/apply-first-hints.test.ts: with the run's --env and --dir).
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('status on an empty org', () => {
  it('says to apply first, in text and markdown, as run does', async () => {
    dir = await tempDir('promptctl-status-empty-');
    const text = await runCliInProcess(['status'], { cwd: dir.path });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^No template on the target \(it has none: run `promptctl apply` first\)\.$/m);
    const markdown = await runCliInProcess(['status', '--format', 'markdown'], { cwd: dir.path });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toMatch(/^No template on the target \(it has none: run `promptctl apply` first\)\.$/m);
    const json = await runCliInProcess(['status', '--format', 'json'], { cwd: dir.path });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).templates).toEqual([]);
    // No prompts directory here: applying creates no faq-bot, so none is advised; what is unknown is said.
    const run = await runCliInProcess(['run', 'faq-bot'], { cwd: dir.path });
    expect(run.stderr).toMatch(/^error: no prompt template "faq-bot" on the target \(it has none\); whether git defines it is unknown: prompts directory "prompts" not found/m);
  });
});
