// The audit trail is scrubbed of every credential of the run that output is masked for, not only
// the client secret and the audit key: here the proxy password (HTTPS_PROXY=http://user:pw@…),
// held by the org in the text an update replaces (the record's `before`).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

describe('a credential of the run in what an apply replaces', () => {
  it('is scrubbed from the audit records, as it is masked on screen', async () => {
    p = await evalsProject();
    const password = `pr0xy-${Math.random().toString(36).slice(2, 10)}-pw`;
    const [t] = await p.emu.api.listTemplates({ name: 'faq-bot' });
    await p.emu.api.updateTemplate(t!.id, { name: t!.name, model: t!.model, labels: t!.labels, description: `Proxy password ${password}, do not share`, version: t!.version });
    // The proxy is not used for the loopback emulator: only its password matters here.
    const r = await p.cli(['apply', '--auto-approve'], { env: { HTTPS_PROXY: `http://alice:${password}@proxy.example:3128` } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PromptTemplate\/faq-bot/);
    expect(r.stdout + r.stderr).not.toContain(password);
    const trail = await readFile(join(p.dir.path, '.promptctl', 'audit.jsonl'), 'utf8');
    expect(trail).toMatch(/"address":"PromptTemplate\/faq-bot","action":"update"/);
    expect(trail).not.toContain(password);
  });
});

describe('the client secret in another case in what an apply replaces', () => {
  it('is masked in the plan and the apply and scrubbed from the audit records', async () => {
    const secret = `local-Secret-${Math.random().toString(36).slice(2, 8)}x`;
    p = await evalsProject({}, { clientSecret: secret });
    const [t] = await p.emu.api.listTemplates({ name: 'faq-bot' });
    // As a server would hold or echo it: upper-cased whole.
    await p.emu.api.updateTemplate(t!.id, { name: t!.name, model: t!.model, labels: t!.labels, description: `key ${secret.toUpperCase()} here`, version: t!.version });
    const plan = await p.cli(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('"key [redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET] here"');
    const r = await p.cli(['apply', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PromptTemplate\/faq-bot/);
    const trail = await readFile(join(p.dir.path, '.promptctl', 'audit.jsonl'), 'utf8');
    expect(trail).toMatch(/"address":"PromptTemplate\/faq-bot","action":"update"/);
    for (const text of [plan.stdout + plan.stderr, r.stdout + r.stderr, trail]) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
  });
});
