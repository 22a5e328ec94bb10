// A version, guide or summary setting kept by metadata.environments to an environment but not to
// the one before it in promotion (found by review: validate passed a PromptVersion kept to [prod]
// with promotion dev → staging → prod, and plan --env prod then refused it every time as
// promotion/never-in-previous, since no commit ever brings it to staging). validate says so at the
// entry naming the environment, as a warning: only plan sees whether it brings the version (one
// prod already runs is brought by no plan), and plan grades the gap as DESIGN §6 does (an error
// where the environment is protected), so the warning says what plan will do.
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

const CONFIG = [
  'apiVersion: promptctl/v1',
  'kind: Config',
  'spec:',
  '  environments:',
  '    dev: {credentials: GENESYSCLOUD_DEV}',
  '    staging: {credentials: GENESYSCLOUD_STAGING}',
  '    prod: {credentials: GENESYSCLOUD_PROD, protected: true}',
  '  promotion: [dev, staging, prod]',
  '',
].join('\n');

/** A template and its version 1.0.0, the version kept to `envs`. */
const bot = (envs: string): string =>
  [
    'apiVersion: promptctl/v1',
    'kind: PromptTemplate',
    'metadata: {name: only-bot}',
    'spec: {model: gpt-4o}',
    '---',
    'apiVersion: promptctl/v1',
    'kind: PromptVersion',
    'metadata:',
    `  environments: ${envs}`,
    'spec:',
    '  template: only-bot',
    '  version: "1.0.0"',
    '  systemInstruction: Answer.',
    '  userTemplate: "Q: {{q}}"',
    '  variables: [{name: q, type: string, maxLength: 80}]',
    '  maxTokens: 100',
    '',
  ].join('\n');

const GUIDE_AND_SETTING = [
  'apiVersion: promptctl/v1',
  'kind: Guide',
  'metadata:',
  '  name: Returns',
  '  environments:',
  '    - dev',
  '    - prod',
  'spec:',
  '  instruction: Help the customer return an order.',
  '---',
  'apiVersion: promptctl/v1',
  'kind: SummarySetting',
  'metadata:',
  '  name: Wrap-up',
  '  environments: [staging, prod]',
  'spec:',
  '  language: en-US',
  '  summaryType: Concise',
  '  format: TextBlock',
  '  prompt: Summarise the call.',
  '',
].join('\n');

async function project(files: Record<string, string>) {
  dir = await tempDir('promptctl-never-promoted-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 'promptctl.yaml'), CONFIG);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir.path, 'prompts', name), text);
  return (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
}

describe('validate: a document promotion can never carry to an environment it names', () => {
  it('is a warning at the environments entry, saying plan --env refuses it where that environment is protected', async () => {
    const cli = await project({ 'bot.yaml': bot('[prod]') });
    const r = await cli(['validate']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'prompts/bot.yaml:9:18: warning: version 1.0.0 of template "only-bot" is kept to prod by metadata.environments, but promotion runs staging before prod and staging\'s documents never include it: plan --env prod refuses it (promotion/never-in-previous) unless prod already runs it (add staging to metadata.environments) [environments/never-promoted]',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('checks guides and summary settings too, and says plan --env only warns where the environment is not protected', async () => {
    const cli = await project({ 'bot.yaml': bot('[staging, prod]'), 'ai.yaml': GUIDE_AND_SETTING });
    const r = await cli(['validate']);
    const found = r.stdout.split('\n').filter((l) => l.includes('[environments/never-promoted]'));
    expect(found.map((l) => l.slice(0, l.indexOf(' is kept')))).toEqual([
      'prompts/ai.yaml:7:7: warning: guide "Returns"',
      'prompts/ai.yaml:15:18: warning: summary setting "Wrap-up"',
      'prompts/bot.yaml:9:18: warning: version 1.0.0 of template "only-bot"',
    ]);
    expect(found[1]).toContain('promotion runs dev before staging');
    expect(found[0]).toContain('plan --env prod refuses it');
    expect(found[1]).toContain('plan --env staging warns of it');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('says nothing of a document kept to an environment and the one before it, or to the first', async () => {
    const cli = await project({ 'bot.yaml': bot('[dev]'), 'ai.yaml': GUIDE_AND_SETTING.replace('[staging, prod]', '[dev, staging, prod]').replace('    - dev\n    - prod', '    - dev\n    - staging\n    - prod') });
    const r = await cli(['validate']);
    expect(r.stdout).not.toContain('never-promoted');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});

describe('validate: a guide kept a Draft in the environment before another', () => {
  const guide = (publish: string) => `apiVersion: promptctl/v1\nkind: Guide\nmetadata: {name: Returns}\nspec:\n${publish}  instruction: Help the customer return an order.\n`;

  it('says nothing of a guide a Draft in every environment (spec.publish: Draft): it runs in none, and plan checks nothing of it', async () => {
    const cli = await project({ 'g.yaml': guide('  publish: Draft\n') });
    const r = await cli(['validate']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toContain('never-promoted');
  });

  it("warns once at the environment's guidePublish, naming the guides it keeps a Draft", async () => {
    dir = await tempDir('promptctl-never-promoted-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts', 'promptctl.yaml'), CONFIG.replace('staging: {credentials: GENESYSCLOUD_STAGING}', 'staging: {credentials: GENESYSCLOUD_STAGING, guidePublish: Draft}'));
    await writeFile(join(dir.path, 'prompts', 'g.yaml'), guide(''));
    await writeFile(join(dir.path, 'prompts', 'h.yaml'), guide('').replace('Returns', 'Refunds'));
    await writeFile(join(dir.path, 'prompts', 'own.yaml'), guide('  publish: TestReady\n').replace('Returns', 'Own'));
    const r = await runCliInProcess(['validate'], { cwd: dir.path });
    const found = r.stdout.split('\n').filter((l) => l.includes('[environments/never-promoted]'));
    expect(found).toEqual([
      'prompts/promptctl.yaml:6:64: warning: environment staging keeps guides a Draft (guidePublish), so they never run there, and promotion runs staging before prod: plan --env prod refuses every change to guides "Refunds", "Returns" (promotion/never-in-previous); set guidePublish of staging to TestReady or ProductionReady [environments/never-promoted]',
    ]);
  });
});
