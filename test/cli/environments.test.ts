// Environments (DESIGN §6): three emulators with different credentials stand in for dev, staging
// and prod; `--env` picks one by the <prefix>_* variables of promptctl.yaml. Each plan and apply
// touches only its own org, documents and splits land where they belong, prod (protected) applies
// only a saved plan, and a version reaches prod only after staging published it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readLiveState } from '../../src/targets/live.js';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import type { EmulatorOptions } from '../../src/emulator/server.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0, billingVersion } from '../helpers/billing-yaml.js';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];
const PREFIX: Record<Env, string> = { dev: 'PCTL_T_DEV', staging: 'PCTL_T_STAGING', prod: 'PCTL_T_PROD' };

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_T_DEV}
    staging: {credentials: PCTL_T_STAGING, guidePublish: TestReady}
    prod: {credentials: PCTL_T_PROD, protected: true}
  promotion: [dev, staging, prod]
`;

const BILLING = `${BILLING_1_0}---\n${billingVersion('1.1.0', 'You answer billing questions briefly.')}`;

const SPLIT = `apiVersion: promptctl/v1
kind: TrafficSplit
spec:
  template: billing
  # every environment without its own routes
  routes:
    - version: 1.0.0
      weight: 50
    - version: 1.1.0
      weight: 50
  environments:
    prod:
      routes:
        - version: 1.0.0   # the safe one
          weight: 90
        - version: 1.1.0
          weight: 10
`;

const STAGING_FILTER = `apiVersion: promptctl/v1
kind: SafetyFilter
metadata:
  name: staging-only-guard
  environments: [staging]
spec:
  priority: 7
  categories: [pii]
  action: flag_and_pass
  thresholds: {pii: 0.5}
  falsePositiveTolerance: 0.1
