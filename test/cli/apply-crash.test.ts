// kill -9 in the middle of an apply: the next apply converges and the audit chain verifies. The
// killed apply is the built binary in a child process (a kill -9 needs one); the runs after it are
// in-process.
import { spawn } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { executePlan } from '../../src/apply/executor.js';
import { openAuditLog, type AuditIntentInput } from '../../src/audit/log.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { toWire as templateWire } from '../../src/kinds/PromptTemplate/index.js';
import { toWire as versionWire } from '../../src/kinds/PromptVersion/index.js';
import { loadProject } from '../../src/load/index.js';
import type { DesiredState } from '../../src/model/types.js';
import { buildPlan } from '../../src/plan/build.js';
import { versionTokens } from '../../src/tokens/index.js';
import { readLiveState } from '../../src/targets/live.js';
import { BIN, cleanEnv, runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { generatePromptSet } from '../../bench/generate.mjs';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
beforeEach(async () => {
  // Latency keeps the apply in flight long enough to be killed in the middle.
  emu = await startTestEmulator({ latencyMs: 20 });
  dir = await tempDir('promptctl-crash-');
  await generatePromptSet(join(dir.path, 'prompts'), { templates: 15, versions: 1 });
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
});

/** Starts `apply --auto-approve` and SIGKILLs it once `after` actions have been reported done. */
function applyAndKill(after: number): Promise<{ killedAfter: number; signal: string | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd: dir.path, env: cleanEnv(emu.env) });
    let seen = 0;
    let buf = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (/^\+ \S+ created/.test(l)) seen += 1;
      if (seen >= after && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.stdout.resume();
    child.on('error', fail);
    child.on('close', (_code, signal) => done({ killedAfter: seen, signal }));
  });
}

/**
 * An apply of git as it now is whose every call dies right after its intent is durable (a kill -9
 * between the intent and the request): the trail holds open intents, the org nothing new. `at`:
 * when its records say it ran (default now).
 */
