// A template whose versions' texts together pass the 8 MiB promptctl reads from one file (three
// versions of 3 MiB, say, which git held as {file:} texts): export wrote them all inline in its
// YAML, and `plan --dir` on the export refused that file as too large. Long texts now go to .md
// files beside the YAML, so the export plans with no changes and re-exports byte for byte.
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

/** Every file under `root`, relative, with its bytes. */
async function tree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    out.set(path.slice(root.length + 1), await readFile(path, 'utf8'));
  }
  return out;
}

/** A paragraph of prose `bytes` long, different per `seed`, ending in a line break. */
function prose(bytes: number, seed: string): string {
  const line = `You are the ${seed} knowledge-base assistant; answer from the articles only, citing each one. `;
  return `${line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes - 1)}\n`;
}

describe('export of versions whose texts pass what one file may hold', () => {
  it('writes them to files beside the YAML, plans with no changes, and re-exports the same', { timeout: 240_000 }, async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-export-long-texts-');
    const t = await emu.api.createTemplate({ name: 'kb-assistant', model: 'gpt-4.1' }); // a context window that takes 3 MiB of prose
    const labels = ['1.0.0', '1.1.0', '1.2.0'];
    for (const [i, version] of labels.entries()) {
      await emu.api.createVersion(t.id, { version, systemInstruction: prose(3 * 1024 * 1024, `v${i}`), userTemplate: 'Q: {{q}}', variables: [{ name: 'q', type: 'string', maxLength: 200 }] });
      await emu.api.publishVersion(t.id, version);
    }
    // One short enough to stay inline.
    await emu.api.createVersion(t.id, { version: '1.3.0', systemInstruction: 'Answer briefly.', userTemplate: 'Q: {{q}}', variables: [{ name: 'q', type: 'string', maxLength: 200 }] });
    await emu.api.publishVersion(t.id, '1.3.0');
    await emu.api.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.3.0', weight: 100 }], version: 0 });
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });

    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('too-large');
    const out = join(dir.path, 'adopted');
    const first = await tree(out);
    expect([...first.keys()].sort()).toEqual(['kb-assistant.yaml', 'kb-assistant/1.0.0.system.md', 'kb-assistant/1.1.0.system.md', 'kb-assistant/1.2.0.system.md']);
    const yaml = first.get('kb-assistant.yaml')!;
    expect(yaml).toContain('  systemInstruction:\n    file: kb-assistant/1.0.0.system.md\n');
    expect(yaml).toContain('systemInstruction: Answer briefly.');
    expect(yaml.length).toBeLessThan(4096);
    expect(first.get('kb-assistant/1.1.0.system.md')).toBe(prose(3 * 1024 * 1024, 'v1'));

    const plan = await cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');

    // Re-exported over itself: the same files, byte for byte, none said to be replaced or left over.
    const again = await cli(['export', '--out', 'adopted', '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/replaced|was there before/);
    expect(await tree(out)).toEqual(first);
  });

  it('moves the largest texts out while the rest passes 512 KiB, and a moved YAML keeps referring to them', { timeout: 240_000 }, async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-export-long-texts-');
    const t = await emu.api.createTemplate({ name: 'faq-bot', model: 'gpt-4.1' });
    // 600,000 bytes in all: 70,000 is above 64 KiB and goes; 530,000 is still above 512 KiB, so the
    // next largest (65,000, under 64 KiB) goes too, leaving 465,000.
    const sizes = [50_000, 60_000, 55_000, 60_000, 60_000, 65_000, 60_000, 60_000, 70_000, 60_000];
    const labels = sizes.map((_, i) => `1.${i}.0`);
    for (const [i, version] of labels.entries()) {
      await emu.api.createVersion(t.id, { version, systemInstruction: prose(sizes[i]!, `v${i}`), userTemplate: 'Q: {{q}}', variables: [{ name: 'q', type: 'string' }] });
      await emu.api.publishVersion(t.id, version);
    }
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir.path, 'adopted');
    const first = await tree(out);
    expect([...first.keys()].sort()).toEqual(['faq-bot.yaml', 'faq-bot/1.5.0.system.md', 'faq-bot/1.8.0.system.md']);

    // The user moves the YAML into a folder of theirs: a re-export writes it there, its texts where they were.
    await mkdir(join(out, 'team'));
    await rename(join(out, 'faq-bot.yaml'), join(out, 'team', 'faq-bot.yaml'));
    const again = await cli(['export', '--out', 'adopted', '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/replaced|was there before/);
    const moved = new Map([...first].map(([path, text]) => [path === 'faq-bot.yaml' ? 'team/faq-bot.yaml' : path, text]));
    expect(await tree(out)).toEqual(moved);
    const plan = await cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});
