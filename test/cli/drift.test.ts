// `promptctl drift` in-process (test/helpers/cli.ts), against a real emulator.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { editFilterByHand, scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
// Committed a day before now: a hand edit in the same second as the commit could be either's last change.
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: s.dir.path,
    stdio: 'pipe',
    env: { ...process.env, GIT_COMMITTER_DATE: new Date(Date.now() - 86_400_000).toISOString() },
  }).toString();
beforeEach(async () => {
  s = await scenario();
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  await s.close();
});

/** billing-assistant 1.0.0, committed to git, then remade by hand on the target with other text: the remade version as listed. */
async function remadeByHand() {
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'prompts');
  const t = (await s.emu.api.listTemplates({ name: 'billing-assistant', expand: ['versions', 'traffic'] }))[0]!;
  const v = t.versions!.find((x) => x.version === '1.0.0')!;
  // By hand, after the commit: traffic off 1.0.0, the version deleted and made again with other text, traffic back.
  await s.emu.api.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.1.0', weight: 100 }], version: t.traffic!.version });
  await s.emu.api.deleteVersion(t.id, '1.0.0');
  const { version: label, systemInstruction, userTemplate, variables, temperature, maxTokens, safetyGuardrails } = v;
  await s.emu.api.createVersion(t.id, { version: label, systemInstruction: 'You are the billing assistant of Example Corp.\n', userTemplate, variables, temperature, maxTokens, safetyGuardrails });
  await s.emu.api.publishVersion(t.id, '1.0.0');
  const split = (await s.emu.api.getTraffic(t.id))!;
  await s.emu.api.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.0.0', weight: 80 }, { version: '1.1.0', weight: 20 }], version: split.version });
  return (await s.emu.api.listTemplates({ name: 'billing-assistant', expand: ['versions'] }))[0]!.versions!.find((x) => x.version === '1.0.0')!;
}