async function runDyingAtItsIntents(at?: Date): Promise<DesiredState> {
  const { state } = await loadProject({ dir: 'prompts', cwd: dir.path });
  const plan = buildPlan(state!, await readLiveState({ gateway: emu.api }), { prune: false, target: 'emulator', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
  const log = await openAuditLog(join(dir.path, '.promptctl', 'audit.jsonl'), { onWarning: () => undefined, ...(at ? { now: () => at } : {}) });
  const dying = { intent: async (i: AuditIntentInput) => (await log.intent(i), Promise.reject(new Error('killed'))), outcome: log.outcome };
  await executePlan(plan, emu.api, { audit: dying as never, correlations: createCorrelationTracker(), actor: 'a', commit: null });
  await log.close();
  return state!;
}

describe('apply killed mid-way', () => {
  it('converges on the next apply, and the audit chain still verifies', async () => {
    const killed = await applyAndKill(8);
    expect(killed.signal).toBe('SIGKILL');
    const partial = await readLiveState({ gateway: emu.api });
    expect(partial.templates.length).toBeGreaterThan(0);

    // Run after the publish timeout: a version the kill left a Draft before its job was posted
    // would otherwise be waited for that long (a job of the killed run may still be running).
    const later = () => Date.now() + 10 * 60_000;
    const rerun = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env, now: later });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/Apply complete: \d+ created, \d+ updated, 0 deleted\./);

    const plan = await runCliInProcess(['plan', '--detailed-exitcode'], { cwd: dir.path, env: emu.env });
    expect(plan.code, plan.stdout).toBe(0);
    const live = await readLiveState({ gateway: emu.api });
    expect(live.templates).toHaveLength(15);
    expect(live.templates.every((t) => t.versions?.[0]?.state === 'Published' && t.traffic?.routes[0]?.weight === 100)).toBe(true);

    const verified = await verifyAuditFile(join(dir.path, '.promptctl/audit.jsonl'));
    expect(verified.ok, JSON.stringify(verified)).toBe(true);
    // Nobody else touched the org: whatever the killed run left half done (a version created as a
    // Draft, not yet published) is settled as promptctl's own, never as someone else's change.
    const records = (await readFile(join(dir.path, '.promptctl/audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { outcome?: string; error?: string });
    const recovered = records.filter((r) => r.outcome === 'not applied' || r.outcome === 'succeeded (recovered)');
    expect(recovered.filter((r) => /someone else/.test(r.error ?? '')), JSON.stringify(recovered)).toEqual([]);
  });

  it('settles a version the killed run created as a Draft (before its publish) as partly applied, then publishes it', async () => {
    const first = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(first.code, first.stderr).toBe(0);
    // Git gains a version; the run that creates it writes its intent, POSTs it, and dies before the
    // publish, longer ago than a publish job is waited for (a recent one is waited for: apply-settle-waits-publish.test.ts).
    const file = join(dir.path, 'prompts', 'templates', 'tpl-00003.yaml');
    await appendFile(file, '---\napiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: tpl-00003\n  version: "1.1.0"\n  systemInstruction: "Newer."\n  userTemplate: "Q: {{question}}"\n  variables:\n    - {name: question, type: string, maxLength: 80}\n');
    const state = await runDyingAtItsIntents(new Date(Date.now() - 10 * 60_000));
    const t = (await emu.api.listTemplates({ name: 'tpl-00003' }))[0]!;
    await emu.api.createVersion(t.id, versionWire(state.versions.find((v) => v.template === 'tpl-00003' && v.version === '1.1.0')!));

    const rerun = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('audit: PromptVersion/tpl-00003@1.1.0 from an earlier run: not applied');
    // What the record says, said on the terminal too: the killed run left a Draft live.
    expect(rerun.stderr).toContain(
      'audit: PromptVersion/tpl-00003@1.1.0 from an earlier run: not applied (partly applied: the version holds the intended content as a Draft, not yet published (the next apply publishes it))',
    );
    const records = (await readFile(join(dir.path, '.promptctl/audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { address: string; type: string; outcome?: string; error?: string });
    const settled = records.filter((r) => r.address === 'PromptVersion/tpl-00003@1.1.0' && r.outcome === 'not applied');
    expect(settled.map((r) => r.error)).toEqual(['partly applied: the version holds the intended content as a Draft, not yet published (the next apply publishes it)']);
    const live = await readLiveState({ gateway: emu.api });
    expect(live.templates.find((x) => x.name === 'tpl-00003')!.versions!.map((v) => [v.version, v.state])).toEqual([
      ['1.0.0', 'Published'],
      ['1.1.0', 'Published'],
    ]);
  });

  it("names the template the killed run created by its id when settling it: a create's intent knows none", async () => {
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env })).code).toBe(0);
    // Git gains a template; the run that creates it writes its intent, POSTs it, and dies before the answer.
    await appendFile(join(dir.path, 'prompts', 'templates', 'tpl-00003.yaml'), '---\napiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: late-arrival\nspec:\n  description: New.\n  model: gpt-4o\n');
    const state = await runDyingAtItsIntents();
    const created = await emu.api.createTemplate(templateWire(state.templates.find((t) => t.name === 'late-arrival')!));

    const rerun = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('audit: PromptTemplate/late-arrival from an earlier run: succeeded (recovered)');
    const records = (await readFile(join(dir.path, '.promptctl/audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { address: string; type: string; outcome?: string; resourceId: string | null });
    const intent = records.find((r) => r.address === 'PromptTemplate/late-arrival' && r.type === 'intent')!;
    expect(intent.resourceId).toBeNull();
    expect(records.filter((r) => r.address === 'PromptTemplate/late-arrival' && r.outcome === 'succeeded (recovered)').map((r) => r.resourceId)).toEqual([created.id]);
  });

  it('names the CI run that settles an interrupted run (recoveredBy.ci), as every record of a run in CI names it', async () => {
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env })).code).toBe(0);
    await appendFile(join(dir.path, 'prompts', 'templates', 'tpl-00003.yaml'), '---\napiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: late-arrival\nspec:\n  description: New.\n  model: gpt-4o\n');
    await runDyingAtItsIntents();

    const ci = { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '4242', GITHUB_REPOSITORY: 'acme/prompts' };
    const rerun = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: { ...emu.env, ...ci } });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('audit: PromptTemplate/late-arrival from an earlier run: not applied');
    const records = (await readFile(join(dir.path, '.promptctl/audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { address: string; outcome?: string; ci?: unknown; recoveredBy?: unknown });
    const settled = records.filter((r) => r.address === 'PromptTemplate/late-arrival' && r.outcome === 'not applied');
    // The record stays the interrupted run's (run outside CI: no ci); the run that settled it is named.
    expect(settled).toHaveLength(1);
    expect(settled[0]).not.toHaveProperty('ci');
    expect(settled[0]!.recoveredBy).toEqual({ actor: 'octocat', commit: null, planId: expect.any(String), ci: { runId: '4242', repository: 'acme/prompts' } });
    expect(records.filter((r) => r.address === 'PromptTemplate/late-arrival' && r.outcome === 'success').map((r) => r.ci)).toEqual([{ runId: '4242', repository: 'acme/prompts' }]);
    expect(await verifyAuditFile(join(dir.path, '.promptctl/audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
  });
});
