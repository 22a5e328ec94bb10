// Guides and summary settings through the CLI, on the repository's own example (prompts/): plan
// and apply on the embedded emulator, a published guide edited in git, hand edits seen by drift,
// export → plan, an org without the LLM Gateway, prune limited to what git history defined, and
// `promptctl emulator --surfaces`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_FILE, openAuditLog } from '../../src/audit/log.js';
import type { EmulatorOptions } from '../../src/emulator/server.js';
import { aiStudioWriteChecks, gatewayWriteChecks } from '../../src/kinds/index.js';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import { REPO, runCliInProcess, type CliResult } from '../helpers/cli.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

/** The addresses a text plan lists as changes (names may have spaces). */
function plannedChanges(planText: string): string[] {
  return [...planText.matchAll(/^ {2}[+~-] (create|update|delete) (.+)$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
}

const GUIDE = 'Guide/Returns assistant';
const SETTING = 'SummarySetting/Voice wrap-up (en-US)';

interface Example {
  dir: TempDir;
  emu?: TestEmulator;
  studio?: AiStudioApi;
  cli(args: readonly string[]): Promise<CliResult>;
  edit(file: string, from: string, to: string): Promise<void>;
  git(...args: string[]): string;
}

const open: Example[] = [];
afterEach(async () => {
  for (const x of open.splice(0)) {
    await x.studio?.close();
    await x.emu?.close();
    await x.dir.remove();
  }
});

/** A copy of the repository's example prompts; against the embedded emulator unless `emulator` is given. */
async function example(emulator?: EmulatorOptions): Promise<Example> {
  const dir = await tempDir('promptctl-example-');
  await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
  const emu = emulator ? await startTestEmulator(emulator) : undefined;
  const studio = emu
    ? createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' })
    : undefined;
  const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };
  const x: Example = {
    dir,
    ...(emu ? { emu } : {}),
    ...(studio ? { studio } : {}),
    cli: (args) => runCliInProcess(args, { cwd: dir.path, env: emu?.env ?? {} }),
    async edit(file, from, to) {
      const path = join(dir.path, file);
      const text = await readFile(path, 'utf8');
      if (!text.includes(from)) throw new Error(`edit: ${from} not in ${file}`);
      await writeFile(path, text.replace(from, to));
    },
    git: (...args) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir.path, env: gitEnv, encoding: 'utf8' }).trim(),
  };
  open.push(x);
  return x;
}

