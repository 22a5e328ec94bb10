// A guide's Draft or TestReady version published to ProductionReady replaces the production
// version: the plan diffed git only against that latest version, so what changes in production
// (an instruction and a description tested in TestReady first) never showed, only a state flip.
// The plan now shows each change against the production version too, named so.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('a guide published to ProductionReady from TestReady', () => {
  it('shows what changes in production, against the production version', { timeout: 60_000 }, async () => {
    dir = await tempDir('promptctl-guide-prod-');
    await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: {} });
    const edit = async (file: string, from: string, to: string) => {
      const path = join(dir!.path, 'prompts', file);
      const text = await readFile(path, 'utf8');
      expect(text).toContain(from);
      await writeFile(path, text.replace(from, to));
    };
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    // Tested first: new content in TestReady; production keeps 1.0.
    await edit('guides/returns-assistant.md', 'You help customers of Acme Telecom', 'You kindly help customers of Acme Telecom');
    await edit('guides/returns-assistant.yaml', "description: The customer's first name, as the flow knows it.", "description: The customer's first name.");
    const budget = '  budget:\n';
    await edit('guides/returns-assistant.yaml', budget, `  publish: TestReady\n${budget}`);
    const tested = await cli(['apply', '--auto-approve']);
    expect(tested.code, tested.stderr).toBe(0);

    // Then only the state moves in git; production's content changes all the same.
    await edit('guides/returns-assistant.yaml', '  publish: TestReady\n', '  publish: ProductionReady\n');
    const plan = await cli(['plan', '--no-color']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/publishes TestReady 2\.0 \(it holds this content already\) to ProductionReady, replacing production version 1\.0/);
    expect(plan.stdout).toContain('~ state: "TestReady" → "ProductionReady"');
    // Token counts against production's version (the TestReady one holds git's text already).
    expect(plan.stdout).toMatch(/^ {4}tokens: ≈\d+ → ≈\d+ \(\+\d+; o200k_base\)$/m);
    expect(plan.stdout).toContain(`~ production 1.0: variables.customer_first_name.description: "The customer's first name, as the flow knows it." → "The customer's first name."`);
    expect(plan.stdout).toMatch(/production 1\.0: instruction:\n\s+@@[^\n]*\n(?:.*\n)*?\s+-You help customers of Acme Telecom[^\n]*\n\s+\+You kindly help customers of Acme Telecom/);
    const md = await cli(['plan', '--format', 'markdown']);
    expect(md.stdout).toContain('production 1.0: instruction');
    // The instruction is counted as written (a guide has no worst case), said once.
    expect(md.stdout).toMatch(/\nText as written, tokens: ≈\d+ → ≈\d+ \(\+\d+; o200k\\_base\)/);

    // Applied, production holds git's content: nothing left.
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});
