// A credential of the run's environment held by the live org (pasted into a template's
// description or a version's text in the UI): export writes files a team commits to git, so it
// writes the value masked and says so (naming the variable, never the value), as every other
// output masks it.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

async function allText(dir: string): Promise<string> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(await readFile(join(e.parentPath, e.name), 'utf8'));
  }
  return out.join('\n');
}

describe('a secret in what the org holds', () => {
  it('export writes it masked and warns, naming the variable', async () => {
    const secret = `s3cr3t-${Math.random().toString(36).slice(2, 10)}-value`;
    p = await evalsProject({}, { clientSecret: secret });
    const t = await p.emu.api.createTemplate({ name: 'leaky', model: 'gpt-4o-mini', description: `Uses the client secret ${secret} to sign in`, labels: { 'managed-by': 'promptctl' } });
    await p.emu.api.createVersion(t.id, { version: '1.0.0', systemInstruction: `Never say ${secret}.\nBe brief.`, userTemplate: 'Q: {{q}}', variables: [{ name: 'q', type: 'string', maxLength: 10 }], maxTokens: 10 });
    const r = await p.cli(['export', '--out', 'exported']);
    expect(r.code, r.stderr).toBe(0);
    const files = await allText(join(p.dir.path, 'exported'));
    expect(files).toContain('leaky');
    expect(files).not.toContain(secret);
    expect(files).toContain('[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]');
    expect(r.stderr).toMatch(/^warning: .*leaky.*GENESYSCLOUD_OAUTHCLIENT_SECRET/m);
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
