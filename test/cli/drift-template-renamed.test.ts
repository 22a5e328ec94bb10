// A template renamed by hand in the org (a raw PUT with a new name and its current version, as the
// Genesys UI saves one) read as git's template missing and an unrelated live one not in git: five
// differences, nothing saying they were one rename. Drift and plan now say so on both names, with
// who changed it and when, and what the plan does about it; renamed back, nothing differs. A
// rename in git (a pull request's) is said as one, not blamed on the target.
// In-process CLI (test/helpers/cli.ts) against a real emulator on port 0, changed by raw HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { committed, liveIdOf, operatorCalls, putByHand, scenario, type OperatorCall, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
/** Gateway calls as an operator's script makes them (test/helpers/scenario.ts). */
let http: OperatorCall;

/** Renamed as the Genesys UI saves it. */
const rename = (id: string, name: string) => putByHand(http, `/prompttemplates/${id}`, (body) => ({ ...body, name }));

beforeEach(async () => {
  s = await scenario();
  // Committed well before the apply: the rename by hand comes after git's last change to the
  // template, whatever second the test runs in (a commit's time is to the second).
  committed(s.dir.path, '2026-01-01T00:00:00Z');
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
  http = await operatorCalls(s.emu.url);
});
afterEach(async () => {
  await s.close();
});

describe('a template renamed by hand on the target', () => {
  it('reads as one rename in drift and plan, naming both names, who, when and what apply does', { timeout: 60_000 }, async () => {
    const id = await liveIdOf(http, 'prompttemplates', 'billing-assistant');
    const renamed = await rename(id, 'billing-helper');
    const by = (renamed.modifiedBy as { id: string }).id;
    const at = renamed.dateModified as string;

    const drift = await s.cli(['drift']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    const line = (address: string) => drift.stdout.split('\n').find((l) => l.startsWith(`  ${address}:`)) ?? '';
    const created = line('PromptTemplate/billing-assistant');
    expect(created).toContain(`on the target under another name, PromptTemplate/billing-helper (id ${id}, last changed by ${by} at ${at})`);
    expect(created).toContain('which holds its published versions 1.0.0, 1.1.0: renamed by hand on the target after git last changed it');
    expect(created).toContain('This plan creates billing-assistant anew under a new id');
    expect(created).toContain('would delete PromptTemplate/billing-helper once prune is on');
    expect(created).toContain('rename it back to "billing-assistant" in Genesys Cloud, or rename the template to "billing-helper" in git');
    const live = line('PromptTemplate/billing-helper');
    expect(live).toContain('on the target, not in git — PromptTemplate/billing-assistant under another name');
    expect(live).toContain('renamed by hand on the target after git last changed it');
    expect(live).toContain(`last changed by ${by} at ${at}`);
    // Its family's creates say why they are missing too.
    expect(line('PromptVersion/billing-assistant@1.0.0')).toContain('its template is on the target under another name, PromptTemplate/billing-helper');
    expect(line('TrafficSplit/billing-assistant')).toContain('its template is on the target under another name, PromptTemplate/billing-helper');

    // The JSON report carries the same words; the git name's entry takes no who/when of the other object.
    const json = JSON.parse((await s.cli(['drift', '--format', 'json'])).stdout) as { drift: { address: string; message: string; modifiedBy: string | null }[] };
    const entry = json.drift.find((d) => d.address === 'PromptTemplate/billing-assistant')!;
    expect(entry.message).toContain('under another name, PromptTemplate/billing-helper');
    expect(entry.modifiedBy).toBeNull();

    const plan = await s.cli(['plan']);
    expect(plan.stdout).toMatch(/\+ create PromptTemplate\/billing-assistant\n\s+on the target under another name, PromptTemplate\/billing-helper/);
    expect(plan.stdout).toMatch(/- delete \(pending: prune is off\) PromptTemplate\/billing-helper.*\n\s+PromptTemplate\/billing-assistant under another name/);

    // The advice holds: renamed back in Genesys Cloud, the same id matches git again.
    await rename(id, 'billing-assistant');
    const clean = await s.cli(['drift']);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
  });

  it('is no rename when the renamed template carries no mark of promptctl', { timeout: 60_000 }, async () => {
    // Renamed with its labels replaced: nothing says promptctl ever wrote it (a colleague's copy,
    // say), so it is left alone as any hand-made template is, and no rename is claimed.
    const id = await liveIdOf(http, 'prompttemplates', 'billing-assistant');
    const { dateCreated, dateModified, createdBy, modifiedBy, selfUri, versions, traffic, ...body } = await http('GET', `/prompttemplates/${id}`);
    void [dateCreated, dateModified, createdBy, modifiedBy, selfUri, versions, traffic];
    delete body.id;
    await http('PUT', `/prompttemplates/${id}`, { ...body, name: 'billing-copy', labels: { team: 'billing' } });
    const drift = await s.cli(['drift']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    expect(drift.stdout).toContain('PromptTemplate/billing-assistant: defined in git, missing on the target\n');
    expect(drift.stdout + drift.stderr).not.toContain('under another name');
  });

  it('renamed in git (a pull request): said as a rename in git, with how to keep the id', { timeout: 60_000 }, async () => {
    await s.edit('prompts/billing/billing-assistant.yaml', /billing-assistant/g, 'billing-renamed');
    await s.edit('prompts/safety-filters.yaml', /billing-assistant/g, 'billing-renamed');
    const plan = await s.cli(['plan']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/\+ create PromptTemplate\/billing-renamed\n\s+on the target under another name, PromptTemplate\/billing-assistant \(id [^)]*\), which holds its published versions 1\.0\.0, 1\.1\.0: renamed in git since it was applied/);
    expect(plan.stdout).toContain('rename it to "billing-renamed" in Genesys Cloud as well before applying');
    expect(plan.stdout).not.toContain('renamed by hand');
  });
});