describe('the example guide and summary setting', () => {
  it('plans and applies on the embedded emulator; a second plan is empty', { timeout: 60_000 }, async () => {
    const x = await example();
    const plan = await x.cli(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plannedChanges(plan.stdout)).toEqual(expect.arrayContaining([`create ${GUIDE}`, `create ${SETTING}`]));
    expect(plan.stdout).toContain(
      'creates the guide (source Manual), writes this content into its first version (Genesys assigns the label) and publishes it to ProductionReady',
    );
    expect(plan.stdout).toMatch(/\+## Step 1: Greet/);
    expect(plan.stderr).not.toContain('does not serve');

    const applied = await x.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr + applied.stdout).toMatch(/Guide\/Returns assistant created guide \(id [^)]+\), wrote version 1\.0, published 1\.0 to ProductionReady/);
    const again = await x.cli(['plan', '--detailed-exitcode']);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('No changes.');
  });

  it('plans a new version for an edited instruction, with its diff, and applies it', { timeout: 60_000 }, async () => {
    const x = await example({});
    expect((await x.cli(['apply', '--auto-approve'])).code).toBe(0);
    await x.edit('prompts/guides/returns-assistant.md', 'Never promise a refund amount or date', 'Never promise a refund amount or a date');
    const plan = await x.cli(['plan', '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plannedChanges(plan.stdout)).toEqual([`update ${GUIDE}`]);
    expect(plan.stdout).toContain('a new version replaces production version 1.0; Genesys assigns its label');
    expect(plan.stdout).toContain('+Ask whether there is anything else you can help with. Never promise a refund amount or a date:');
    expect(plan.stdout).toMatch(/tokens: ≈[\d,]+ → ≈[\d,]+/);
    expect((await x.cli(['apply', '--auto-approve'])).code).toBe(0);
    const [g] = await x.studio!.listGuides({ name: 'Returns assistant' });
    expect(g!.latestProductionReadyVersion?.version).toBe('2.0');
    expect((await x.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('reports a guide and a setting edited by hand as drift, saying when', { timeout: 60_000 }, async () => {
    const x = await example({});
    expect((await x.cli(['apply', '--auto-approve'])).code).toBe(0);
    const [g] = await x.studio!.listGuides({ name: 'Returns assistant' });
    const v = await x.studio!.createGuideVersion(g!.id, { instruction: 'Be nice.\n' });
    await x.studio!.publishGuideVersion(g!.id, v.version, 'ProductionReady');
    const [s] = await x.studio!.listSummarySettings({ name: 'Voice wrap-up (en-US)' });
    const put = await x.studio!.putSummarySetting(s!.id, { ...s!, format: 'TextBlock' });
    const when = (await x.studio!.getGuide(g!.id)).dateModified;

    const r = await x.cli(['drift']);
    expect(r.code).toBe(2);
    const line = (address: string) => r.stdout.split('\n').find((l) => l.startsWith(`  ${address}:`))!;
    expect(line(GUIDE)).toContain(`last changed at ${when} (the target does not say by whom)`);
    expect(line(SETTING)).toContain(`differs from git: format; last changed at ${put.dateModified}`);
    expect(r.stderr).toContain('Drift: 2 differences');
  });

  it('exports guides (instruction in a .md) and settings so that a plan of the export is empty', { timeout: 60_000 }, async () => {
    const x = await example({});
    expect((await x.cli(['apply', '--auto-approve'])).code).toBe(0);
    const r = await x.cli(['export', '--out', 'exported']);
    expect(r.code, r.stderr).toBe(0);
    // One list, one "and" (it read "… and 3 safety filters, 1 guide and 1 summary setting").
    expect(r.stderr).toMatch(/^exported \d+ templates?, \d+ versions?, \d+ traffic splits?, \d+ safety filters?, 1 guide and 1 summary setting to exported \(/m);
    expect((await readdir(join(x.dir.path, 'exported/guides'))).sort()).toEqual(['returns-assistant.md', 'returns-assistant.yaml']);
    const yaml = await readFile(join(x.dir.path, 'exported/guides/returns-assistant.yaml'), 'utf8');
    expect(yaml).toContain('file: guides/returns-assistant.md');
    expect(await readFile(join(x.dir.path, 'exported/guides/returns-assistant.md'), 'utf8')).toBe(
      await readFile(join(x.dir.path, 'prompts/guides/returns-assistant.md'), 'utf8'),
    );
    const plan = await x.cli(['plan', '--dir', 'exported', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});

describe('export of guides made by hand', () => {
  it('leaves out, with a warning, a guide whose name promptctl YAML cannot hold, so the export still validates and plans', { timeout: 60_000 }, async () => {
    const x = await example({});
    expect((await x.cli(['apply', '--auto-approve'])).code).toBe(0);
    // Made in the org through the API: names AI Studio takes but a promptctl document cannot.
    for (const name of ['FAQ bot ', 'Shift\tnotes']) {
      const g = await x.studio!.createGuide({ name, source: 'Manual' });
      const v = (await x.studio!.getGuide(g.id)).latestSavedVersion;
      if (v) await x.studio!.patchGuideVersion(g.id, v.version, { instruction: 'Be nice.\n' });
      else await x.studio!.createGuideVersion(g.id, { instruction: 'Be nice.\n' });
    }
    await x.studio!.createSummarySetting({ name: ' Chat wrap-up', language: 'en-US', summaryType: 'Detailed' });
    const r = await x.cli(['export', '--out', 'exported']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: skipped SummarySetting " Chat wrap-up": promptctl names of guides and summary settings are');
    expect(r.stderr).toContain('warning: skipped Guide "FAQ bot ": promptctl names of guides and summary settings are 1 to 255 characters on one line, without leading or trailing spaces or control characters, so it cannot be managed under this name; it is left as it is');
    expect(r.stderr).toContain('warning: skipped Guide "Shift\\tnotes": ');
    // One list, one "and" (it read "… and 3 safety filters, 1 guide and 1 summary setting").
    expect(r.stderr).toMatch(/^exported \d+ templates?, \d+ versions?, \d+ traffic splits?, \d+ safety filters?, 1 guide and 1 summary setting to exported \(/m);
    const v = await x.cli(['validate', '--dir', 'exported']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const plan = await x.cli(['plan', '--dir', 'exported', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});

describe('an org without the LLM Gateway', () => {
  it('plans a guide-only repository, noting once what the org cannot hold; gateway documents fail the plan', { timeout: 60_000 }, async () => {
    const x = await example({ surfaces: { llmgateway: false } });
    const full = await x.cli(['plan']);
    expect(full.code).toBe(1);
    expect(full.stdout).toContain('[surface-unavailable]');
    expect(full.stdout).toMatch(/does not serve the LLM Gateway API \(it answers 404\), but git defines 3 SafetyFilter documents, 2 PromptTemplate documents, 5 PromptVersion documents, 2 TrafficSplit documents/);

    for (const d of ['billing-assistant', 'support-triage', 'filters', 'tests']) await rm(join(x.dir.path, 'prompts', d), { recursive: true });
    const plan = await x.cli(['plan']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plannedChanges(plan.stdout)).toEqual([`create ${GUIDE}`, `create ${SETTING}`].sort());
    const notes = plan.stderr.split('\n').filter((l) => l.includes('does not serve'));
    expect(notes).toEqual(['note: the target does not serve the LLM Gateway API (404): it cannot hold SafetyFilter, PromptTemplate, PromptVersion, TrafficSplit documents']);
    expect((await x.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await x.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});

describe('an org that refuses AI Studio (a client without its rights, the feature switched off)', () => {
  for (const status of [403, 501]) {
    it(`answering ${status}: plans and applies a gateway-only repository, noting why; AI Studio documents fail the plan`, { timeout: 60_000 }, async () => {
      const x = await example({ refuse: { aistudio: status } });
      const full = await x.cli(['plan']);
      expect(full.code).toBe(1);
      expect(full.stderr).toContain(String(status));
      expect(full.stdout).not.toContain('create');

      for (const d of ['guides', 'summaries']) await rm(join(x.dir.path, 'prompts', d), { recursive: true });
      await rm(join(x.dir.path, 'prompts', 'tests', 'returns-guide.yaml'), { force: true });
      const plan = await x.cli(['plan']);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(plannedChanges(plan.stdout)).toContain('create PromptTemplate/billing-assistant');
      const notes = plan.stderr.split('\n').filter((l) => l.includes('refused'));
      // Guides and summary settings are two surfaces (rights of their own): each refusal said apart.
      const code = `${status} ${status === 403 ? 'missing.any.permissions' : 'internal.server.error'}`;
      expect(notes).toEqual([
        `note: the target refused to list its AI Studio guides (${code}); git defines no Guide documents, so none are planned (and none are pruned)`,
        `note: the target refused to list its AI Studio summary settings (${code}); git defines no SummarySetting documents, so none are planned (and none are pruned)`,
      ]);
      const applied = await x.cli(['apply', '--auto-approve']);
      expect(applied.code, applied.stderr).toBe(0);
      expect((await x.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
    });
  }
  it('settles what an interrupted apply left open on the gateway while AI Studio stays refused', { timeout: 60_000 }, async () => {
    const x = await example({ refuse: { aistudio: 403 } });
    for (const d of ['guides', 'summaries']) await rm(join(x.dir.path, 'prompts', d), { recursive: true });
    await rm(join(x.dir.path, 'prompts', 'tests', 'returns-guide.yaml'), { force: true });
    // A run killed after writing its intent for a template, before the call: the template is not live.
    const log = await openAuditLog(join(x.dir.path, DEFAULT_AUDIT_FILE), { onWarning: () => undefined });
    await log.intent({ actor: 'a', commit: null, planId: 'killed', address: 'PromptTemplate/billing-assistant', action: 'create', resourceId: null, before: null, after: { version: null, hash: 'h', content: null } });
    await log.close();

    const applied = await x.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('audit: PromptTemplate/billing-assistant from an earlier run: not applied');
    expect((await x.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it("says, once per org, the changes an earlier run left open on another org, and leaves them open for it", { timeout: 60_000 }, async () => {
    const x = await example({});
    const log = await openAuditLog(join(x.dir.path, DEFAULT_AUDIT_FILE), { onWarning: () => undefined });
    const held = { version: null, hash: 'h', content: null };
    const elsewhere = { org: { id: 'other-org-id', host: 'api.elsewhere.example' } };
    for (const address of ['PromptTemplate/a-one', 'PromptTemplate/a-two']) {
      await log.intent({ actor: 'a', commit: null, planId: 'killed', address, action: 'create', resourceId: null, before: null, after: held, ...elsewhere });
    }
    await log.close();
    const applied = await x.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('audit: 2 changes an earlier run left open on another org (api.elsewhere.example, org other-org-id): left open; an apply to that org settles them');
    expect(await stillOpen(x)).toEqual(['PromptTemplate/a-one', 'PromptTemplate/a-two']);
  });

  /** A gateway-only copy of the example whose audit trail holds an intent a killed run left open. */
  async function withOpenIntent(emulator: EmulatorOptions, address: string, removal: boolean): Promise<Example> {
    const x = await example(emulator);
    for (const d of ['guides', 'summaries']) await rm(join(x.dir.path, 'prompts', d), { recursive: true });
    await rm(join(x.dir.path, 'prompts', 'tests', 'returns-guide.yaml'), { force: true });
    const log = await openAuditLog(join(x.dir.path, DEFAULT_AUDIT_FILE), { onWarning: () => undefined });
    const held = { version: null, hash: 'h', content: null };
    await log.intent({ actor: 'a', commit: null, planId: 'killed', address, action: removal ? 'delete' : 'create', resourceId: null, before: removal ? held : null, after: removal ? null : held });
    await log.close();
    return x;
  }
  const stillOpen = async (x: Example): Promise<string[]> => {
    const log = await openAuditLog(join(x.dir.path, DEFAULT_AUDIT_FILE), { onWarning: () => undefined });
    try {
      return log.pendingIntents().map((i) => i.address);
    } finally {
      await log.close();
    }
  };

  for (const [why, refuse] of [['refused (403)', 403], ['not served (404)', 404]] as const) {
    it(`leaves open what an interrupted apply left on AI Studio while AI Studio is ${why}: nothing read, nothing settled`, { timeout: 60_000 }, async () => {
      const x = await withOpenIntent({ refuse: { aistudio: refuse } }, GUIDE, true);
      const applied = await x.cli(['apply', '--auto-approve']);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stderr).not.toMatch(/audit: Guide\/Returns assistant from an earlier run: (succeeded|not applied)/);
      expect(applied.stderr).toContain(`audit: ${GUIDE} from an earlier run: left open`);
      expect(await stillOpen(x)).toEqual([GUIDE]);
    });
  }

  it('leaves open an intent of a kind this promptctl does not know, without reading AI Studio for it', { timeout: 60_000 }, async () => {
    const x = await withOpenIntent({ refuse: { aistudio: 403 } }, 'Widget/later-kind', true);
    const applied = await x.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).not.toMatch(/Widget\/later-kind from an earlier run: (succeeded|not applied)/);
    expect(await stillOpen(x)).toEqual(['Widget/later-kind']);
  });
});

describe('prune', () => {
  it('deletes only guides and settings git history defined; one made by hand is left alone', { timeout: 60_000 }, async () => {
    const x = await example({});
    x.git('init', '-q', '-b', 'main');
    x.git('add', '-A');
    x.git('commit', '-qm', 'prompts');
    expect((await x.cli(['apply', '--auto-approve'])).code).toBe(0);
    await x.studio!.createGuide({ name: 'Made by hand', source: 'Manual' });
    x.git('rm', '-q', 'prompts/guides/returns-assistant.yaml', 'prompts/summaries/voice-wrapup.yaml');
    x.git('commit', '-qm', 'retire');

    const pending = await x.cli(['plan', '--detailed-exitcode']);
    expect(pending.code).toBe(2);
    expect(pending.stdout).toContain(`- delete (pending: prune is off) ${GUIDE}`);
    expect(pending.stdout).toContain(`- delete (pending: prune is off) ${SETTING}`);
    expect(pending.stdout).toMatch(/Guide\/Made by hand — not in git, and git history of prompts\/ never defined it/);

    const pruned = await x.cli(['apply', '--prune', '--auto-approve']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect((await x.studio!.listGuides()).map((g) => g.name)).toEqual(['Made by hand']);
    expect(await x.studio!.listSummarySettings()).toEqual([]);
    expect((await x.cli(['plan', '--prune', '--detailed-exitcode'])).code).toBe(0);
  });

  it('leaves alone a guide made by hand after git stopped defining its name', { timeout: 60_000 }, async () => {
    // The emulator's clock: an hour ago for the apply, an hour ahead for the colleague.
    let offset = -3_600_000;
    const x = await example({ now: () => Date.now() + offset });
    x.git('init', '-q', '-b', 'main');
    x.git('add', '-A');
    x.git('commit', '-qm', 'prompts');
    expect((await x.cli(['apply', '--auto-approve'])).code).toBe(0);
    x.git('rm', '-q', 'prompts/guides/returns-assistant.yaml');
    x.git('commit', '-qm', 'retire');
    const pruned = await x.cli(['apply', '--prune', '--auto-approve']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect((await x.studio!.listGuides()).map((g) => g.name)).toEqual([]);

    offset = 3_600_000;
    await x.studio!.createGuide({ name: 'Returns assistant', source: 'Manual' });
    const plan = await x.cli(['plan', '--prune', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toMatch(/Guide\/Returns assistant — not in git; git history of prompts\/ defined a Guide of this name until \S+, and this one was made after that/);
    expect((await x.cli(['apply', '--prune', '--auto-approve'])).code).toBe(0);
    expect((await x.studio!.listGuides()).map((g) => g.name)).toEqual(['Returns assistant']);
  });
});

describe('prune with environments', () => {
  it("leaves alone a prod guide whose name git only ever gave a dev-only document: promptctl never made it in prod", { timeout: 60_000 }, async () => {
    const x = await example({});
    await writeFile(
      join(x.dir.path, 'prompts/promptctl.yaml'),
      'apiVersion: promptctl/v1\nkind: Config\nspec:\n  environments:\n    dev: {credentials: PCTL_OWN_DEV}\n    prod: {credentials: PCTL_OWN_PROD}\n',
    );
    await x.edit('prompts/guides/returns-assistant.yaml', '  name: Returns assistant\n', '  name: Returns assistant\n  environments: [dev]\n');
    x.git('init', '-q', '-b', 'main');
    x.git('add', '-A');
    x.git('commit', '-qm', 'prompts');
    // prod's org (the test emulator) has a guide of that name, made there by hand.
    await x.studio!.createGuide({ name: 'Returns assistant', source: 'Manual' });
    const prod = { PCTL_OWN_PROD_API_URL: x.emu!.url, PCTL_OWN_PROD_OAUTHCLIENT_ID: CLIENT_ID, PCTL_OWN_PROD_OAUTHCLIENT_SECRET: CLIENT_SECRET };
    const plan = await runCliInProcess(['plan', '--env', 'prod', '--prune'], { cwd: x.dir.path, env: prod });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plannedChanges(plan.stdout)).not.toContain(`delete ${GUIDE}`);
    // Git keeps its document to dev: said so, not "not in git".
    expect(plan.stdout).toMatch(/Guide\/Returns assistant — kept out of prod by its document's metadata\.environments \(dev\), and git history of prompts\/ for environment prod never defined it/);
  });
});

describe('promptctl emulator --surfaces', () => {
  it('serves only the surfaces named, and refuses an unknown one', { timeout: 30_000 }, async () => {
    const bin = resolve(REPO, 'bin/promptctl.js');
    if (!existsSync(resolve(REPO, 'dist/bundle/promptctl.cjs'))) throw new Error('build first: npm run build');
    const x = await example();
    const bad = await x.cli(['emulator', '--surfaces', 'llmgateway,studio']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--surfaces: unknown surface studio: the surfaces are llmgateway, guides, summarysettings, aistudio');

    const child = spawn(process.execPath, [bin, 'emulator', '--surfaces', 'aistudio', '--state', join(x.dir.path, 'state.json')], { cwd: x.dir.path, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((ok, fail) => {
        createInterface({ input: child.stdout }).once('line', (l) => ok(l.replace('listening on ', '')));
        child.once('exit', (code) => fail(new Error(`exited ${code}`)));
      });
      const conn = { apiUrl: url, loginUrl: url, clientId: 'local-client', clientSecret: 'local-secret', targetLabel: url };
      const studio = createAiStudioClient({ ...conn, landed: aiStudioWriteChecks });
      const gateway = createGatewayClient({ ...conn, landed: gatewayWriteChecks });
      try {
        expect(await studio.listGuides()).toEqual([]);
        await expect(gateway.listTemplates()).rejects.toMatchObject({ status: 404 });
      } finally {
        await studio.close();
        await gateway.close();
      }
    } finally {
      // It writes its state as it stops: wait, so that the directory can be removed.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});
