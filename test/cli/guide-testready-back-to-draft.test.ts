// A TestReady guide version edited with `publish: Draft` goes back to Draft (E5: its tested
// content changes), and neither plan nor apply said so: plan read "edits TestReady 1.0 in place"
// with no state change, apply "edited TestReady 1.0 in place", and the version was a Draft after.
// Both now say the edit puts it back to Draft; the JSON plan carries the state change.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const guide = (publish: string, instruction: string) =>
  `apiVersion: promptctl/v1\nkind: Guide\nmetadata: {name: Returns}\nspec:\n  publish: ${publish}\n  instruction: ${instruction}\n`;

describe('a TestReady guide version edited under publish: Draft', () => {
  it('is said to go back to Draft, in the plan (text and JSON) and by apply', { timeout: 60_000 }, async () => {
    dir = await tempDir('promptctl-guide-back-to-draft-');
    await mkdir(join(dir.path, 'prompts'));
    const file = join(dir.path, 'prompts', 'g.yaml');
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: {} });
    await writeFile(file, guide('TestReady', 'Help the customer return an order.'));
    const tested = await cli(['apply', '--auto-approve']);
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);

    await writeFile(file, guide('Draft', 'Help the customer return an order, kindly.'));
    const plan = await cli(['plan', '--no-color']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/edits TestReady (\S+) in place, which puts it back to Draft \(its tested content changes\)/);
    expect(plan.stdout).toContain('~ state: "TestReady" → "Draft"');
    const json = await cli(['plan', '--format', 'json']);
    const action = (JSON.parse(json.stdout) as { actions: { address: string; changes: unknown[] }[] }).actions.find((a) => a.address === 'Guide/Returns');
    expect(action?.changes).toContainEqual({ path: 'state', before: 'TestReady', after: 'Draft' });

    const applied = await cli(['apply', '--auto-approve', '--no-color']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/edited TestReady (\S+) in place, which put it back to Draft/);
    // What plan and apply said holds: nothing is left to do.
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});
