// A drift report in markdown too long for one issue is cut, with a note pointing at the whole
// report. For `drift --env prod` (drift.yml runs one job per environment) the note said
// "run `promptctl drift --format json`": without --env that compares another target (the plain
// GENESYSCLOUD_* one, or the default embedded org), and without --dir other files. The note now
// names this run's --env and --dir, as plan's cut note does.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    staging: {credentials: PCTL_DM_STAGING}
    prod: {credentials: PCTL_DM_PROD, protected: true}
  promotion: [staging, prod]
`;

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-drift-pointer-');
  await mkdir(join(dir.path, 'team/bulk'), { recursive: true });
  await writeFile(join(dir.path, 'team/promptctl.yaml'), CONFIG);
  // 300 templates prod lacks: 600 differences, more than one issue's description holds.
  const text = Array.from({ length: 12 }, (_, i) => `    Line ${i} of a prompt long enough that its block in the plan takes room: answer the billing question.`).join('\n');
  for (let i = 0; i < 300; i++) {
    const name = `bulk-${String(i).padStart(3, '0')}`;
    await writeFile(
      join(dir.path, `team/bulk/${name}.yaml`),
      `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: ${name}}\nspec: {model: gpt-4o-mini, description: bulk template ${i}}\n---\n` +
        `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: ${name}\n  version: "1.0.0"\n  systemInstruction: |\n${text}\n  userTemplate: "{{q}}"\n  variables: [{name: q, type: string, maxLength: 200}]\n  maxTokens: 100\n`,
    );
  }
});
afterEach(async () => {
  await dir.remove();
});

describe('drift --format markdown cut to one issue, in an environment', () => {
  it("points at the whole report with this run's --env and --dir", async () => {
    const md = await runCliInProcess(['drift', '--env', 'prod', '--dir', 'team', '--format', 'markdown'], { cwd: dir.path });
    expect(md.code, md.stderr).toBe(2);
    expect(md.stdout.length).toBeLessThanOrEqual(65_536);
    const pointer = 'run `promptctl drift --env prod --dir team --format json` for the full list';
    expect(md.stdout).toMatch(new RegExp(`\\n> … \\d+ more differences not shown; ${pointer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\n`));
    // The plan below the table is cut with the same pointer.
    expect(md.stdout).toContain(`all of them new; ${pointer}.`);
    expect(md.stdout).not.toContain('`promptctl drift --format json`');
  });
});
