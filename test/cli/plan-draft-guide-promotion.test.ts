// A guide kept a Draft in every environment (spec.publish: Draft; found by review): plan --env
// staging reported writing its Draft as blocked (promotion/never-in-previous: dev holds it only in
// a Draft), and plan --env prod refused it, though a Draft runs nothing in either environment.
// DESIGN §6 gates what an environment runs, so content a plan leaves a Draft is no promotion;
// content it publishes still is.
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

const guide = (publish: string) => `apiVersion: promptctl/v1\nkind: Guide\nmetadata: {name: Returns}\nspec:\n  publish: ${publish}\n  instruction: Help the customer return an order.\n`;

async function project(publish: string) {
  dir = await tempDir('promptctl-draft-guide-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 'promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'prompts', 'g.yaml'), guide(publish));
  return (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
}

describe('plan --env of a guide kept a Draft in every environment', () => {
  it('reports no promotion gap: the Draft runs nothing before or here', async () => {
    const cli = await project('Draft');
    const dev = await cli(['apply', '--env', 'dev', '--auto-approve']);
    expect(dev.code, dev.stdout + dev.stderr).toBe(0);
    const staging = await cli(['plan', '--env', 'staging']);
    expect(staging.code, staging.stdout + staging.stderr).toBe(0);
    expect(staging.stdout).toContain('+ create Guide/Returns');
    expect(staging.stdout + staging.stderr).not.toContain('promotion/');
    const prod = await cli(['plan', '--env', 'prod']);
    expect(prod.code, prod.stdout + prod.stderr).toBe(0);
    expect(prod.stdout + prod.stderr).not.toContain('promotion/');
  });

  it('still reports content it publishes that the environment before has not run', async () => {
    const cli = await project('TestReady');
    const staging = await cli(['plan', '--env', 'staging']);
    expect(staging.stdout + staging.stderr).toContain('[promotion/not-in-previous]');
  });
});
