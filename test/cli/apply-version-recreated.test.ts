// A prompt version deleted and made again by hand with the same content between `plan --out` and
// `apply FILE` is another object: the saved plan is refused before any change, naming the version
// and its old and new ids, as a re-created template is (DESIGN §5). A version's action carries its
// template's id as its live id, so only the version's own id (in its guard) tells the two apart:
// before the fix the prune deleted the re-made version, and a publish or a noop let it pass.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireVersion } from '../../src/targets/llmgateway/wire.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const OLD = 'prompts/billing/old.yaml';

/** 0.9.0 of billing-assistant, which no split routes (a routed version cannot be deleted by hand). */
const OLD_VERSION = `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing-assistant
  version: 0.9.0
  systemInstruction: |
    Old billing assistant.
  userTemplate: |
    Customer {{customer_name}} asks:
    {{question}}
  variables:
    - name: customer_name
      type: string
      maxLength: 80
    - name: question
      type: string
      maxLength: 2000
`;

const CONTENT = ['systemInstruction', 'userTemplate', 'variables', 'fewShotExamples', 'model', 'temperature', 'maxTokens', 'safetyGuardrails'] as const;

async function billingId(): Promise<string> {
  return (await s!.emu.api.listTemplates({ name: 'billing-assistant' }))[0]!.id;
}

/** Deletes the version and makes it again by hand with the same content and state: the ids before and after. */
async function recreate(label: string): Promise<{ was: WireVersion; now: WireVersion }> {
  const api = s!.emu.api;
  const id = await billingId();
  const was = await api.getVersion(id, label);
  await api.deleteVersion(id, label);
  const body: Record<string, unknown> = { version: label };
  for (const k of CONTENT) if (was[k] !== undefined) body[k] = was[k];
  await api.createVersion(id, body as never);
  if (was.state === 'Published') await api.publishVersion(id, label);
  const now = await api.getVersion(id, label);
  expect(now.id).not.toBe(was.id);
  expect({ state: now.state, contentHash: now.contentHash }).toEqual({ state: was.state, contentHash: was.contentHash });
  return { was, now };
}

const replaced = (was: WireVersion, now: WireVersion) => `PromptVersion/billing-assistant@0.9.0: the live object was replaced since the plan (id ${was.id} → ${now.id})`;

describe('a saved plan against a prompt version deleted and made again by hand', () => {
  it('is refused before the prune deletes the new one', async () => {
    s = await scenario();
    await writeFile(join(s.dir.path, OLD), OLD_VERSION);
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await rm(join(s.dir.path, OLD));
    const planned = await s.cli(['plan', '--prune', '--out', 'plan.json']);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('delete PromptVersion/billing-assistant@0.9.0');
    const { was, now } = await recreate('0.9.0');
    const r = await s.cli(['apply', '--prune', 'plan.json', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(replaced(was, now));
    expect(r.stderr).toMatch(/nothing was applied/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await s.emu.api.getVersion(await billingId(), '0.9.0')).id).toBe(now.id);
  });

  it('is refused where the version needs no change, and the plan’s other changes are not made', async () => {
    s = await scenario();
    await writeFile(join(s.dir.path, OLD), OLD_VERSION);
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.edit('prompts/billing/billing-assistant.yaml', 'Answers billing questions', 'Answers all billing questions');
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const before = (await s.emu.api.listTemplates({ name: 'billing-assistant' }))[0]!;
    const { was, now } = await recreate('0.9.0');
    const r = await s.cli(['apply', 'plan.json', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${replaced(was, now)} (it needs no change, but the plan was made against it as it was)`);
    expect(r.stderr).toMatch(/nothing was applied/);
    const after = (await s.emu.api.listTemplates({ name: 'billing-assistant' }))[0]!;
    expect({ version: after.version, description: after.description }).toEqual({ version: before.version, description: before.description });
  });

  it('is refused before a Draft made again is published', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    // A Draft someone made of git's 0.9.0: the plan publishes it.
    await writeFile(join(s.dir.path, OLD), OLD_VERSION);
    await s.emu.api.createVersion(await billingId(), {
      version: '0.9.0',
      systemInstruction: 'Old billing assistant.\n',
      userTemplate: 'Customer {{customer_name}} asks:\n{{question}}\n',
      variables: [
        { name: 'customer_name', type: 'string', maxLength: 80 },
        { name: 'question', type: 'string', maxLength: 2000 },
      ],
    });
    const planned = await s.cli(['plan', '--out', 'plan.json']);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('update PromptVersion/billing-assistant@0.9.0');
    const { was, now } = await recreate('0.9.0');
    const r = await s.cli(['apply', 'plan.json', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(replaced(was, now));
    expect(r.stderr).toMatch(/nothing was applied/);
    expect((await s.emu.api.getVersion(await billingId(), '0.9.0')).state).toBe('Draft');
  });
});
