// A saved plan whose first apply was killed part way, applied again (a review's repro: `apply
// p.json` killed -9 while its versions were publishing, then `apply p.json` once more). Settling
// recovered what that run left open, then the apply was refused saying the file "was applied
// already" (as if every change were made), each split refused as "the plan file says otherwise
// than a fresh plan in dependsOn, parentId (…, or the file was edited)": never started, the file
// not edited. Refusing stays right (a saved plan is applied once); the refusal now says it was
// partly applied, how much is on record, which changes are left (capped), and the plan to make.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { generatePromptSet } from '../../bench/generate.mjs';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applySavedPlanKilled } from '../helpers/killed-run.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd: dir.path, env: emu.env });

beforeEach(async () => {
  emu = await startTestEmulator();
  dir = await tempDir('promptctl-saved-partly-');
  // 22 templates, each with a version and a split: more splits left than a list shows.
  await generatePromptSet(join(dir.path, 'prompts'), { templates: 22, versions: 1 });
  const planned = await cli(['plan', '--out', 'p.json']);
  expect(planned.code, planned.stderr).toBe(0);
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
});

it('a saved plan its killed first run partly applied is refused as partly applied, naming what is left and the plan to make', async () => {
  // Killed as the versions were publishing: templates on record, versions landed with their
  // intents open, splits never started.
  await applySavedPlanKilled(emu, dir, 'p.json', { ran: (a) => a.kind !== 'TrafficSplit', open: (address) => address.startsWith('PromptVersion/') });

  const r = await cli(['apply', 'p.json', '--auto-approve']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('audit: PromptVersion/tpl-00000@1.0.0 from an earlier run: succeeded (recovered)');
  expect(r.stderr).toMatch(
    /error: p\.json is stale: 66 things changed since it was planned \(listed above\); nothing was applied\. It was partly applied at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by a run that was interrupted or killed before it finished: 44 of its 66 changes are on record in \.promptctl\/audit\.jsonl; the 22 changes left are listed last\. A saved plan is applied once, and what is listed as changed since it was planned is its own changes, or what changed after them\. Run `promptctl plan --out p\.json` to plan what is left, and review the new plan\./,
  );
  expect(r.stderr).not.toContain('applied already');
  // The splits it never started, as a stopped apply lists what it did not start: 20, then the count.
  const left = r.stderr.slice(r.stderr.indexOf('Left of p.json (not made by its earlier run):\n'));
  expect(left).toContain('  + TrafficSplit/tpl-00000\n');
  expect(left).toContain('  + TrafficSplit/tpl-00019\n  … and 2 more (the new plan shows what is left)\n');
  expect(left).not.toContain('TrafficSplit/tpl-00020');
  // A split's order and template follow what that run made: said so, in the plan's words, no edit suggested.
  expect(r.stderr).toContain(
    "  TrafficSplit/tpl-00000: the plan file says otherwise than a fresh plan in the changes it runs after and the live id of the template it goes under (this plan's own earlier run changed the target since it was planned)",
  );
  expect(r.stderr).not.toMatch(/dependsOn|parentId|file was edited/);

  // What it says to run plans exactly what is left.
  const again = await cli(['plan', '--out', 'p.json']);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toContain('Plan: 22 to create, 0 to update, 0 to delete.');
});

it('a saved plan whose killed run left a change settled "not applied" is partly applied, not applied already, and what that run made is said to be its own', async () => {
  expect((await cli(['apply', 'p.json', '--auto-approve'])).code).toBe(0);
  // q.json: tpl-00000's description changes and a version 1.1.0 is added.
  const file = join(dir.path, 'prompts', 'templates', 'tpl-00000.yaml');
  const text = await readFile(file, 'utf8');
  await writeFile(
    file,
    text.replace(/description: .*/, 'description: "Changed."') +
      '---\napiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: tpl-00000\n  version: "1.1.0"\n  systemInstruction: "Newer."\n  userTemplate: "Q: {{question}}"\n  variables:\n    - {name: question, type: string, maxLength: 80}\n',
  );
  const planned = await cli(['plan', '--out', 'q.json']);
  expect(planned.code, planned.stderr).toBe(0);
  expect(planned.stdout).toContain('Plan: 1 to create, 1 to update, 0 to delete.');
  // Its run: the template's update made; killed right after the version's intent, before its call.
  await applySavedPlanKilled(emu, dir, 'q.json', { ran: (a) => a.kind === 'PromptTemplate', open: () => false });
  await applySavedPlanKilled(emu, dir, 'q.json', { ran: (a) => a.kind === 'PromptVersion', open: () => false, dies: (address) => address.startsWith('PromptVersion/') });

  const r = await cli(['apply', 'q.json', '--auto-approve']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('audit: PromptVersion/tpl-00000@1.1.0 from an earlier run: not applied');
  expect(r.stderr).not.toContain('applied already');
  expect(r.stderr).toMatch(/It was partly applied at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by a run that was interrupted or killed before it finished: 2 of its 2 changes are on record in \.promptctl\/audit\.jsonl \(1 of them not made\); the 1 change left is listed last\./);
  expect(r.stderr).toContain('Left of q.json (not made by its earlier run):\n  + PromptVersion/tpl-00000@1.1.0 (on record: not applied)\n');
  expect(r.stderr).toContain("  PromptTemplate/tpl-00000: changed by this plan's own earlier run (on record: success)\n");
  expect(r.stderr).not.toMatch(/PromptTemplate\/tpl-00000: .*since the plan/);
});
