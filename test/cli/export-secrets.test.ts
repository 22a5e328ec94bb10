// A credential of the run's environment held by the live org (pasted into a template's
// description or a version's text in the UI): export writes files a team commits to git, so it
// writes the value masked and says so (naming the variable, never the value), as every other
// output masks it.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { CLIENT_ID } from '../helpers/emulator.js';
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

describe('a secret the org holds only encoded', () => {
  it('export writes it masked and warns, naming the variable, as it does of the value itself', async () => {
    const secret = `s3cr3t+${Math.random().toString(36).slice(2, 10)}/value`;
    p = await evalsProject({}, { clientSecret: secret });
    const t = await p.emu.api.createTemplate({ name: 'leaky', model: 'gpt-4o-mini', description: `Signs in with ${encodeURIComponent(secret)}`, labels: { 'managed-by': 'promptctl' } });
    await p.emu.api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'Be brief.', userTemplate: 'Q: {{q}}', variables: [{ name: 'q', type: 'string', maxLength: 10 }], maxTokens: 10 });
    const r = await p.cli(['export', '--out', 'exported']);
    expect(r.code, r.stderr).toBe(0);
    const files = await allText(join(p.dir.path, 'exported'));
    expect(files).not.toContain(encodeURIComponent(secret));
    expect(files).toContain('[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]');
    expect(r.stderr).toMatch(/^warning: .*leaky.*GENESYSCLOUD_OAUTHCLIENT_SECRET/m);
  });
});

describe('a secret in an object name', () => {
  it('export never writes it into a file path, and names that collide once masked still get files of their own', async () => {
    const secret = `s3cr3t-${Math.random().toString(36).slice(2, 10)}-value`;
    p = await evalsProject({}, { clientSecret: secret });
    const studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: p.emu.url, loginUrl: p.emu.url, clientId: CLIENT_ID, clientSecret: secret, targetLabel: 'test' });
    try {
      await p.emu.api.createTemplate({ name: `t-${secret}`, model: 'gpt-4o-mini', labels: { 'managed-by': 'promptctl' } });
      // Two guides whose names differ only where one holds the secret and the other what it is masked as.
      for (const name of [`Key ${secret}`, 'Key redacted GENESYSCLOUD_OAUTHCLIENT_SECRET']) {
        const g = await studio.createGuide({ name, source: 'Manual' });
        const first = (await studio.getGuide(g.id)).latestSavedVersion;
        const v = first ? await studio.patchGuideVersion(g.id, first.version, { instruction: 'Be nice.\n' }) : await studio.createGuideVersion(g.id, { instruction: 'Be nice.\n' });
        await studio.publishGuideVersion(g.id, v.version, 'ProductionReady');
      }
      await studio.createSummarySetting({ name: `Wrap-up ${secret.toUpperCase()}`, language: 'en-US' });
      await studio.createSummarySetting({ name: 'Wrap-up redacted GENESYSCLOUD_OAUTHCLIENT_SECRET', language: 'en-US' });
    } finally {
      await studio.close();
    }
    const r = await p.cli(['export', '--out', 'exported']);
    expect(r.code, r.stderr).toBe(0);
    const out = join(p.dir.path, 'exported');
    const paths = (await readdir(out, { recursive: true })).map(String);
    // The slug lowercases a name: neither the value nor its lowercase may be in a path.
    for (const path of paths) expect(path.toLowerCase()).not.toContain(secret.toLowerCase());
    expect(paths.filter((f) => f.startsWith('guides/') && f.endsWith('.yaml'))).toHaveLength(2);
    expect(paths.filter((f) => f.startsWith('guides/') && f.endsWith('.md'))).toHaveLength(2);
    expect(paths.filter((f) => f.startsWith('summaries/') && f.endsWith('.yaml'))).toHaveLength(2);
    expect(paths.filter((f) => !f.includes('/') && f.endsWith('.yaml'))).toHaveLength(3); // faq-bot, the template, the filters
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(await allText(out)).not.toContain(secret);
  });
});