describe('promptctl drift', () => {
  it('exits 0 when the target matches git', async () => {
    const r = await s.cli(['drift']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^target: /);
    expect(r.stderr).toContain('No drift');
    // A scheduled job posts the markdown: it says there is no drift, not only a plan summary.
    const md = await s.cli(['drift', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe('### No drift: the target matches git');
  });

  it('says that objects git does not define are left alone, rather than that the target matches git', async () => {
    await s.emu.api.createFilter({ name: 'hand-made', priority: 77, categories: ['self_harm'], action: 'block_and_log', thresholds: { self_harm: 0.3 }, falsePositiveTolerance: 0.1 });
    const r = await s.cli(['drift']);
    // Not drift: promptctl leaves what it does not manage alone (DESIGN §5).
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('· SafetyFilter/hand-made — ');
    // Said once: the text report lists it; stderr notes it only beside a markdown or JSON report.
    expect(r.stderr).not.toContain('exists only on the target');
    expect(r.stderr).toContain('No drift in what promptctl manages; 1 object on the target that git does not define is left alone (listed above).');
    expect(r.stderr).not.toContain('matches git');
    const md = await s.cli(['drift', '--format', 'markdown']);
    expect(md.stdout.split('\n')[0]).toBe('### No drift in what promptctl manages; 1 object on the target that git does not define is left alone');
  });

  it('exits 2 naming what changed by hand, who changed it and when', async () => {
    const edited = await editFilterByHand(s.emu.api, 'org-hate-speech', { thresholds: { hate_speech: 0.9, violence: 0.7 } });
    const r = await s.cli(['drift']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/update SafetyFilter\/org-hate-speech/);
    const line = r.stdout.split('\n').find((l) => l.includes('SafetyFilter/org-hate-speech:'))!;
    expect(line).toContain(`last changed by ${edited.modifiedBy.id} at ${edited.dateModified}`);
    expect(line).toContain('thresholds');
    // What to do about it, as a user of Argo CD would ask: undo it, or keep it by putting it in git.
    expect(r.stderr).toContain(
      'Drift: 1 difference between the target and git. `promptctl apply` puts the target back as git has it; to keep what the target holds instead, put it in git first (`promptctl export --out DIR` writes it).',
    );

    const j = await s.cli(['drift', '--format', 'json']);
    expect(j.code).toBe(2);
    const doc = JSON.parse(j.stdout);
    expect(doc.drift).toEqual([
      expect.objectContaining({
        address: 'SafetyFilter/org-hate-speech',
        action: 'update',
        modifiedBy: edited.modifiedBy.id,
        dateModified: edited.dateModified,
      }),
    ]);
    expect(doc.summary.update).toBe(1);

    const md = await s.cli(['drift', '--format', 'markdown']);
    expect(md.code).toBe(2);
    expect(md.stdout).toMatch(/\| `SafetyFilter\/org-hate-speech` \| update \|/);
  });

  it('says apply cannot undo a difference it refuses (a published version whose content git changed)', async () => {
    await s.edit('prompts/billing/billing-assistant.yaml', 'You are a billing assistant for Example Corp.', 'You are the billing assistant of Example Corp.');
    const r = await s.cli(['drift']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^Drift: 1 difference between the target and git\. Apply refuses the whole plan while the problem above stands \(see Problems\); to keep what the target holds instead, put it in git first/m);
    // With a difference apply could put back beside it: still no apply until git fixes the problem (apply refuses the plan).
    await editFilterByHand(s.emu.api, 'org-hate-speech', { thresholds: { hate_speech: 0.9, violence: 0.7 } });
    const both = await s.cli(['drift']);
    expect(both.stderr).toMatch(/^Drift: 2 differences between the target and git\. Apply refuses the whole plan while the problem above stands \(see Problems\); once git fixes it, `promptctl apply` puts the target back as git has it; /m);
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(1);
  });

  it('says the target changed, by whom and when, for a published version remade by hand since git last changed it (not that git changed it)', async () => {
    const remade = await remadeByHand();

    const r = await s.cli(['drift']);
    expect(r.code, r.stderr).toBe(2);
    const said = `PromptVersion/billing-assistant@1.0.0 is published and immutable, but its systemInstruction on the target no longer matches git: changed on the target (drift) by ${remade.modifiedBy.id} at ${remade.dateModified}, after git last changed it (`;
    expect(r.stdout).toContain(said);
    expect(r.stdout).not.toContain('git changes its');
    const json = await s.cli(['drift', '--format', 'json']);
    const doc = JSON.parse(json.stdout) as { drift: Array<{ address: string; message: string; modifiedBy: string | null; dateModified: string | null }> };
    expect(doc.drift).toEqual([
      expect.objectContaining({ address: 'PromptVersion/billing-assistant@1.0.0', modifiedBy: remade.modifiedBy.id, dateModified: remade.dateModified, message: expect.stringContaining(said) }),
    ]);

    // git changed after that (not yet committed): then it is git's change, as a pull request's is.
    await s.edit('prompts/billing/billing-assistant.yaml', 'Never reveal another customer', 'Never show another customer');
    const after = await s.cli(['drift']);
    expect(after.stdout).toContain('PromptVersion/billing-assistant@1.0.0 is published and immutable, but git changes its systemInstruction');
    expect(after.stdout).not.toContain('changed on the target');
  });

  it('plan and apply word a version remade by hand on the target as drift too, not as git changing it', async () => {
    const remade = await remadeByHand();
    const said = `PromptVersion/billing-assistant@1.0.0 is published and immutable, but its systemInstruction on the target no longer matches git: changed on the target (drift) by ${remade.modifiedBy.id} at ${remade.dateModified}, after git last changed it (`;
    const plan = await s.cli(['plan']);
    expect(plan.code, plan.stderr).toBe(1);
    expect(plan.stdout + plan.stderr).toContain(said);
    expect(plan.stdout + plan.stderr).not.toContain('git changes its');
    const json = JSON.parse((await s.cli(['plan', '--format', 'json'])).stdout) as { problems: Array<{ address: string; message: string }> };
    expect(json.problems.find((p) => p.address === 'PromptVersion/billing-assistant@1.0.0')?.message).toContain(said);
    const apply = await s.cli(['apply', '--auto-approve']);
    expect(apply.code).toBe(1);
    expect(apply.stdout + apply.stderr).toContain(said);
  });

  it('reports a version made by hand on a managed template as not in git (it never was: not "no longer")', async () => {
    const t = (await s.emu.api.listTemplates({ name: 'support-triage', expand: ['versions'] }))[0]!;
    const v = t.versions![0]!;
    const made = await s.emu.api.createVersion(t.id, { version: '9.9.9', systemInstruction: v.systemInstruction, userTemplate: v.userTemplate, variables: v.variables, fewShotExamples: v.fewShotExamples, temperature: v.temperature, maxTokens: v.maxTokens, safetyGuardrails: v.safetyGuardrails });
    const r = await s.cli(['drift']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/PromptVersion\/support-triage@9\.9\.9: on the target, not in git — pending: prune is off \(run with --prune/);
    // Who made it and when, as for any other difference (it said null for both).
    expect(r.stdout).toContain(`last changed by ${made.modifiedBy.id} at ${made.dateModified}`);
    // A plain apply leaves a delete waiting for prune: the next step says which apply makes it.
    expect(r.stderr).toContain('Drift: 1 difference between the target and git. `promptctl apply --prune` makes the 1 delete waiting for prune; to keep what the target holds instead');
    const json = await s.cli(['drift', '--format', 'json']);
    expect(json.stdout).not.toContain('no longer in git');
    const entry = (JSON.parse(json.stdout) as { drift: Array<{ address: string; modifiedBy: string | null; dateModified: string | null }> }).drift.find((e) => e.address === 'PromptVersion/support-triage@9.9.9');
    expect(entry).toMatchObject({ modifiedBy: made.modifiedBy.id, dateModified: made.dateModified });
  });

  it('does not count a refused mass delete as a difference, and says how apply makes the deletes if git is right', async () => {
    // An empty prompts directory with prune on: every managed object is to go, which apply refuses.
    await mkdir(join(s.dir.path, 'emptied'));
    await writeFile(join(s.dir.path, 'emptied/promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  prune: true\n');
    const r = await s.cli(['drift', '--dir', 'emptied', '--format', 'json']);
    expect(r.code, r.stderr).toBe(2);
    const plan = JSON.parse(r.stdout) as { drift: Array<{ address: string; action: string }>; actions: Array<{ action: string }>; problems: Array<{ rule: string }> };
    expect(plan.problems.map((p) => p.rule)).toEqual(['mass-delete']);
    // Each difference is an object; the refusal is of the plan, not a difference ("(plan): mass-delete" was one).
    expect(plan.drift.map((d) => d.action)).toEqual(plan.actions.filter((a) => a.action !== 'noop').map((a) => a.action));
    expect(plan.drift.some((d) => d.address === '(plan)')).toBe(false);
    const n = plan.drift.length;
    expect(r.stderr).toContain(
      `Drift: ${n} differences between the target and git. Apply refuses the plan as a mass delete (see Problems: a wrong --dir?); if git is right, \`promptctl apply --dir emptied --allow-mass-delete\` puts the target back as git has it; to keep what the target holds instead, put it in git first`,
    );
    expect(r.stderr).not.toContain('once git fixes');
  });

  it('with prune off, says that the deletes waiting for prune are a mass delete, and gives the command apply takes them with', async () => {
    // A mistyped --dir: an empty directory, prune off. Every managed object is a pending delete.
    await mkdir(join(s.dir.path, 'emptied'));
    const r = await s.cli(['drift', '--dir', 'emptied']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain(
      'the deletes waiting for prune are a mass delete: the desired state is empty (a wrong --dir?); with --prune, plan and apply refuse them unless --allow-mass-delete is given',
    );
    const n = Number(/Drift: (\d+) differences/.exec(r.stderr)?.[1]);
    // Before, the step named was `promptctl apply --dir emptied --prune`, which apply refuses as a mass delete.
    expect(r.stderr).toContain(
      `Drift: ${n} differences between the target and git. Apply with --prune refuses the ${n} deletes waiting for prune as a mass delete (see Warnings: a wrong --dir?); if git is right, \`promptctl apply --dir emptied --prune --allow-mass-delete\` makes the ${n} deletes waiting for prune; to keep what the target holds instead, put it in git first`,
    );
    const applied = await s.cli(['apply', '--dir', 'emptied', '--prune', '--auto-approve']);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain('[mass-delete]');
    // Not said of a few deletes waiting for prune.
    await s.emu.api.createFilter({ name: 'hand-made', priority: 77, categories: ['self_harm'], action: 'block_and_log', thresholds: { self_harm: 0.3 }, falsePositiveTolerance: 0.1, labels: { 'managed-by': 'promptctl' } });
    const few = await s.cli(['drift']);
    expect(few.code, few.stderr).toBe(2);
    expect(few.stdout + few.stderr).not.toContain('mass delete');
    expect(few.stderr).toContain('`promptctl apply --prune` makes the 1 delete waiting for prune');
  });

  it('reports a template deleted by hand as missing', async () => {
    const t = (await s.emu.api.listTemplates({ name: 'support-triage' }))[0]!;
    await s.emu.api.deleteTemplate(t.id);
    const r = await s.cli(['drift', '--format', 'json']);
    expect(r.code).toBe(2);
    const addresses = JSON.parse(r.stdout).drift.map((d: { address: string; action: string }) => `${d.action} ${d.address}`);
    expect(addresses.sort()).toEqual([
      'create PromptTemplate/support-triage',
      'create PromptVersion/support-triage@2.0.0',
      'create TrafficSplit/support-triage',
    ]);
  });
});

/** Whether a fence or a <details> is left open at the end of `md`, walking it line by line as GitHub does. */
function openBlocks(md: string): { fence: boolean; details: number } {
  let fence = '';
  let details = 0;
  for (const line of md.split('\n')) {
    const m = /^ {0,3}(`{3,})/.exec(line);
    if (fence) {
      if (m && m[1]!.length >= fence.length && line.trim() === m[1]) fence = '';
      continue;
    }
    if (m) {
      fence = m[1]!;
      continue;
    }
    details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  return { fence: fence !== '', details };
}

describe('promptctl drift --format markdown with hundreds of differences (one issue description)', () => {
  it('keeps within 65,536 characters, cut between rows and resources, fences and <details> closed, the note and the footer last', async () => {
    // 300 templates git defines and the target lacks: 600 differences (a template and its version each),
    // more than the table of differences alone has room for.
    const text = Array.from({ length: 12 }, (_, i) => `    Line ${i} of a prompt long enough that its block in the plan takes room: answer the billing question.`).join('\n');
    await mkdir(join(s.dir.path, 'prompts/bulk'), { recursive: true });
    for (let i = 0; i < 300; i++) {
      const name = `bulk-${String(i).padStart(3, '0')}`;
      await writeFile(
        join(s.dir.path, `prompts/bulk/${name}.yaml`),
        `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: ${name}}\nspec: {model: gpt-4o-mini, description: bulk template ${i}}\n---\n` +
          `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: ${name}\n  version: "1.0.0"\n  systemInstruction: |\n${text}\n  userTemplate: "{{q}}"\n  variables: [{name: q, type: string, maxLength: 200}]\n  maxTokens: 100\n`,
      );
    }
    const md = await s.cli(['drift', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(2);
    const out = md.stdout;
    expect(out.split('\n')[0]).toBe('### Drift: 600 differences between the target and git');
    expect(out.length).toBeLessThanOrEqual(65_536);
    expect(openBlocks(out)).toEqual({ fence: false, details: 0 });
    // Cut between rows, with how many were left out and where all of them are (no artifact drift.yml does not upload).
    const rows = out.split('\n').filter((l) => l.startsWith('| `PromptTemplate/bulk-') || l.startsWith('| `PromptVersion/bulk-'));
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.length).toBeLessThan(600);
    expect(out).toContain(`\n\n> … ${600 - rows.length} more differences not shown; run \`promptctl drift --format json\` for the full list.\n\n**Plan:** 600 to create`);
    // The plan is cut between its resources with the same pointer.
    expect(out).toMatch(/\n> … \d+ more resources not shown, all of them new; run `promptctl drift --format json` for the full list\.\n/);
    expect(out).not.toContain('JSON plan artifact');
    expect(out).not.toContain('cut at the size limit');
    // The plan's footer stays last and whole, outside any block.
    expect(out).toMatch(/\n<sub>plan [^\n]+ · fingerprint [0-9a-f]{16}<\/sub>\n$/);

    // drift.yml puts its heading before the report and its hidden markers after it, within the same limit:
    // they fit without cutting the report, and stay outside any code block.
    const head = `Live Genesys Cloud (environment \`${'e'.repeat(40)}\`) differs from \`${'b'.repeat(255)}\` at 0123456 (last checked 2026-12-04T00:00:00.000Z, [run](https://github.com/${'o'.repeat(39)}/${'r'.repeat(100)}/actions/runs/12345678901)).\n\n` +
      `Either bring git up to date (\`promptctl export --env ${'e'.repeat(40)} --out DIR\`, then commit what should stay) or re-apply git: ` +
      `run the apply workflow by hand (Run workflow) for \`${'e'.repeat(40)}\`, once without a fingerprint to see the plan, then with that plan's fingerprint ` +
      '(a re-run of an earlier apply run is refused: its reviewed plan did not undo this drift). This issue closes itself once there is no drift.\n\n';
    const body = `${head}${out.trim()}\n\n<!-- promptctl-drift 0123456789abcdef -->\n<!-- promptctl-drift-env: ${'e'.repeat(40)} -->`;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(openBlocks(body)).toEqual({ fence: false, details: 0 });

    // Text and JSON keep every difference.
    const json = await s.cli(['drift', '--format', 'json']);
    expect(JSON.parse(json.stdout).drift).toHaveLength(600);
    const txt = await s.cli(['drift']);
    expect(txt.stdout).toContain('Drift (600 differences; who last changed each on the target, and when):');
    expect(txt.stdout.split('\n').filter((l) => /^ {2}Prompt(Template|Version)\/bulk-\d{3}(@1\.0\.0)?: /.test(l))).toHaveLength(600);
  });
});

describe('promptctl drift and show: --format', () => {
  it('refuses a format it does not have as the other commands do: the choices, and where the usage is', async () => {
    for (const args of [['drift', '--format', 'github'], ['show', 'plan.json', '--format', 'github']]) {
      const r = await s.cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain("error: option '--format <format>' argument 'github' is invalid. Allowed choices are text, markdown, json.");
      expect(r.stderr, args.join(' ')).toContain('(run with --help for usage)');
    }
  });
});
