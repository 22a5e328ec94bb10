// A template or filter another tool manages carries `managed-by: terraform`, which git cannot hold
// (labels/reserved): exporting it is adopting it, since the first apply that changes it labels it
// promptctl's (and prune may then delete it). Export says so; the plan of that change shows it.
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const open: { emu: TestEmulator; dir: TempDir }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.emu.close();
    await o.dir.remove();
  }
});

describe('export of an object another tool manages', () => {
  it('warns that adopting it hands it to promptctl, and the plan of a change to it shows the takeover', { timeout: 60_000 }, async () => {
    const dir = await tempDir('promptctl-export-other-');
    const emu = await startTestEmulator({});
    open.push({ emu, dir });
    const t = await emu.api.createTemplate({ name: 'faq-bot', model: 'gpt-4o', labels: { 'managed-by': 'terraform' } });
    await emu.api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'Be brief.', userTemplate: 'Q: {{q}}', variables: [{ name: 'q', type: 'string', maxLength: 100 }] });
    await emu.api.publishVersion(t.id, '1.0.0');
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir.path, env: emu.env });

    const exported = await cli(['export', '--out', 'prompts']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('warning: PromptTemplate/faq-bot is labelled managed-by: terraform, so another tool manages it:');
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);

    const file = join(dir.path, 'prompts', (await import('node:fs')).readdirSync(join(dir.path, 'prompts')).find((f) => f.startsWith('faq-bot'))!);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/kind: PromptTemplate\n((?:.*\n)*?)spec:\n/, (m) => `${m}  description: changed by the team\n`));
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/labels\.managed-by: "terraform" → "promptctl"/);
  });
});
