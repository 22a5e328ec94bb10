// A credential pasted into the org's content by hand (no rule checked it: validate reads git) is
// masked in everything plan and drift print or save, as the run's own secrets are: a drift report
// is posted on an issue and a plan file uploaded as an artifact. A review found it printed whole.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

const KEY = 'sk-proj-AbCd1234efGH5678ijKL9012mnOP';
const MASK = "[redacted: an API key (sk-…) in the org's content]";

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

/** The basic fixture applied to a fresh emulator, with its billing template as live. */
async function applied() {
  emu = await startTestEmulator({});
  dir = await fixtureCopy('basic');
  const [e, d] = [emu, dir];
  const cli = (args: string[]) => runCliInProcess(args, { cwd: d.path, env: e.env });
  expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
  const t = (await e.api.listTemplates()).find((x) => x.name === 'billing-assistant');
  return { emu: e, dir: d, cli, t };
}

describe("a credential in the org's live content", () => {
  it('is masked in plan and drift, text, markdown, json and the plan file; the saved plan still applies', async () => {
    const { emu, dir, cli, t } = await applied();
    await emu.api.updateTemplate(t!.id, { name: t!.name, description: `Call the billing API with ${KEY} when asked.`, model: t!.model, labels: t!.labels ?? {}, version: t!.version });

    for (const args of [['plan'], ['plan', '--format', 'markdown'], ['plan', '--format', 'json'], ['drift'], ['drift', '--format', 'markdown'], ['drift', '--format', 'json'], ['plan', '--out', 'plan.json']]) {
      const r = await cli(args);
      expect(r.stdout + r.stderr, args.join(' ')).not.toContain(KEY);
      if (args[0] === 'plan' && args[1] !== '--out') expect(r.stdout, args.join(' ')).toContain(MASK);
    }
    const saved = await readFile(join(dir.path, 'plan.json'), 'utf8');
    expect(saved).not.toContain(KEY);
    expect(saved).toContain(MASK);
    const done = await cli(['apply', 'plan.json']);
    expect(done.code, done.stderr).toBe(0);
    expect((await emu.api.listTemplates()).find((x) => x.id === t!.id)!.description).not.toContain(KEY);
  });

  it("masks a private key's whole block, and leaves git's own text (a shortened placeholder) as written", async () => {
    const { emu, dir, cli, t } = await applied();
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';
    await emu.api.updateTemplate(t!.id, { name: t!.name, description: `Use this key:\n-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\nThanks.`, model: t!.model, labels: t!.labels ?? {}, version: t!.version });
    for (const args of [['plan'], ['drift', '--format', 'markdown'], ['plan', '--out', 'plan.json']]) {
      const r = await cli(args);
      expect(r.stdout + r.stderr, args.join(' ')).not.toContain(body);
      expect(r.stdout + r.stderr, args.join(' ')).not.toContain('END PRIVATE KEY');
    }
    expect(await readFile(join(dir.path, 'plan.json'), 'utf8')).not.toContain(body);

    // The org holds an assignment; git's description names the variable with a placeholder.
    await emu.api.updateTemplate(t!.id, { ...(await emu.api.listTemplates()).find((x) => x.id === t!.id)!, description: 'Call it with API_KEY=abc123def456ghi when asked.' });
    const file = join(dir.path, 'prompts/billing/billing-assistant.yaml');
    const text = await readFile(file, 'utf8');
    const placeholder = 'Call it with API_KEY=… (ask ops for the value).';
    await writeFile(file, text.replace(/^(\s*description:).*$/m, `$1 "${placeholder}"`));
    const planned = await cli(['plan', '--out', 'plan.json']);
    expect(planned.stdout).toContain(placeholder);
    expect(planned.stdout).not.toContain('abc123def456ghi');
    const done = await cli(['apply', 'plan.json']);
    expect(done.code, done.stderr).toBe(0);
    expect((await emu.api.listTemplates()).find((x) => x.id === t!.id)!.description).toBe(placeholder);
  });
});
