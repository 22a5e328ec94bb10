// An apply in CI with no target configured goes to the embedded emulator: green, and no org
// changed (a secret that did not reach the job). It still runs, as DESIGN §6 has it, and says so.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCliInProcess } from '../helpers/cli.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const WARNING = /^warning: this runs in CI with no target configured .* not an org; if the job meant an org, pass its credentials/m;

describe('apply on the embedded emulator', () => {
  it('warns in CI (GITHUB_ACTIONS or CI set) that no org is changed, and not elsewhere or for a plan', async () => {
    dir = await tempDir();
    copyExamplePrompts(dir.path);
    const ci = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: cleanEnv({ GITHUB_ACTIONS: 'true' }) });
    expect(ci.code, ci.stderr).toBe(0);
    expect(ci.stderr).toMatch(WARNING);
    const otherCi = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: cleanEnv({ CI: '1' }) });
    expect(otherCi.stderr).toMatch(WARNING);
    const local = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: cleanEnv() });
    expect(local.stderr).not.toMatch(WARNING);
    const plan = await runCliInProcess(['plan'], { cwd: dir.path, env: cleanEnv({ GITHUB_ACTIONS: 'true' }) });
    expect(plan.stderr).not.toMatch(WARNING);
  });

  // From review: a job that set an environment's credentials (GENESYSCLOUD_DEV_*, the example
  // promptctl.yaml's dev) but left out --env was told to pass its credentials, "a secret that did
  // not reach the job?", though they had reached it: what was missing is --env.
  it('in CI with an environment\'s credentials set but no --env, says to pass --env, naming those credentials', async () => {
    dir = await tempDir();
    copyExamplePrompts(dir.path);
    const env = cleanEnv({ GITHUB_ACTIONS: 'true', GENESYSCLOUD_DEV_OAUTHCLIENT_ID: 'dev-client', GENESYSCLOUD_DEV_OAUTHCLIENT_SECRET: 'dev-secret-value' });
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: this runs in CI with no target configured \(no GENESYSCLOUD_\* variable that promptctl reads is set, or they are empty\), so it changes only the embedded emulator's throwaway state, not an org; GENESYSCLOUD_DEV_OAUTHCLIENT_ID, GENESYSCLOUD_DEV_OAUTHCLIENT_SECRET are set, which promptctl reads only for the environment whose credentials are GENESYSCLOUD_DEV: if the job meant that org, pass --env with its name$/m);
    expect(r.stderr).not.toContain('a secret that did not reach the job');
    expect(r.stderr).not.toContain('dev-secret-value');
  });

  // From review: only variables under GENESYSCLOUD_ were found, so an environment whose config
  // names another prefix (credentials: PCTL_PROD) got the old words. The config's prefixes count.
  it('names an environment\'s credentials under any prefix promptctl.yaml gives it, and not a prefix it gives none', async () => {
    dir = await tempDir();
    copyExamplePrompts(dir.path);
    const config = join(dir.path, 'prompts/promptctl.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('credentials: GENESYSCLOUD_PROD', 'credentials: PCTL_PROD'));
    const env = cleanEnv({ CI: 'true', PCTL_PROD_OAUTHCLIENT_ID: 'prod-client', PCTL_PROD_OAUTHCLIENT_SECRET: 'prod-secret-value' });
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/; PCTL_PROD_OAUTHCLIENT_ID, PCTL_PROD_OAUTHCLIENT_SECRET are set, which promptctl reads only for the environment whose credentials are PCTL_PROD: if the job meant that org, pass --env with its name$/m);
    expect(r.stderr).not.toContain('prod-secret-value');
    // GENESYSCLOUD_QA is no environment's: --env would find none, so the words are the old ones.
    const qa = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: cleanEnv({ CI: 'true', GENESYSCLOUD_QA_OAUTHCLIENT_ID: 'qa-client' }) });
    expect(qa.stderr).toMatch(WARNING);
  });
});
