// A saved plan made while a live object holds one of the run's secrets (the value of a *_TOKEN
// variable pasted into a live description or a Draft version's text, say): `plan --out` masks it
// in the file, and `apply FILE` in the same environment applies that file. The secret is in no
// output, no file and no audit record. Before the fix the file was sealed over the unmasked plan,
// so every `apply FILE` refused it as modified (fingerprint mismatch), however often it was re-planned.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planFingerprint } from '../../src/plan/fingerprint.js';
import type { Plan } from '../../src/plan/types.js';
import type { CliResult } from '../helpers/cli.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const SECRET = `tok-${Math.random().toString(36).slice(2)}-q7Zx`;
const ENV = { MY_API_TOKEN: SECRET };

/** Everything the run left in the project (plan files, the audit trail, caches), as text. */
async function filesOf(dir: string): Promise<string> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.push(await readFile(join(e.parentPath, e.name), 'utf8'));
  }
  return out.join('\n');
}

/** After a first apply: the live template description and a live Draft version hold the secret; git changes both. */
async function liveHoldsTheSecret(): Promise<Scenario> {
  const sc = await scenario();
  expect((await sc.cli(['apply', '--auto-approve'])).code).toBe(0);
  const billing = (await sc.emu.api.listTemplates()).find((t) => t.name === 'billing-assistant')!;
  const { id, version, model, labels } = billing;
  await sc.emu.api.updateTemplate(id, { name: billing.name, model, labels, version, description: `Billing, key ${SECRET} (pasted by hand)` });
  await sc.emu.api.createVersion(billing.id, {
    version: '1.2.0',
    systemInstruction: `Draft by hand. Use the key ${SECRET} when asked.\n`,
    userTemplate: 'Q: {{question}}\n',
    variables: [{ name: 'question', type: 'string', maxLength: 2000 }],
  });
  await writeFile(
    join(sc.dir.path, 'prompts/billing/billing-1.2.yaml'),
    `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing-assistant
  version: 1.2.0
  systemInstruction: |
    Reviewed 1.2.0, without any key.
  userTemplate: |
    Q: {{question}}
  variables:
    - name: question
      type: string
      maxLength: 2000
`,
  );
  return sc;
}

