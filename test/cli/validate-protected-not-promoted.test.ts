// A protected environment left out of `promotion` (promotion: [dev, staging] with prod protected:
// a line forgotten when prod was added): validate, plan and apply --env prod said nothing, and
// prod then took any version at all, none of them checked against staging, though DESIGN §6 has a
// version reach a protected environment only after the one before it ran it (and the apply
// workflow refuses an environment outside its promotion order). validate now warns at its
// `protected`, naming the order to add it to; a config without any promotion order is left alone
// (it gates nothing anywhere, by choice), as is a protected environment that leads the order.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const config = (promotion: string | undefined): string =>
  [
    'apiVersion: promptctl/v1',
    'kind: Config',
    'spec:',
    '  environments:',
    '    dev: {credentials: GENESYSCLOUD_DEV}',
    '    staging: {credentials: GENESYSCLOUD_STAGING}',
    '    prod: {credentials: GENESYSCLOUD_PROD, protected: true}',
    ...(promotion !== undefined ? [`  promotion: ${promotion}`] : []),
    '',
  ].join('\n');

async function validate(promotion: string | undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  dir = await promptsIn('promptctl-protected-not-promoted-', { 'promptctl.yaml': config(promotion) }, 'prompts');
  return runCliInProcess(['validate'], { cwd: dir.path, env: {} });
}

const RULE = '[environments/protected-not-promoted]';

describe('a protected environment outside promotion', () => {
  it('is a warning at its protected field, naming the order to add it to', async () => {
    const r = await validate('[dev, staging]');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'prompts/promptctl.yaml:7:55: warning: environment prod is protected but not in spec.promotion (dev, staging): no plan of prod is checked against an environment before it, so a version no other environment ran can reach it; add prod to spec.promotion after the environment it follows (promotion: [dev, staging, prod], where it comes last) [environments/protected-not-promoted]',
    );
    expect(r.stderr).toContain('0 errors, 1 warning');
  });

  it('is nothing when the order holds it, or when there is no order', async () => {
    for (const promotion of ['[dev, staging, prod]', '[prod, staging]', undefined]) {
      const r = await validate(promotion);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout, String(promotion)).not.toContain(RULE);
      expect(r.stderr).toContain('no problems found');
      await dir?.remove();
      dir = undefined;
    }
  });
});