`;

let dir: TempDir;
const emus = {} as Record<Env, TestEmulator>;

beforeAll(async () => {
  for (const e of ENVS) emus[e] = await startTestEmulator({ clientId: `${e}-client`, clientSecret: `${e}-secret-value` });
});
afterAll(async () => {
  for (const e of ENVS) await emus[e]?.close();
});

beforeEach(async () => {
  dir = await tempDir('promptctl-envs-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING);
  await writeFile(join(dir.path, 'prompts/billing-split.yaml'), SPLIT);
  await writeFile(join(dir.path, 'prompts/filters.yaml'), STAGING_FILTER);
});
afterEach(async () => {
  // Each test starts from empty orgs.
  for (const e of ENVS) {
    const live = await readLiveState({ gateway: emus[e].api });
    for (const t of live.templates) await emus[e].api.deleteTemplate(t.id);
    for (const f of live.filters) await emus[e].api.deleteFilter(f.id);
  }
  await dir.remove();
});

/** The variables of every environment (or of the ones given), as CI would set them. */
function credentials(only: readonly Env[] = ENVS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of only) {
    out[`${PREFIX[e]}_API_URL`] = emus[e].url;
    out[`${PREFIX[e]}_OAUTHCLIENT_ID`] = `${e}-client`;
    out[`${PREFIX[e]}_OAUTHCLIENT_SECRET`] = `${e}-secret-value`;
  }
  return out;
}

/** A server on loopback that accepts connections and never answers (an org behind a VPN that is down). */
async function silentServer(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const server = createServer(() => undefined);
  server.on('connection', () => (connections += 1));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function cli(args: readonly string[], env: Record<string, string | undefined> = credentials()): Promise<CliResult> {
  return runCliInProcess(args, { cwd: dir.path, env });
}

async function live(e: Env) {
  return readLiveState({ gateway: emus[e].api });
}

async function routes(e: Env, template = 'billing') {
  return (await live(e)).templates.find((t) => t.name === template)?.traffic?.routes;
}

async function auditRecords(file: string): Promise<Record<string, unknown>[]> {
  return (await readFile(join(dir.path, file), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('--env', () => {
  it('plans and applies each environment on its own org only, naming target and environment first', async () => {
    const plan = await cli(['plan', '--env', 'dev', '--detailed-exitcode']);
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stderr.split('\n')[0]).toBe(`target: ${emus.dev.url} (client dev-…), environment dev`);
    expect(plan.stdout).toContain('create TrafficSplit/billing');
    expect(plan.stdout).not.toContain('staging-only-guard');

    const dev = await cli(['apply', '--env', 'dev', '--auto-approve']);
    expect(dev.code, dev.stderr).toBe(0);
    expect((await live('dev')).templates.map((t) => t.name)).toEqual(['billing']);
    expect((await live('staging')).templates).toEqual([]);
    expect((await live('prod')).templates).toEqual([]);
    expect(await routes('dev')).toEqual([
      { version: '1.0.0', weight: 50 },
      { version: '1.1.0', weight: 50 },
    ]);
    expect((await live('dev')).filters).toEqual([]);

    // The environment's own audit trail, every record naming it.
    const records = await auditRecords('.promptctl/envs/dev/audit.jsonl');
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.environment === 'dev')).toBe(true);
    expect(existsSync(join(dir.path, '.promptctl/audit.jsonl'))).toBe(false);
    // audit verify finds that trail by the environment's name, as apply wrote it.
    for (const args of [['audit', 'verify', '--env', 'dev'], ['audit', 'verify']]) {
      const verified = await cli(args, { ...credentials(), ...(args.length === 2 ? { PROMPTCTL_ENV: 'dev' } : {}) });
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stdout).toMatch(new RegExp(`^ok: \\.promptctl/envs/dev/audit\\.jsonl: ${records.length} records, chain intact`));
    }

    // staging: the limited filter lands there only, and the shared routes.
    const staging = await cli(['apply', '--env', 'staging', '--auto-approve']);
    expect(staging.code, staging.stderr).toBe(0);
    expect(staging.stderr.split('\n')[0]).toBe(`target: ${emus.staging.url} (client stag…), environment staging`);
    expect((await live('staging')).filters.map((f) => f.name)).toEqual(['staging-only-guard']);
    expect(await routes('staging')).toEqual([
      { version: '1.0.0', weight: 50 },
      { version: '1.1.0', weight: 50 },
    ]);
    expect((await live('prod')).templates).toEqual([]);

    // A second plan of dev: nothing to do there, whatever happened elsewhere.
    const again = await cli(['plan', '--env', 'dev', '--detailed-exitcode']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('says a live object git keeps out of the environment is kept out, not "not in git", when prune deletes it', async () => {
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    expect((await live('staging')).filters.map((f) => f.name)).toEqual(['staging-only-guard']);
    // The team moves the guard to dev only: staging's copy goes with prune, and the plan says why.
    await writeFile(join(dir.path, 'prompts/filters.yaml'), STAGING_FILTER.replace('environments: [staging]', 'environments: [dev]'));
    const plan = await cli(['plan', '--env', 'staging', '--prune']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("pruned: kept out of staging by its document's metadata.environments (dev) (managed-by: promptctl); removes a safety filter");
    expect(plan.stdout).not.toContain('not in git');
    // Without prune, pending says the same, in plan and in drift.
    const pending = await cli(['plan', '--env', 'staging']);
    expect(pending.stdout).toContain("pending: prune is off (run with --prune, or set prune: true in promptctl.yaml, to delete); kept out of staging by its document's metadata.environments (dev); would remove a safety filter");
    const drift = await cli(['drift', '--env', 'staging']);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain("on the target, kept out of staging by its document's metadata.environments (dev) — pending: prune is off (run with --prune, or set prune: true in promptctl.yaml, to delete); would remove a safety filter");
    expect(drift.stdout + pending.stdout).not.toContain('not in git');
    // A document git no longer has at all, for any environment: not in git.
    await rm(join(dir.path, 'prompts/filters.yaml'));
    const gone = await cli(['plan', '--env', 'staging', '--prune']);
    expect(gone.stdout).toContain('pruned: not in git (managed-by: promptctl); removes a safety filter');
  });

  it('applies to protected prod only a saved plan, with its own 90/10 split', async () => {
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);

    const refused = await cli(['apply', '--env', 'prod', '--auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n')[0]).toBe(`target: ${emus.prod.url} (client prod…), environment prod`);
    expect(refused.stderr).toMatch(/error: environment prod is protected: apply takes only a saved, reviewed plan file/);
    expect(refused.stderr).toContain('promptctl plan --env prod --out plan.json');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect((await live('prod')).templates).toEqual([]);
    // The commands it names keep the run's --prune and --allow-mass-delete: followed as written,
    // the saved plan deletes what this apply meant to, and its apply takes the mass delete.
    const pruning = await cli(['apply', '--env', 'prod', '--prune', '--allow-mass-delete', '--auto-approve']);
    expect(pruning.code).toBe(1);
    expect(pruning.stderr).toContain('Run `promptctl plan --env prod --prune --allow-mass-delete --out plan.json`, review it, then `promptctl apply --env prod --prune --allow-mass-delete plan.json`');

    // Without --env, prod's own credentials as the plain GENESYSCLOUD_* target: still refused.
    const unnamed = await cli(['apply', '--auto-approve'], {
      ...credentials(),
      GENESYSCLOUD_API_URL: emus.prod.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: 'prod-client',
      GENESYSCLOUD_OAUTHCLIENT_SECRET: 'prod-secret-value',
    });
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toMatch(/the target is environment prod's org, which is protected: run apply with --env prod/);
    expect((await live('prod')).templates).toEqual([]);
    // The same org by another spelling of its host: refused by its org id, before any change.
    const respelled = await cli(['apply', '--auto-approve'], {
      ...credentials(),
      GENESYSCLOUD_API_URL: emus.prod.url.replace('127.0.0.1', 'localhost'),
      GENESYSCLOUD_OAUTHCLIENT_ID: 'prod-client',
      GENESYSCLOUD_OAUTHCLIENT_SECRET: 'prod-secret-value',
    });
    expect(respelled.code, respelled.stderr).toBe(1);
    expect(respelled.stderr).toMatch(/the target is environment prod's org \(id [^)]+\), which is protected: run apply with --env prod/);
    expect((await live('prod')).templates).toEqual([]);

    const plan = await cli(['plan', '--env', 'prod', '--out', 'prod.json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain('plan saved to prod.json: apply it with `promptctl apply --env prod prod.json`');
    expect(plan.stderr).toMatch(/promotion: 2 of 2 versions brought to prod are published in staging as prod would run them/);
    // A plan for prod cannot be applied to staging.
    const elsewhere = await cli(['apply', '--env', 'staging', 'prod.json']);
    expect(elsewhere.code).toBe(1);
    // Naming the org the plan was made for (DESIGN §5: refused naming the orgs), not the target alone.
    expect(elsewhere.stderr).toMatch(/prod\.json was planned for environment prod's org "[^"]+" [^ ]+ at [^ ]+ \(client [^)]+\), but the target is environment staging's org "[^"]+" [^ ]+ at [^ ]+ \(client [^)]+\); nothing was applied\./);
    // And the command that applies it where it was planned for (it named the environment, not the flag).
    expect(elsewhere.stderr).toContain('To apply it where it was planned: `promptctl apply --env prod prod.json`.');

    const applied = await cli(['apply', '--env', 'prod', 'prod.json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await routes('prod')).toEqual([
      { version: '1.0.0', weight: 90 },
      { version: '1.1.0', weight: 10 },
    ]);
    expect((await live('prod')).filters).toEqual([]);
    const records = await auditRecords('.promptctl/envs/prod/audit.jsonl');
    expect(records.every((r) => r.environment === 'prod')).toBe(true);
  });

  it("refuses apply --env dev when dev's variables name protected prod's org (its host and client, or its org id)", async () => {
    const prodAsDev = (url: string) => ({
      ...credentials(),
      [`${PREFIX.dev}_API_URL`]: url,
      [`${PREFIX.dev}_OAUTHCLIENT_ID`]: 'prod-client',
      [`${PREFIX.dev}_OAUTHCLIENT_SECRET`]: 'prod-secret-value',
    });
    const same = await cli(['apply', '--env', 'dev', '--auto-approve'], prodAsDev(emus.prod.url));
    expect(same.code, same.stderr).toBe(1);
    expect(same.stderr).toMatch(
      /error: the target is environment prod's org, which is protected, but this is an apply to environment dev: point dev's variables \(PCTL_T_DEV_\*\) at dev's own org, or run apply with --env prod so that its rules apply; nothing was applied/,
    );
    // Another spelling of prod's host: the same org by its id, refused before any change.
    const respelled = await cli(['apply', '--env', 'dev', '--auto-approve'], prodAsDev(emus.prod.url.replace('127.0.0.1', 'localhost')));
    expect(respelled.code, respelled.stderr).toBe(1);
    expect(respelled.stderr).toMatch(/error: the target is environment prod's org \(id [^)]+\), which is protected, but this is an apply to environment dev/);
    expect(respelled.stderr).not.toMatch(/\n\s+at /);
    expect((await live('prod')).templates).toEqual([]);
    expect(existsSync(join(dir.path, '.promptctl/envs/dev/audit.jsonl'))).toBe(false);
    // prod's org not read (here its variables' secret is refused; a slow org alike): with prod's
    // OAuth client, dev's apply may be prod's org under another host's name, so it is refused, and
    // says why; with dev's own client it goes on, warned (a review: it applied silently).
    const unreadProd = { ...prodAsDev(emus.prod.url.replace('127.0.0.1', 'localhost')), [`${PREFIX.prod}_OAUTHCLIENT_SECRET`]: 'not-the-secret' };
    const unread = await cli(['apply', '--env', 'dev', '--auto-approve'], unreadProd);
    expect(unread.code, unread.stderr).toBe(1);
    expect(unread.stderr).toMatch(/error: environment prod's org could not be read to tell that this target \(org id [^)]+\) is not it \([^\n]*401[^\n]*\), and this apply signs in with prod's OAuth client: it may be prod's org under another host's name, which is protected\. Run apply again once prod's org answers, or without PCTL_T_PROD_\* set if this target is not prod's org; nothing was applied/);
    expect(unread.stderr).not.toContain('not-the-secret');
    expect((await live('prod')).templates).toEqual([]);
    const ownClient = await cli(['apply', '--env', 'dev', '--auto-approve'], { ...credentials(), [`${PREFIX.prod}_OAUTHCLIENT_SECRET`]: 'not-the-secret' });
    expect(ownClient.code, ownClient.stderr).toBe(0);
    expect(ownClient.stderr).toMatch(/warning: environment prod's org could not be read to tell that this target \(org id [^)]+\) is not it \([^\n]*\): applying on, since this apply signs in with another OAuth client than prod's/);
    expect((await live('prod')).templates).toEqual([]);
    // prod's own apply is never refused as "prod's org"; dev's own org applies as before.
    const own = await cli(['apply', '--env', 'prod', '--auto-approve']);
    expect(own.stderr).not.toMatch(/the target is environment prod's org/);
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
  });

  it('refuses for prod a version staging never published: in plan, apply and promote', async () => {
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    expect((await cli(['plan', '--env', 'prod', '--out', 'prod.json'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'prod', 'prod.json'])).code).toBe(0);

    // 1.2.0: a new version, routed in prod at 5 %.
    const v120 = BILLING.split('---').at(-1)!.replace('1.1.0', '1.2.0').replace('briefly', 'very briefly');
    await writeFile(join(dir.path, 'prompts/billing.yaml'), `${BILLING}---${v120}`);
    await writeFile(
      join(dir.path, 'prompts/billing-split.yaml'),
      SPLIT.replace('          weight: 90', '          weight: 85').replace(/(- version: 1\.1\.0\n {10}weight: 10\n)/, '$1        - version: 1.2.0\n          weight: 5\n'),
    );

    // staging is not protected: dev never ran 1.2.0 is a warning there.
    const stagingPlan = await cli(['plan', '--env', 'staging']);
    expect(stagingPlan.code, stagingPlan.stderr).toBe(0);
    // The text plan lists it under Warnings (once: not again on stderr).
    expect(stagingPlan.stdout).toMatch(/Warnings \(1\):\n {2}! PromptVersion\/billing@1\.2\.0 \(prompts\/billing\.yaml:\d+:\d+\) \[promotion\/not-in-previous\]\n {4}version 1\.2\.0 of template "billing" would be published in staging, but dev \(before staging in promotion\) does not hold it published \(never applied there, or retired since\)/);
    expect(stagingPlan.stderr).not.toMatch(/warning: PromptVersion\/billing@1\.2\.0/);

    // prod is protected: an error of the plan, naming the version and staging.
    const prodPlan = await cli(['plan', '--env', 'prod', '--out', 'prod2.json', '--format', 'json']);
    expect(prodPlan.code).toBe(1);
    const doc = JSON.parse(prodPlan.stdout);
    expect(doc.problems).toEqual([
      expect.objectContaining({ address: 'PromptVersion/billing@1.2.0', rule: 'promotion/not-in-previous', message: expect.stringMatching(/staging \(before prod in promotion\) does not hold it published \(never applied there, or retired since\)/) }),
    ]);
    const saved = await cli(['apply', '--env', 'prod', 'prod2.json']);
    expect(saved.code).toBe(1);
    expect((await live('prod')).templates[0]!.versions!.map((v) => v.version).sort()).toEqual(['1.0.0', '1.1.0']);

    // Once staging has it, prod may.
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    const ok = await cli(['plan', '--env', 'prod', '--out', 'prod3.json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await cli(['apply', '--env', 'prod', 'prod3.json'])).code).toBe(0);
    expect(await routes('prod')).toEqual([
      { version: '1.0.0', weight: 85 },
      { version: '1.1.0', weight: 10 },
      { version: '1.2.0', weight: 5 },
    ]);
  });

  it('puts the promotion warning of an unprotected environment in the plan document and PR comment, and does not say to apply a plan that has problems', async () => {
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    const v120 = BILLING.split('---').at(-1)!.replace('1.1.0', '1.2.0').replace('briefly', 'very briefly');
    await writeFile(join(dir.path, 'prompts/billing.yaml'), `${BILLING}---${v120}`);
    await writeFile(join(dir.path, 'prompts/billing-split.yaml'), SPLIT.replace(/(- version: 1\.1\.0\n {10}weight: 10\n)/, '$1        - version: 1.2.0\n          weight: 0\n').replace('      weight: 50\n    - version: 1.1.0\n      weight: 50', '      weight: 50\n    - version: 1.1.0\n      weight: 40\n    - version: 1.2.0\n      weight: 10'));

    // staging (not protected): the warning reaches the PR comment and the JSON plan, not only stderr.
    const md = await cli(['plan', '--env', 'staging', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/Warnings \(1\)/);
    expect(md.stdout.split('\n')[0]).toMatch(/^\*\*Plan:\*\* 1 to create, 1 to update, 0 to delete \(.*⚠️ 1 warning\)$/);
    expect(md.stdout).toMatch(/PromptVersion\/billing@1\.2\.0.*promotion\/not-in-previous.*dev \(before staging in promotion\) does not hold it published \(never applied there, or retired since\)/);
    const json = await cli(['plan', '--env', 'staging', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.problems).toEqual([]);
    expect(doc.warnings).toEqual([expect.objectContaining({ address: 'PromptVersion/billing@1.2.0', rule: 'promotion/not-in-previous' })]);
    // prod (protected): saved for review, but not with an invitation to apply what apply refuses.
    const prod = await cli(['plan', '--env', 'prod', '--out', 'prod.json']);
    expect(prod.code).toBe(1);
    expect(prod.stderr).not.toMatch(/apply it with/);
    expect(prod.stderr).toMatch(/plan saved to prod\.json for review: it has 1 problem, so apply would refuse it/);
    // The saved plan with its warning is still a valid plan file that apply takes.
    expect((await cli(['plan', '--env', 'staging', '--out', 'staging.json'])).code).toBe(0);
    const shown = await cli(['show', 'staging.json']);
    expect(shown.code).toBe(0);
    // Where in git, as the JSON has it (file:line:column): the text plan said no place.
    const at = `${doc.warnings[0].file}:${doc.warnings[0].line}:${doc.warnings[0].column}`;
    expect(at).toMatch(/^prompts\/billing\.yaml:\d+:\d+$/);
    expect(shown.stdout).toContain(`Warnings (1):\n  ! PromptVersion/billing@1.2.0 (${at}) [promotion/not-in-previous]`);
    expect(md.stdout).toContain(`**PromptVersion/billing@1.2.0** (${at}) \`promotion/not-in-previous\``);
    const applied = await cli(['apply', '--env', 'staging', 'staging.json']);
    expect(applied.code, applied.stderr).toBe(0);
    // apply says the warning on stderr (its plan output has no Warnings section of its own).
    expect(applied.stderr).toContain(`warning: PromptVersion/billing@1.2.0 (${at}): version 1.2.0`);
    expect(applied.stderr).toMatch(/warning: PromptVersion\/billing@1\.2\.0 \(prompts\/billing\.yaml:\d+:\d+\): version 1\.2\.0 of template "billing" would be published in staging, but dev \(before staging in promotion\) does not hold it published \(never applied there, or retired since\)/);
  });

  it("says how to plan prod again when its saved plan is stale: with --env prod and the file, not the embedded emulator's plan", async () => {
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    expect((await cli(['plan', '--env', 'prod', '--out', 'prod.json'])).code).toBe(0);
    // Someone else applies to prod in between (the org moved since the plan).
    expect((await cli(['plan', '--env', 'prod', '--out', 'other.json'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'prod', 'other.json'])).code).toBe(0);
    await writeFile(join(dir.path, 'prompts/billing-split.yaml'), SPLIT.replace('          weight: 90', '          weight: 80').replace('          weight: 10', '          weight: 20'));
    expect((await cli(['plan', '--env', 'prod', '--out', 'prod.json'])).code).toBe(0);
    await writeFile(join(dir.path, 'prompts/billing-split.yaml'), SPLIT.replace('          weight: 90', '          weight: 70').replace('          weight: 10', '          weight: 30'));
    expect((await cli(['plan', '--env', 'prod', '--out', 'other.json'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'prod', 'other.json'])).code).toBe(0);
    await writeFile(join(dir.path, 'prompts/billing-split.yaml'), SPLIT.replace('          weight: 90', '          weight: 80').replace('          weight: 10', '          weight: 20'));
    const stale = await cli(['apply', '--env', 'prod', 'prod.json']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/prod\.json is stale/);
    expect(stale.stderr).toContain('Run `promptctl plan --env prod --out prod.json` again and review the new plan.');
  });

  it('audit verify without --env, when only environments applied, points at their own trails', async () => {
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    const r = await cli(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: .promptctl/audit.jsonl: not found: no audit trail here (it is written by promptctl apply without --env); each environment has its own trail: `promptctl audit verify --env dev` (configured: dev, staging, prod)');
    expect((await cli(['audit', 'verify', '--env', 'dev'])).code).toBe(0);
  });

  it('refuses to promote in prod a version staging has not published, and leaves the file alone', async () => {
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    const v120 = BILLING.split('---').at(-1)!.replace('1.1.0', '1.2.0').replace('briefly', 'very briefly');
    await writeFile(join(dir.path, 'prompts/billing.yaml'), `${BILLING}---${v120}`);
    const before = await readFile(join(dir.path, 'prompts/billing-split.yaml'), 'utf8');
    const r = await cli(['promote', 'billing', '1.2.0', '--weight', '10', '--env', 'prod']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('target: git working tree (prompts/), environment prod');
    expect(r.stderr).toMatch(/error: PromptVersion\/billing@1\.2\.0: version 1\.2\.0 of template "billing" would be given more traffic in prod, but staging/);
    expect(r.stderr).toMatch(/environment prod is protected: 1\.2\.0 cannot be promoted there before staging has run it/);
    expect(await readFile(join(dir.path, 'prompts/billing-split.yaml'), 'utf8')).toBe(before);
  });

  it('is not held up, applying with or without --env, by a protected org that does not answer (its id is a quick probe)', async () => {
    // prod's variables name a server that accepts connections and never answers (a VPN down, a firewall).
    const silent = await silentServer();
    try {
      const bare = { GENESYSCLOUD_API_URL: emus.dev.url, GENESYSCLOUD_OAUTHCLIENT_ID: 'dev-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'dev-secret-value' };
      for (const [args, extra] of [[[], bare], [['--env', 'dev'], {}]] as const) {
        const r = await cli(['apply', ...args, '--auto-approve'], { ...credentials(), [`${PREFIX.prod}_API_URL`]: silent.url, ...extra });
        expect(r.code, r.stderr).toBe(0);
        expect((await live('dev')).templates.length).toBeGreaterThan(0);
      }
      expect(silent.connections()).toBeGreaterThan(0);
    } finally {
      await silent.close();
    }
  });

  it('is not held up planning staging by a dev org that does not answer: its promotion check only warns, so it is quick', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const r = await cli(['plan', '--env', 'staging', '--format', 'json'], { ...credentials(['staging']), [`${PREFIX.dev}_API_URL`]: silent.url, [`${PREFIX.dev}_OAUTHCLIENT_ID`]: 'dev-client', [`${PREFIX.dev}_OAUTHCLIENT_SECRET`]: 'dev-secret-value' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/warning: cannot check promotion from dev to staging: /);
      // The plan (and so the PR comment) says the check did not happen, rather than nothing.
      expect(JSON.parse(r.stdout).warnings).toEqual([expect.objectContaining({ address: '(plan)', rule: 'promotion/not-checked', message: expect.stringMatching(/^cannot check promotion from dev to staging: /) })]);
      expect(Date.now() - started).toBeLessThan(30_000);
      // In text the plan lists it under Warnings, once: not again on stderr (as for a promotion gap).
      const text = await cli(['plan', '--env', 'staging'], { ...credentials(['staging']), [`${PREFIX.dev}_API_URL`]: silent.url, [`${PREFIX.dev}_OAUTHCLIENT_ID`]: 'dev-client', [`${PREFIX.dev}_OAUTHCLIENT_SECRET`]: 'dev-secret-value' });
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/Warnings \(1\):\n {2}! \(plan\) \[promotion\/not-checked\]\n {4}cannot check promotion from dev to staging: /);
      expect(text.stderr).not.toMatch(/cannot check promotion/);
    } finally {
      await silent.close();
    }
  });

  it("shows a dev org's error words in the promotion warning with their escapes as text", async () => {
    // dev's org answers every call with an error whose code and message hold terminal escapes.
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'bad.\u001b]0;pwned\u0007request', message: 'no \u001b[2Jway', status: 400 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await cli(['plan', '--env', 'staging', '--format', 'json'], { ...credentials(['staging']), [`${PREFIX.dev}_API_URL`]: url, [`${PREFIX.dev}_OAUTHCLIENT_ID`]: 'dev-client', [`${PREFIX.dev}_OAUTHCLIENT_SECRET`]: 'dev-secret-value' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/warning: cannot check promotion from dev to staging: .*bad\.\\u001b\]0;pwned\\u0007request/);
      expect(r.stderr).not.toMatch(/[\u001b\u0007]/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('does not probe protected orgs for an apply to the embedded emulator, which is nobody’s org', async () => {
    const silent = await silentServer();
    try {
      const r = await cli(['apply', '--auto-approve'], { [`${PREFIX.prod}_API_URL`]: silent.url, [`${PREFIX.prod}_OAUTHCLIENT_ID`]: 'prod-client', [`${PREFIX.prod}_OAUTHCLIENT_SECRET`]: 'prod-secret-value' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.split('\n')[0]).toMatch(/^target: embedded emulator/);
      expect(silent.connections()).toBe(0);
    } finally {
      await silent.close();
    }
  });

  it("warns an apply without --env whose target is an unprotected environment's org: every document goes there, and its records to the plain trail", async () => {
    // A review: a staging-only filter was created in dev's org, and its records went to the trail of
    // runs without --env, without a word.
    const r = await cli(['apply', '--auto-approve'], { ...credentials(), GENESYSCLOUD_API_URL: emus.dev.url, GENESYSCLOUD_OAUTHCLIENT_ID: 'dev-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'dev-secret-value' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "warning: the target is environment dev's org (the same API host and OAuth client as PCTL_T_DEV_*), but this apply names no environment: every document is applied, those kept out of dev too, and its records go to the trail of runs without --env, not dev's; run apply with --env dev",
    );
    // Its own apply says nothing of it.
    expect((await cli(['plan', '--env', 'dev'])).stderr).not.toContain("the target is environment dev's org");
  });

  it("refuses to check prod's promotion against an empty local staging when only prod's credentials are set", async () => {
    const r = await cli(['plan', '--env', 'prod'], credentials(['prod']));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: cannot check promotion from staging to prod \(prod is protected\): staging's credentials \(PCTL_T_STAGING_OAUTHCLIENT_ID, PCTL_T_STAGING_OAUTHCLIENT_SECRET\) are not set here, so its org cannot be read/,
    );
    // staging is not protected: a warning, and the plan goes on
    const staging = await cli(['plan', '--env', 'staging'], credentials(['staging']));
    expect(staging.code, staging.stderr).toBe(0);
    // (listed by the text plan under Warnings; JSON and markdown runs say it on stderr too)
    expect(staging.stdout).toMatch(/! \(plan\) \[promotion\/not-checked\]\n {4}cannot check promotion from dev to staging: dev's credentials/);
    const json = await cli(['plan', '--env', 'staging', '--format', 'json'], credentials(['staging']));
    expect(json.stderr).toMatch(/warning: cannot check promotion from dev to staging: dev's credentials/);
  });

  it("refuses to check prod's promotion against prod's own org when staging's variables name it (copied from prod's)", async () => {
    // staging's variables hold prod's host and client: reading "staging" reads prod, where every
    // change prod already holds is found, as though staging had run it.
    const mixed = { ...credentials(['dev', 'prod']), [`${PREFIX.staging}_API_URL`]: emus.prod.url, [`${PREFIX.staging}_OAUTHCLIENT_ID`]: 'prod-client', [`${PREFIX.staging}_OAUTHCLIENT_SECRET`]: 'prod-secret-value' };
    const r = await cli(['plan', '--env', 'prod'], mixed);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: cannot check promotion from staging to prod \(prod is protected\): staging's variables \(PCTL_T_STAGING_\*\) name prod's own org \(the same API host 127\.0\.0\.1:\d+ and OAuth client prod…\), so reading it proves nothing of staging: point them at staging's org; nothing was done/,
    );
    expect(r.stderr).not.toMatch(/^promotion: /m);
    // staging is not protected: a warning (dev's variables holding staging's), and the plan goes on
    const staging = await cli(['plan', '--env', 'staging', '--format', 'json'], { ...credentials(['staging']), [`${PREFIX.dev}_API_URL`]: emus.staging.url, [`${PREFIX.dev}_OAUTHCLIENT_ID`]: 'staging-client', [`${PREFIX.dev}_OAUTHCLIENT_SECRET`]: 'staging-secret-value' });
    expect(staging.code, staging.stderr).toBe(0);
    expect(JSON.parse(staging.stdout).warnings).toEqual([expect.objectContaining({ rule: 'promotion/not-checked', message: expect.stringMatching(/dev's variables \(PCTL_T_DEV_\*\) name staging's own org/) })]);
  });

  it("tells prod's own org read under another spelling of its host by its id: no promotion proven (a review bypassed prod's gate with localhost)", async () => {
    // staging's variables name prod's org through localhost, where prod's say 127.0.0.1: the host
    // check passed, and every version prod holds read as run in staging.
    const alias = emus.prod.url.replace('127.0.0.1', 'localhost');
    const mixed = { ...credentials(['dev', 'prod']), [`${PREFIX.staging}_API_URL`]: alias, [`${PREFIX.staging}_OAUTHCLIENT_ID`]: 'prod-client', [`${PREFIX.staging}_OAUTHCLIENT_SECRET`]: 'prod-secret-value' };
    const r = await cli(['plan', '--env', 'prod'], mixed);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: cannot check promotion from staging to prod \(prod is protected\): staging's variables \(PCTL_T_STAGING_\*\) name prod's own org \(id [0-9a-f-]+, read through localhost:\d+\), so reading it proves nothing of staging: point them at staging's org; nothing was done/,
    );
    expect(r.stderr).not.toMatch(/^promotion: /m);
  });

  it("promote judges more traffic against what prod's org routes now, as plan does: a hotfix routed there by hand is no promotion (a review)", async () => {
    for (const e of ['dev', 'staging'] as const) expect((await cli(['apply', '--env', e, '--auto-approve'])).code).toBe(0);
    expect((await cli(['plan', '--env', 'prod', '--out', 'prod.json'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'prod', 'prod.json'])).code).toBe(0);
    // In prod, by hand: 1.2.0 made, published and given every call (staging never ran it).
    const t = (await live('prod')).templates.find((x) => x.name === 'billing')!;
    const v = t.versions!.find((x) => x.version === '1.1.0')!;
    await emus.prod.api.createVersion(t.id, { version: '1.2.0', systemInstruction: v.systemInstruction, userTemplate: v.userTemplate, variables: v.variables });
    await emus.prod.api.publishVersion(t.id, '1.2.0');
    await emus.prod.api.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.2.0', weight: 100 }], version: t.traffic!.version });
    // git takes the hotfix in: 1.2.0 declared, prod's routes brought to it.
    await writeFile(join(dir.path, 'prompts/billing.yaml'), `${BILLING}---\n${billingVersion('1.2.0', 'You answer billing questions briefly.')}`);
    const r = await cli(['promote', 'billing', '1.2.0', '--weight', '100', '--env', 'prod']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/cannot be promoted there/);
    // A version the org does not route yet is still checked: 1.1.0 back to 100 % would be more than its 0 % there... and staging ran it.
    const back = await cli(['promote', 'billing', '1.1.0', '--weight', '100', '--env', 'prod']);
    expect(back.code, back.stderr).toBe(0);
  });

  it("refuses for prod more traffic to a version staging runs on another model (billing's model changed there by hand)", async () => {
    for (const e of ['dev', 'staging'] as const) expect((await cli(['apply', '--env', e, '--auto-approve'])).code).toBe(0);
    expect((await cli(['plan', '--env', 'prod', '--out', 'prod.json'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'prod', 'prod.json'])).code).toBe(0);
    // In staging, by hand: billing on gpt-4o-mini, so staging now runs 1.1.0 (no model of its own) on it.
    const t = (await live('staging')).templates.find((x) => x.name === 'billing')!;
    await emus.staging.api.updateTemplate(t.id, { name: t.name, model: 'gpt-4o-mini', labels: t.labels, version: t.version });

    // prod's canary of 1.1.0, 10 % → 30 %: prod would run it on gpt-4o, which staging no longer does.
    await writeFile(join(dir.path, 'prompts/billing-split.yaml'), SPLIT.replace('          weight: 90', '          weight: 70').replace('          weight: 10', '          weight: 30'));
    const plan = await cli(['plan', '--env', 'prod', '--format', 'json']);
    expect(plan.code, plan.stderr).toBe(1);
    expect(plan.stderr).toMatch(/promotion: 0 of 1 version brought to prod is published in staging as prod would run it/);
    expect(JSON.parse(plan.stdout).problems).toEqual([
      expect.objectContaining({
        address: 'PromptVersion/billing@1.1.0',
        rule: 'promotion/not-in-previous',
        message: expect.stringMatching(/version 1\.1\.0 of template "billing" would run on model gpt-4o in prod, but staging \(before prod in promotion\) runs it on gpt-4o-mini.*\(waiting: applying this commit to staging closes it\)$/),
      }),
    ]);
    const promoted = await cli(['promote', 'billing', '1.1.0', '--weight', '40', '--env', 'prod', '--dry-run']);
    expect(promoted.code, promoted.stderr).toBe(1);
    expect(promoted.stderr).toMatch(/error: PromptVersion\/billing@1\.1\.0: version 1\.1\.0 of template "billing" would run on model gpt-4o in prod, but staging/);

    // staging's apply puts billing back on gpt-4o: then prod may.
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    const ok = await cli(['plan', '--env', 'prod', '--format', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/promotion: 1 of 1 version brought to prod is published in staging as prod would run it/);
  });

  it('keeps each environment in its own embedded emulator when its credentials are not set', async () => {
    const r = await cli(['apply', '--env', 'staging', '--auto-approve'], {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe('target: embedded emulator (state .promptctl/envs/staging/local-state.json), environment staging');
    expect(existsSync(join(dir.path, '.promptctl/envs/staging/local-state.json'))).toBe(true);
    expect(existsSync(join(dir.path, '.promptctl/local-state.json'))).toBe(false);
    const dev = await cli(['plan', '--env', 'dev', '--detailed-exitcode'], {});
    expect(dev.code).toBe(2); // dev's embedded org is still empty
    const again = await cli(['plan', '--env', 'staging', '--detailed-exitcode'], {});
    expect(again.code, again.stdout).toBe(0);
    // PROMPTCTL_ENV chooses when --env is not given.
    const byVariable = await cli(['plan', '--detailed-exitcode'], { PROMPTCTL_ENV: 'staging' });
    expect(byVariable.code).toBe(0);
    expect(byVariable.stderr.split('\n')[0]).toMatch(/environment staging$/);
  });

  it('names an unknown environment with a did-you-mean and the list, without a stack', async () => {
    for (const cmd of [['plan'], ['apply', '--auto-approve'], ['drift'], ['validate'], ['status'], ['run', 'billing'], ['export', '--out', 'x'], ['test']]) {
      const r = await cli([...cmd, '--env', 'prdo']);
      expect(r.code, cmd.join(' ')).toBe(1);
      expect(r.stderr.trim(), cmd.join(' ')).toBe('error: unknown environment "prdo" (--env) (did you mean "prod"?): prompts/promptctl.yaml configures dev, staging, prod; nothing was done');
    }
  });

  it('takes an environment name as data: Object.prototype\'s members are unknown environments, and nothing is made for them', async () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      for (const [args, env] of [[['plan', '--env', name], {}], [['plan'], { PROMPTCTL_ENV: name }]] as const) {
        const r = await cli(args, env);
        expect(r.code, `${args.join(' ')} ${JSON.stringify(env)}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toContain(`error: unknown environment "${name}"`);
        expect(r.stderr).toContain('configures dev, staging, prod; nothing was done');
      }
      expect(existsSync(join(dir.path, '.promptctl/envs', name))).toBe(false);
    }
  });

  it('names the variables to set when an environment has part of its credentials', async () => {
    const r = await cli(['plan', '--env', 'prod'], { PCTL_T_PROD_OAUTHCLIENT_ID: 'prod-client' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: incomplete Genesys Cloud target for environment prod: PCTL_T_PROD_REGION \(or PCTL_T_PROD_API_URL, or region in environment prod of promptctl\.yaml\), PCTL_T_PROD_OAUTHCLIENT_SECRET not set/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The GENESYSCLOUD_* variables are not what an environment reads.
    const other = await cli(['plan', '--env', 'prod'], { GENESYSCLOUD_API_URL: emus.prod.url, PCTL_T_PROD_OAUTHCLIENT_SECRET: 'prod-secret-value' });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/PCTL_T_PROD_OAUTHCLIENT_ID/);
  });

  it('says there are no environments to choose from when the config names none', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec: {}\n');
    await writeFile(join(dir.path, 'prompts/filters.yaml'), STAGING_FILTER.replace('  environments: [staging]\n', ''));
    await writeFile(join(dir.path, 'prompts/billing-split.yaml'), SPLIT.split('  environments:')[0]!);
    const r = await cli(['plan', '--env', 'prod']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --env names environment "prod", but prompts\/promptctl\.yaml configures no environments/);
    // Without --env, as always: the GENESYSCLOUD_* target.
    const plain = await cli(['plan', '--detailed-exitcode'], { GENESYSCLOUD_API_URL: emus.dev.url, GENESYSCLOUD_OAUTHCLIENT_ID: 'dev-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'dev-secret-value' });
    expect(plain.code, plain.stderr).toBe(2);
    expect(plain.stderr.split('\n')[0]).toBe(`target: ${emus.dev.url} (client dev-…)`);
  });

  it('says what stands at promptctl.yaml when it holds no Config (empty, or a directory), not that there is none', async () => {
    const config = join(dir.path, 'prompts/promptctl.yaml');
    await writeFile(config, '# nothing yet\n');
    const empty = await cli(['plan', '--env', 'dev']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^error: --env names environment "dev", but prompts\/promptctl\.yaml holds no Config document: add it under spec\.environments/m);
    await rm(config);
    await mkdir(config);
    const folder = await cli(['plan', '--env', 'dev']);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/^error: --env names environment "dev", but prompts\/promptctl\.yaml is not a file: add it under spec\.environments/m);
    // A config written as promptctl.yml was "there is no prompts/promptctl.yaml", the .yml beside it unmentioned.
    await rm(config, { recursive: true });
    await writeFile(join(dir.path, 'prompts/promptctl.yml'), CONFIG);
    const yml = await cli(['plan', '--env', 'dev']);
    expect(yml.code).toBe(1);
    expect(yml.stderr).toMatch(/^error: --env names environment "dev", but there is no prompts\/promptctl\.yaml \(prompts\/promptctl\.yml is there: rename it, promptctl reads only promptctl\.yaml\); nothing was done$/m);
    // Another case (one file on macOS, another here) was not named either.
    await rm(join(dir.path, 'prompts/promptctl.yml'));
    await writeFile(join(dir.path, 'prompts/Promptctl.yaml'), CONFIG);
    const cased = await cli(['plan', '--env', 'dev']);
    expect(cased.code).toBe(1);
    expect(cased.stderr).toMatch(/^error: --env names environment "dev", but there is no prompts\/promptctl\.yaml \(prompts\/Promptctl\.yaml is there: rename it, promptctl reads only promptctl\.yaml\); nothing was done$/m);
  });

  it('names a Config document written in another file of the prompts directory, where validate names it', async () => {
    await rm(join(dir.path, 'prompts/promptctl.yaml'));
    await mkdir(join(dir.path, 'prompts/settings'), { recursive: true });
    await writeFile(join(dir.path, 'prompts/settings/config.yaml'), `# moved here by mistake\n${CONFIG}`);
    const r = await cli(['plan', '--env', 'dev']);
    expect(r.code).toBe(1);
    const line = `# moved here by mistake\n${CONFIG}`.split('\n').findIndex((l) => l.startsWith('kind: Config')) + 1;
    expect(r.stderr).toBe(
      `error: --env names environment "dev", but there is no prompts/promptctl.yaml (prompts/settings/config.yaml:${line}:7 holds a Config document: move it there, promptctl reads the Config only from promptctl.yaml at the top of the prompts directory); nothing was done\n`,
    );
    const v = await cli(['validate']);
    expect(v.stdout).toContain(`prompts/settings/config.yaml:${line}:7: error: the Config document belongs in promptctl.yaml`);
  });
});

describe('test across environments', () => {
  // A test limited to dev was "no PromptTest named …" in staging, as if it did not exist.
  it('says a PromptTest is limited to other environments, where it is, rather than that it does not exist', async () => {
    await writeFile(
      join(dir.path, 'prompts/dev-only.yaml'),
      'apiVersion: promptctl/v1\nkind: PromptTest\nmetadata:\n  name: dev-only\n  environments: [dev]\nspec:\n  target: {template: billing}\n  cases:\n    - name: c\n      vars: {question: hi}\n      expect:\n        - contains: x\n',
    );
    const r = await cli(['test', 'dev-only', '--env', 'staging']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('PromptTest "dev-only" is limited to dev by its metadata.environments at prompts/dev-only.yaml:5:');
    expect(r.stderr).toContain('so environment staging does not run it');
    const typo = await cli(['test', 'dev-onl', '--env', 'staging']);
    expect(typo.stderr).toContain('no PromptTest named "dev-onl"');
  });

  // `status --env dev --dir nope` said "there is no nope/promptctl.yaml: add it under spec.environments".
  it('names a --dir that is not there as such, for every command that reads its environments', async () => {
    for (const args of [['status', '--env', 'dev', '--dir', 'nope'], ['plan', '--env', 'dev', '--dir', 'nope']]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('prompts directory "nope" not found');
    }
  });
});

describe('validate across environments', () => {
  it("checks every environment's state: a route in prod to a version limited to staging is an error at its line", async () => {
    const limited = BILLING.replace('  template: billing\n  version: 1.1.0', '  template: billing\n  version: 1.1.0').replace(
      'kind: PromptVersion\nspec:\n  template: billing\n  version: 1.1.0',
      'kind: PromptVersion\nmetadata:\n  environments: [dev, staging]\nspec:\n  template: billing\n  version: 1.1.0',
    );
    await writeFile(join(dir.path, 'prompts/billing.yaml'), limited);
    const r = await cli(['validate']);
    expect(r.code).toBe(1);
    const line = SPLIT.split('\n').findIndex((l) => l.includes('        - version: 1.1.0')) + 1;
    expect(r.stdout).toContain(
      `prompts/billing-split.yaml:${line}:20: error: in environment prod, the split of template "billing" routes to version 1.1.0, which is not in prod: PromptVersion billing@1.1.0 is limited to dev, staging by its metadata.environments at prompts/billing.yaml:`,
    );
    expect(r.stdout.match(/error:/g)).toHaveLength(1);
    // staging alone is fine; prod alone has the error.
    expect((await cli(['validate', '--env', 'staging'])).code).toBe(0);
    expect((await cli(['validate', '--env', 'prod'])).code).toBe(1);
    // So plan of prod refuses before reading anything.
    const plan = await cli(['plan', '--env', 'prod']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/routes to version 1\.1\.0, which is not in prod/);
  });

  it('names an unknown environment in metadata.environments and in a split override, with a did-you-mean', async () => {
    await writeFile(join(dir.path, 'prompts/filters.yaml'), STAGING_FILTER.replace('[staging]', '[stagign]'));
    await writeFile(join(dir.path, 'prompts/billing-split.yaml'), SPLIT.replace('    prod:\n', '    prd:\n'));
    const r = await cli(['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/prompts\/filters\.yaml:5:18: error: metadata\.environments names environment "stagign", which promptctl\.yaml does not configure \(did you mean "staging"\?\); its environments: dev, staging, prod \[environments\/unknown\]/);
    expect(r.stdout).toMatch(/prompts\/billing-split\.yaml:\d+:\d+: error: the split of template "billing" names environment "prd", which promptctl\.yaml does not configure \(did you mean "prod"\?\)/);
  });
});

const GUIDE = `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Returns
spec:
  instruction: "Help {{Variable.first_name}} with a return."
  variables:
    - {name: first_name, type: String, scope: Input}
`;

const SUMMARY = `apiVersion: promptctl/v1
kind: SummarySetting
metadata:
  name: Voice wrap-up
spec:
  language: en-US
  prompt: |
    Summarise the call in three sentences.
`;

/**
 * Three orgs of this test's own (AI Studio objects are not cleaned up between tests, and a
 * surface may be switched off), and the prompts directory holding only `files` besides the config.
 */
async function ownOrgs(files: Record<string, string>, options: Partial<Record<Env, EmulatorOptions>> = {}) {
  const orgs = {} as Record<Env, TestEmulator>;
  const env: Record<string, string> = {};
  for (const e of ENVS) {
    orgs[e] = await startTestEmulator({ clientId: `${e}-client`, clientSecret: `${e}-secret-value`, ...options[e] });
    Object.assign(env, { [`${PREFIX[e]}_API_URL`]: orgs[e].url, [`${PREFIX[e]}_OAUTHCLIENT_ID`]: `${e}-client`, [`${PREFIX[e]}_OAUTHCLIENT_SECRET`]: `${e}-secret-value` });
  }
  for (const f of ['billing.yaml', 'billing-split.yaml', 'filters.yaml']) await rm(join(dir.path, 'prompts', f));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir.path, 'prompts', name), text);
  return {
    run: (args: readonly string[]) => cli(args, env),
    close: async () => {
      for (const e of ENVS) await orgs[e].close();
    },
  };
}

describe('promotion from an org without a surface', () => {
  it('makes each version a problem for prod when staging does not serve the LLM Gateway, and plans on', async () => {
    const orgs = await ownOrgs({ 'billing.yaml': BILLING }, { staging: { surfaces: { llmgateway: false } } });
    try {
      const plan = await orgs.run(['plan', '--env', 'prod', '--format', 'json']);
      expect(plan.code, plan.stderr).toBe(1);
      expect(plan.stderr).not.toMatch(/error: cannot check promotion/);
      expect(JSON.parse(plan.stdout).problems).toEqual(
        ['1.0.0', '1.1.0'].map((v) =>
          expect.objectContaining({
            address: `PromptVersion/billing@${v}`,
            // Waiting never closes it: applying staging does not make its org serve the gateway.
            rule: 'promotion/never-in-previous',
            message: expect.stringMatching(/but staging \(before prod in promotion\) does not serve the LLM Gateway, so no version can run there first.*\(blocked: applying this commit to staging does not close it; fix git\)$/),
          }),
        ),
      );
    } finally {
      await orgs.close();
    }
  });
});

describe('promotion of AI Studio objects', () => {
  it('refuses for prod a guide staging holds only as a Draft (it never ran there), and never calls it published', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG.replace('guidePublish: TestReady', 'guidePublish: Draft'));
    const orgs = await ownOrgs({ 'guide.yaml': GUIDE });
    try {
      for (const e of ['dev', 'staging']) expect((await orgs.run(['apply', '--env', e, '--auto-approve'])).code).toBe(0);
      const plan = await orgs.run(['plan', '--env', 'prod', '--out', 'prod.json', '--format', 'json']);
      expect(plan.code, plan.stderr).toBe(1);
      expect(JSON.parse(plan.stdout).problems).toEqual([
        expect.objectContaining({
          address: 'Guide/Returns',
          // staging's own state (guidePublish: Draft) keeps it a Draft: applying this commit there never closes the gap.
          rule: 'promotion/never-in-previous',
          message: expect.stringMatching(/staging \(before prod in promotion\) holds that content only in a Draft version, which has not run there: publish it in staging first.*\(blocked: .*staging keeps this guide's content a Draft/),
        }),
      ]);
      expect(plan.stderr).toMatch(/promotion: 0 of 1 guide brought to prod is published in staging as prod would run it/);
      // Published to TestReady in staging, it ran there: prod may have it.
      await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
      expect((await orgs.run(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
      const ok = await orgs.run(['plan', '--env', 'prod', '--out', 'prod.json']);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stderr).toMatch(/promotion: 1 of 1 guide brought to prod is published in staging as prod would run it/);
    } finally {
      await orgs.close();
    }
  });

  it('refuses for prod a summary setting staging does not hold with the same content', async () => {
    const orgs = await ownOrgs({ 'summary.yaml': SUMMARY });
    try {
      const never = await orgs.run(['plan', '--env', 'prod', '--format', 'json']);
      expect(never.code, never.stderr).toBe(1);
      expect(JSON.parse(never.stdout).problems).toEqual([
        expect.objectContaining({
          address: 'SummarySetting/Voice wrap-up',
          rule: 'promotion/not-in-previous',
          message: expect.stringMatching(/^summary setting "Voice wrap-up" would be written in prod, but staging \(before prod in promotion\) has no summary setting of that name: apply it to staging first/),
        }),
      ]);
      for (const e of ['dev', 'staging']) expect((await orgs.run(['apply', '--env', e, '--auto-approve'])).code).toBe(0);
      const ok = await orgs.run(['plan', '--env', 'prod', '--out', 'prod.json']);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stderr).toMatch(/promotion: 1 of 1 summary setting brought to prod has the same content in staging/);
      expect((await orgs.run(['apply', '--env', 'prod', 'prod.json'])).code).toBe(0);
      // A new prompt, applied to dev only: prod may not have it before staging does.
      await writeFile(join(dir.path, 'prompts/summary.yaml'), SUMMARY.replace('three sentences', 'three sentences, with the card number'));
      expect((await orgs.run(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
      const newer = await orgs.run(['plan', '--env', 'prod', '--out', 'prod2.json', '--format', 'json']);
      expect(newer.code).toBe(1);
      expect(JSON.parse(newer.stdout).problems).toEqual([
        expect.objectContaining({
          address: 'SummarySetting/Voice wrap-up',
          message: expect.stringMatching(/staging \(before prod in promotion\) holds other content in its summary setting of that name \(\w{12}\): apply this content to staging first \(waiting: applying this commit to staging closes it\)$/),
        }),
      ]);
      const refused = await orgs.run(['apply', '--env', 'prod', 'prod2.json']);
      expect(refused.code).toBe(1);
      // staging is not protected: the same gap from dev is a warning there.
      await writeFile(join(dir.path, 'prompts/summary.yaml'), SUMMARY.replace('three sentences', 'two sentences'));
      const staging = await orgs.run(['plan', '--env', 'staging']);
      expect(staging.code, staging.stderr).toBe(0);
      // Listed by the text plan under Warnings.
      expect(staging.stdout).toMatch(/! SummarySetting\/Voice wrap-up \([^)]+\.yaml:\d+:\d+\) \[promotion\/not-in-previous\]\n {4}summary setting "Voice wrap-up" would get content \w{12} in staging, but dev \(before staging in promotion\) holds other content/);
    } finally {
      await orgs.close();
    }
  });
});

describe('promote and rollback', () => {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir.path, encoding: 'utf8' });
  beforeEach(async () => {
    // No promotion order here: promote and rollback only edit git (the check has its own test).
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG.replace('  promotion: [dev, staging, prod]\n', ''));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'Dev');
    git('add', '-A');
    git('commit', '-q', '-m', 'prompts');
  });

  /** The changed lines of `git diff` (without headers). */
  const changedLines = () =>
    git('diff', '-U0')
      .split('\n')
      .filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---) /.test(l));

  it('promote changes only the weight lines that must change, and prints the diff', async () => {
    const r = await cli(['promote', 'billing', '1.1.0', '--weight', '30', '--env', 'prod']);
    expect(r.code, r.stderr).toBe(0);
    expect(changedLines()).toEqual(['-          weight: 90', '+          weight: 70', '-          weight: 10', '+          weight: 30']);
    expect(r.stdout).toMatch(/^--- a\/prompts\/billing-split\.yaml\n\+\+\+ b\/prompts\/billing-split\.yaml\n/);
    expect(r.stdout).toContain('+          weight: 70');
    expect(r.stderr).toContain('TrafficSplit/billing in prod: 1.0.0 90% → 70%, 1.1.0 10% → 30%');
    expect(r.stderr).toMatch(/nothing was applied/);
    // comments kept
    expect(await readFile(join(dir.path, 'prompts/billing-split.yaml'), 'utf8')).toContain('- version: 1.0.0   # the safe one');

    // Without --env: the document's routes (dev and staging), not prod's override.
    git('commit', '-qam', 'prod 70/30');
    const all = await cli(['promote', 'billing', '1.1.0']);
    expect(all.code, all.stderr).toBe(0);
    expect(changedLines()).toEqual(['-      weight: 50', '+      weight: 0', '-      weight: 50', '+      weight: 100']);
    expect(all.stderr).toContain("note: without --env the split's own routes change: those of dev, staging; prod keeps its override");

    // Once prod routes by them too (its override gone), the note names it, protected.
    await writeFile(join(dir.path, 'prompts/billing-split.yaml'), SPLIT.replace(/\n {2}environments:[\s\S]*$/, '\n'));
    const shared = await cli(['promote', 'billing', '1.1.0', '--weight', '20', '--dry-run']);
    expect(shared.code, shared.stderr).toBe(0);
    expect(shared.stderr).toContain("note: without --env the split's own routes change: those of dev, staging, prod (prod protected)");
  });

  it('rollback routes everything back to the last version that held 100%, from git history', async () => {
    // history: prod at 100 % on 1.0.0, then a 10 % canary of 1.1.0, then 40 %.
    await cli(['promote', 'billing', '1.0.0', '--env', 'prod']);
    git('commit', '-qam', 'prod: all on 1.0.0');
    await cli(['promote', 'billing', '1.1.0', '--weight', '10', '--env', 'prod']);
    git('commit', '-qam', 'prod: canary 1.1.0');
    await cli(['promote', 'billing', '1.1.0', '--weight', '40', '--env', 'prod']);
    git('commit', '-qam', 'prod: 1.1.0 at 40');

    const r = await cli(['rollback', 'billing', '--env', 'prod']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(\d{4}-\d{2}-\d{2}, "prod: all on 1\.0\.0"\)/);
    expect(changedLines()).toEqual(['-          weight: 60', '+          weight: 100', '-          weight: 40', '+          weight: 0']);

    // Nothing earlier held 100 % of dev's routes (50/50 since the first commit).
    git('checkout', '-q', '--', '.');
    const none = await cli(['rollback', 'billing', '--env', 'dev']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no earlier commit of prompts\/billing-split\.yaml routes 100% of template "billing" in environment dev to one version/);
    // …and adds no override of dev's routes, which its note would say while nothing is written.
    expect(none.stderr).not.toMatch(/adding spec\.environments\.dev\.routes/);
    // …and says what undoes a promote instead: promote at 100 %, or a revert.
    expect(none.stderr).toContain('To route everything to one version, run `promptctl promote billing VERSION --weight 100 --env dev` (routes now: 1.0.0 50%, 1.1.0 50%), or git revert the commit that changed them');
    // A --dir of the user's own is in the command to copy (else it would edit ./prompts).
    const elsewhere = await cli(['rollback', 'billing', '--env', 'dev', '--dir', './prompts']);
    expect(elsewhere.stderr).toContain('run `promptctl promote billing VERSION --weight 100 --env dev --dir ./prompts`');
  });

  it('gives an environment its own routes when others share the document\'s, leaving every other line alone', async () => {
    const r = await cli(['promote', 'billing', '1.1.0', '--weight', '80', '--env', 'staging']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: dev shares the split's routes with staging: adding spec.environments.staging.routes/);
    const lines = changedLines();
    expect(lines.every((l) => l.startsWith('+'))).toBe(true);
    expect(lines).toEqual([
      '+    staging:',
      '+      routes:',
      '+        - version: 1.0.0',
      '+          weight: 20',
      '+        - version: 1.1.0',
      '+          weight: 80',
    ]);
    expect((await cli(['validate'])).code).toBe(0);
    const plan = await cli(['plan', '--env', 'staging', '--format', 'json'], {});
    expect(JSON.parse(plan.stdout).actions.find((a: { address: string }) => a.address === 'TrafficSplit/billing').desired.body.routes).toEqual([
      { version: '1.0.0', weight: 20 },
      { version: '1.1.0', weight: 80 },
    ]);
  });

  it('names metadata.environments when the version is declared only for other environments', async () => {
    await writeFile(join(dir.path, 'prompts/billing.yaml'), `${BILLING}---\n${billingVersion('1.2.0', 'You answer billing questions well.', 'staging, prod')}`);
    expect((await cli(['validate'])).code).toBe(0);
    const split = await readFile(join(dir.path, 'prompts/billing-split.yaml'), 'utf8');
    const r = await cli(['promote', 'billing', '1.2.0', '--env', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: version 1\.2\.0 of template "billing" is limited to staging, prod by its metadata\.environments at prompts\/billing\.yaml:\d+:\d+, so environment dev does not have it \(add dev there first\); nothing was changed/);
    expect(r.stderr).not.toMatch(/did you mean/);
    expect(await readFile(join(dir.path, 'prompts/billing-split.yaml'), 'utf8')).toBe(split);
  });

  it('refuses an undeclared version with a did-you-mean, and a weight out of range', async () => {
    const r = await cli(['promote', 'billing', '1.1.1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: template "billing" has no version 1\.1\.1 \(did you mean "1\.1\.0"\?\); declared: 1\.0\.0, 1\.1\.0; nothing was changed/);
    const w = await cli(['promote', 'billing', '1.1.0', '--weight', '120']);
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/--weight must be a whole number from 0 to 100/);
    expect(changedLines()).toEqual([]);
  });
});
