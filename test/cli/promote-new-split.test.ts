// promote on a template that has no TrafficSplit yet: its calls go to its newest version (DESIGN
// §3), and promote starts from there, adding the split to the end of the template's own file (the
// rest of the file left as it was). With --env, the environments that share the template keep
// their routing, written as the document's routes, and the environment gets routes of its own.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const TEMPLATE = 'prompts/support-triage/template.yaml';

/** The example prompts with support-triage's split removed: its versions are 1.0.0, 2.0.0 and 2.1.0-beta.1 (the newest). */
async function project(): Promise<string> {
  dir = await tempDir('promptctl-promote-new-');
  copyExamplePrompts(dir.path);
  await rm(join(dir.path, 'prompts/support-triage/traffic.yaml'));
  return dir.path;
}

const cli = (cwd: string, args: string[]) => runCliInProcess(args, { cwd, env: {} });

describe('promote, a template without a TrafficSplit', () => {
  it("adds the split to the template's file, starting from the newest version holding every call", async () => {
    const cwd = await project();
    const before = await readFile(join(cwd, TEMPLATE), 'utf8');
    const r = await cli(cwd, ['promote', 'support-triage', '2.0.0', '--weight', '20']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: template "support-triage" has no TrafficSplit yet (its newest version answers every call): adding one to prompts/support-triage/template.yaml');
    expect(r.stderr).toContain('promote 2.0.0 to 20%: TrafficSplit/support-triage: 2.1.0-beta.1 100% → 80%, 2.0.0 new → 20%');
    const after = await readFile(join(cwd, TEMPLATE), 'utf8');
    expect(after).toBe(
      `${before}---\napiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: "support-triage"\n  routes:\n    - version: "2.1.0-beta.1"\n      weight: 80\n    - version: "2.0.0"\n      weight: 20\n`,
    );
    expect((await cli(cwd, ['validate'])).code).toBe(0);
  });

  it('changes nothing when the newest version is given everything, and says why it cannot give it less', async () => {
    const cwd = await project();
    const before = await readFile(join(cwd, TEMPLATE), 'utf8');
    const all = await cli(cwd, ['promote', 'support-triage', '2.1.0-beta.1']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toContain('template "support-triage" has no TrafficSplit: its newest version, 2.1.0-beta.1, answers every call; 2.1.0-beta.1 gets 100% already: nothing to change');
    const part = await cli(cwd, ['promote', 'support-triage', '2.1.0-beta.1', '--weight', '30']);
    expect(part.code).toBe(1);
    expect(part.stderr).toContain('no other version would take the other 70%');
    expect(part.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(join(cwd, TEMPLATE), 'utf8')).toBe(before);
  });

  it('with --env, keeps the other environments on the newest version and gives that one its own routes', async () => {
    const cwd = await project();
    const before = await readFile(join(cwd, TEMPLATE), 'utf8');
    const r = await cli(cwd, ['promote', 'support-triage', '2.0.0', '--weight', '90', '--env', 'staging']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: dev, prod have the template too: the new split keeps their calls on 2.1.0-beta.1 (the newest version, as now) and staging gets spec.environments.staging.routes');
    const after = await readFile(join(cwd, TEMPLATE), 'utf8');
    expect(after.slice(0, before.length)).toBe(before);
    expect(after.slice(before.length)).toBe(
      '---\napiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: "support-triage"\n  routes:\n    - version: "2.1.0-beta.1"\n      weight: 100\n' +
        '  environments:\n    staging:\n      routes:\n        - version: "2.1.0-beta.1"\n          weight: 10\n        - version: "2.0.0"\n          weight: 90\n',
    );
    expect((await cli(cwd, ['validate'])).code).toBe(0);
  });
});

describe('promote --env, a split kept to other environments', () => {
  it('names its metadata.environments and where they are, not "no TrafficSplit"', async () => {
    dir = await tempDir('promptctl-promote-kept-');
    copyExamplePrompts(dir.path);
    const file = join(dir.path, 'prompts/support-triage/traffic.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('kind: TrafficSplit\n', 'kind: TrafficSplit\nmetadata:\n  environments: [prod]\n'));
    const r = await cli(dir.path, ['promote', 'support-triage', '2.1.0-beta.1', '--weight', '50', '--env', 'staging']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: the TrafficSplit of template "support-triage" is limited to prod by its metadata.environments at prompts/support-triage/traffic.yaml:8:17, so environment staging does not have it (add staging there first); nothing was changed',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