describe('a saved plan over live content that holds a secret', () => {
  it('is saved masked, and applies in the same environment; the secret is printed and saved nowhere', async () => {
    s = await liveHoldsTheSecret();
    const outputs: CliResult[] = [];
    const planned = await s.cli(['plan', '--out', 'plan.json'], ENV);
    outputs.push(planned);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/update PromptTemplate\/billing-assistant/);
    expect(planned.stdout).toMatch(/update PromptVersion\/billing-assistant@1\.2\.0/);
    const file = await readFile(join(s.dir.path, 'plan.json'), 'utf8');
    expect(file).not.toContain(SECRET);
    expect(file).toContain('[redacted: MY_API_TOKEN]');

    // show reads the same file (schema and seal), in every format.
    for (const format of ['text', 'json', 'markdown']) {
      const shown = await s.cli(['show', 'plan.json', '--format', format], ENV);
      outputs.push(shown);
      expect(shown.code, `${format}: ${shown.stderr}`).toBe(0);
    }

    const applied = await s.cli(['apply', 'plan.json'], ENV);
    outputs.push(applied);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('plan.json: still current');
    const billing = (await s.emu.api.listTemplates()).find((t) => t.name === 'billing-assistant')!;
    expect(billing.description).toBe('Answers billing questions for signed-in customers.');
    const v = (await s.emu.api.listVersions(billing.id)).find((x) => x.version === '1.2.0')!;
    expect(v.state).toBe('Published');
    expect(v.systemInstruction).toBe('Reviewed 1.2.0, without any key.\n');

    const everything = [...outputs.flatMap((r) => [r.stdout, r.stderr]), await filesOf(s.dir.path)].join('\n');
    expect(everything).toContain('"outcome"'); // the audit trail is among the files read
    expect(everything).not.toContain(SECRET);
  });

  it('still refuses a file edited after it was saved, and applies where the secret is not set (it masked only live content)', async () => {
    s = await liveHoldsTheSecret();
    expect((await s.cli(['plan', '--out', 'plan.json'], ENV)).code).toBe(0);
    const path = join(s.dir.path, 'plan.json');
    const text = await readFile(path, 'utf8');

    // Edited, not resealed: the seal no longer holds.
    await writeFile(path, text.replace('Reviewed 1.2.0, without any key.', 'Reviewed 1.2.0, with another text.'));
    const edited = await s.cli(['apply', 'plan.json'], ENV);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/modified after it was made \(fingerprint mismatch\)/);

    // Edited and resealed: the fresh plan disagrees.
    const plan = JSON.parse(text) as Plan;
    const version = plan.actions.find((a) => a.address === 'PromptVersion/billing-assistant@1.2.0')!;
    if (version.action !== 'update' || version.desired.kind !== 'PromptVersion') throw new Error('expected an update of the Draft');
    version.desired.body.systemInstruction = 'Reviewed 1.2.0, with another text.\n';
    plan.fingerprint = planFingerprint(plan);
    await writeFile(path, JSON.stringify(plan, null, 2));
    const resealed = await s.cli(['apply', 'plan.json'], ENV);
    expect(resealed.code).toBe(1);
    expect(resealed.stderr).toMatch(/PromptVersion\/billing-assistant@1\.2\.0: the desired content differs from the plan/);
    expect(resealed.stderr).toMatch(/nothing was applied/);

    // The untouched file applies; without the files' secrets in the environment, it applies too:
    // what was masked is only shown to a reader (live content), never acted on.
    await writeFile(path, text);
    const applied = await s.cli(['apply', 'plan.json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout + applied.stderr).toContain('still current');
  });

  it('is refused, before any change, when what apply would send holds a secret', async () => {
    // A secret with `&` whose HTML-escaped form is in git: validate looks for the value itself,
    // output masks every escaped form, so the desired body is masked in the file.
    const secret = `p&ss-${Math.random().toString(36).slice(2)}-9`;
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.edit('prompts/billing/billing-assistant.yaml', 'description: Answers billing questions for signed-in customers.', `description: Answers billing questions (${secret.replace('&', '&amp;')}).`);
    const env = { MY_API_TOKEN: secret };
    const planned = await s.cli(['plan', '--out', 'plan.json'], env);
    expect(planned.code, planned.stderr).toBe(0);
    const file = await readFile(join(s.dir.path, 'plan.json'), 'utf8');
    expect(file).toContain('[redacted: MY_API_TOKEN]');
    const r = await s.cli(['apply', 'plan.json'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PromptTemplate\/billing-assistant: what apply would send holds the value of MY_API_TOKEN/);
    // No advice to apply without a file: that would send the credential to the org.
    expect(r.stderr).toMatch(/plan\.json cannot be applied from a file: what it would send holds a secret of this run, which the file masks \(listed above\); nothing was applied\. Take the value out of git, or out of the org's object that carries it \(and rotate it: it may have been shared\), then plan again\./);
    expect(r.stderr).not.toMatch(/apply without a plan file/);
    expect(r.stderr).toMatch(/nothing was applied/);
    expect(r.stdout + r.stderr).not.toContain(secret.replace('&', '&amp;'));
    // Applied where MY_API_TOKEN is not set (or has another value): the file masks what this run shows.
    const elsewhere = await s.cli(['apply', 'plan.json']);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/PromptTemplate\/billing-assistant: the desired content differs from the plan \(the files changed since it was saved, or the plan file was edited\); the plan file masks MY_API_TOKEN there, which this environment does not hold as a secret/);
    expect(elsewhere.stderr).toMatch(/nothing was applied/);
    const billing = (await s.emu.api.listTemplates()).find((t) => t.name === 'billing-assistant')!;
    expect(billing.description).toBe('Answers billing questions for signed-in customers.');
    expect(existsSync(join(s.dir.path, 'plan.json'))).toBe(true);
  });

  it('prunes a live object whose name holds a secret from a file: a delete sends only its id and guard', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.emu.api.createTemplate({ name: `old-${SECRET}`, model: 'gpt-4o-mini', labels: { 'managed-by': 'promptctl' } });
    const planned = await s.cli(['plan', '--prune', '--out', 'plan.json'], ENV);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain('delete PromptTemplate/old-[redacted: MY_API_TOKEN]');
    const r = await s.cli(['apply', '--prune', 'plan.json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect((await s.emu.api.listTemplates()).map((t) => t.name)).not.toContain(`old-${SECRET}`);
    expect(await filesOf(s.dir.path)).not.toContain(SECRET);
  });

  it('applied without a file, refused as from a file (what it would send holds the secret), nothing sent and no form of it in the audit trail', async () => {
    const secret = `p&ss-${Math.random().toString(36).slice(2)}-9`;
    const escaped = secret.replace('&', '&amp;');
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.edit('prompts/billing/billing-assistant.yaml', 'description: Answers billing questions for signed-in customers.', `description: Answers billing questions (${escaped}).`);
    const r = await s.cli(['apply', '--auto-approve'], { MY_API_TOKEN: secret });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('PromptTemplate/billing-assistant: what apply would send holds the value of MY_API_TOKEN');
    expect(r.stderr).toMatch(/what apply would send holds a secret of this run, which the plan masks \(listed above\); nothing was applied/);
    expect(r.stdout + r.stderr).not.toContain(escaped);
    expect((await s.emu.api.listTemplates()).find((t) => t.name === 'billing-assistant')?.description).not.toContain(escaped);
    const trail = await readFile(join(s.dir.path, '.promptctl/audit.jsonl'), 'utf8');
    expect(trail).not.toContain('"address":"PromptTemplate/billing-assistant","action":"update"');
    expect(trail).not.toContain(escaped);
  });

  it('masks a secret git holds in an escaped form that JSON escapes again (markdown escapes each _ with a backslash), in the file and --format json', async () => {
    const random = Math.random().toString(36).slice(2, 12);
    const secret = `tok_${random}_q7Zx`;
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.edit('prompts/billing/billing-assistant.yaml', 'description: Answers billing questions for signed-in customers.', `description: 'Answers billing questions (${secret.replace(/_/g, '\\_')}).'`);
    const env = { MY_API_TOKEN: secret };
    for (const args of [['plan', '--out', 'plan.json'], ['plan', '--format', 'json'], ['plan', '--format', 'markdown']]) {
      const r = await s.cli(args, env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr, args.join(' ')).not.toContain(random);
    }
    const file = await readFile(join(s.dir.path, 'plan.json'), 'utf8');
    expect(file).toContain('[redacted: MY_API_TOKEN]');
    expect(file).not.toContain(random);
  });

  it('prints what a hand-made file names (an address, the name in a mask) with its control characters as escapes: a file cannot drive the terminal', async () => {
    s = await liveHoldsTheSecret();
    expect((await s.cli(['plan', '--out', 'plan.json'], ENV)).code).toBe(0);
    const path = join(s.dir.path, 'plan.json');
    const plan = JSON.parse(await readFile(path, 'utf8')) as Plan;
    const version = plan.actions.find((a) => a.address === 'PromptVersion/billing-assistant@1.2.0')!;
    if (version.action !== 'update' || version.desired.kind !== 'PromptVersion') throw new Error('expected an update of the Draft');
    version.desired.body.systemInstruction = 'x [redacted: \u001b[2J\u001b[31mMY_API_TOKEN] y\n';
    plan.actions.push({ ...version, address: 'PromptVersion/made-up\u001b]0;pwned\u0007@1.0.0' });
    plan.summary.update += 1;
    plan.fingerprint = planFingerprint(plan);
    await writeFile(path, JSON.stringify(plan, null, 2));
    const r = await s.cli(['apply', 'plan.json'], ENV);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing was applied/);
    expect(r.stderr).toContain('\\u001b[31mMY_API_TOKEN');
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u0007]/);
  });
});
