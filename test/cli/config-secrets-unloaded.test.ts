// An audit sink's signing key, held in a variable promptctl.yaml names (`secretEnv`) whatever it
// is called, is masked by the commands that print or write what the target holds without loading
// the prompts: `run` (a model answer), `export` (files meant for git) and `status` (the org's
// template names), as by those that load them.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { CLIENT_ID, CLIENT_SECRET } from '../helpers/emulator.js';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** A name no credential pattern knows: only promptctl.yaml says it holds a secret. */
const VARIABLE = 'AUDIT_SINK_HMAC';
const KEY = `sink-signing-${Math.random().toString(36).slice(2, 10)}-key`;
const MASKED = `[redacted: ${VARIABLE}]`;
const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  audit:
    http:
      - url: http://127.0.0.1:9/audit
        secretEnv: ${VARIABLE}
`;

async function project(opts: Parameters<typeof evalsProject>[1] = {}): Promise<EvalsProject> {
  const made = await evalsProject({}, opts);
  await made.write('prompts/promptctl.yaml', CONFIG);
  return made;
}

describe('a secret promptctl.yaml names, in what the target holds', () => {
  it('promptctl run masks it in the answer', async () => {
    const answer = `Sign with ${KEY} and you are done.`;
    p = await project({ responses: [{ match: { template: 'faq-bot' }, output: answer }] });
    const r = await p.cli(['run', 'faq-bot@1.0.0', '--var', 'question=How do I sign?'], { env: { [VARIABLE]: KEY } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${answer.replace(KEY, MASKED)}\n`);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('promptctl export writes it masked and warns, naming the variable', async () => {
    p = await project();
    await p.emu.api.createTemplate({ name: 'leaky', model: 'gpt-4o-mini', description: `Signs with ${KEY}`, labels: { 'managed-by': 'promptctl' } });
    const r = await p.cli(['export', '--out', 'exported'], { env: { [VARIABLE]: KEY } });
    expect(r.stdout + r.stderr).not.toContain(KEY);
    const dir = join(p.dir.path, 'exported');
    const files = await Promise.all((await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8')));
    expect(files.join('\n')).toContain('leaky');
    expect(files.join('\n')).not.toContain(KEY);
    expect(files.join('\n')).toContain(MASKED);
    expect(r.stderr).toMatch(new RegExp(`^warning: .*leaky.*${VARIABLE}`, 'm'));
  });

  it('promptctl status masks it in a template name', async () => {
    p = await project();
    await p.emu.api.createTemplate({ name: KEY, model: 'gpt-4o-mini', labels: {} });
    for (const format of ['text', 'json', 'markdown']) {
      const r = await p.cli(['status', '--format', format], { env: { [VARIABLE]: KEY } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, format).toContain(VARIABLE);
      expect(r.stdout + r.stderr, format).not.toContain(KEY);
    }
  });

  it('promptctl export never writes it into a file name, also from a name holding it in other letter case', async () => {
    p = await project();
    const studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: p.emu.url, loginUrl: p.emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    try {
      // The file name is the name's slug, lowercased: the key itself.
      await studio.createSummarySetting({ name: `Wrap-up ${KEY.toUpperCase()}`, language: 'en-US' });
    } finally {
      await studio.close();
    }
    const r = await p.cli(['export', '--out', 'exported'], { env: { [VARIABLE]: KEY } });
    expect(r.code, r.stderr).toBe(0);
    const paths = (await readdir(join(p.dir.path, 'exported'), { recursive: true })).map(String);
    expect(paths.filter((f) => f.startsWith('summaries/'))).toHaveLength(1);
    for (const path of paths) expect(path.toLowerCase()).not.toContain(KEY);
  });
});
