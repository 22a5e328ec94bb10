// A plan problem about a published version's text points where git's text first differs from the
// live one: in a {file:} text, at that file's changed line, where a pull request's annotation
// shows on the diff (it pointed at the YAML key that names the file, a line nobody changed).
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'promptctl-problem-location-'));
  await cp(path.join(REPO, 'prompts'), path.join(cwd, 'prompts'), { recursive: true });
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

describe('an edited published version', () => {
  it('is located at the first changed line of its {file:} text; an inline text at its line in the YAML', async () => {
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd, env: {} })).code).toBe(0);
    const md = path.join(cwd, 'prompts/billing-assistant/system-v1.1.0.md');
    const lines = (await readFile(md, 'utf8')).split('\n');
    lines[4] = `${lines[4]} (edited)`;
    await writeFile(md, lines.join('\n'));
    const r = await runCliInProcess(['plan', '--format', 'json'], { cwd, env: {} });
    expect(r.code).toBe(1);
    const problems = (JSON.parse(r.stdout) as { problems: { rule: string; file: string; line: number }[] }).problems;
    expect(problems).toEqual([expect.objectContaining({ rule: 'immutable-version', file: 'prompts/billing-assistant/system-v1.1.0.md', line: 5 })]);

    // Inline, in a literal block: the changed line of the block (line 13 of the YAML file).
    await writeFile(md, lines.join('\n').replace(' (edited)', ''));
    const yaml = path.join(cwd, 'prompts/billing-assistant/v1.0.0.yaml');
    await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('Be brief and polite.', 'Be brief and kind.'));
    const inline = JSON.parse((await runCliInProcess(['plan', '--format', 'json'], { cwd, env: {} })).stdout) as { problems: { file: string; line: number; column: number }[] };
    expect(inline.problems).toEqual([expect.objectContaining({ file: 'prompts/billing-assistant/v1.0.0.yaml', line: 13, column: 18 })]);
    // The text plan and the PR comment say it as validate and the JSON do: file:line:column (markdown said file:line).
    const text = await runCliInProcess(['plan'], { cwd, env: {} });
    expect(text.stdout).toContain('✗ PromptVersion/billing-assistant@1.0.0 (prompts/billing-assistant/v1.0.0.yaml:13:18) [immutable-version]');
    const comment = await runCliInProcess(['plan', '--format', 'markdown'], { cwd, env: {} });
    expect(comment.stdout).toMatch(/- ❌ \*\*PromptVersion\/billing-assistant@1\.0\.0\*\* \(prompts\/billing-assistant\/v1\.0\.0\.yaml:13:18\) `immutable-version`/);
  });
});
