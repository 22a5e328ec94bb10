// An apply to an org from a subdirectory of the project (`cd prompts && promptctl apply --dir .`)
// keeps its audit trail under the working directory, so it would start a second trail for the
// org, with its own chain and its own lock: it warns, naming the trail above that earlier
// applies wrote, and says where to run from.
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = undefined;
  dir = undefined;
});

const WARNING =
  'warning: this directory holds no audit trail yet, so this apply starts a new one (.promptctl/audit.jsonl); ../.promptctl/audit.jsonl above holds the trail of earlier applies.';

describe('an apply from a subdirectory while the trail is above', () => {
  it('warns that it starts a second trail, and says where to run from', async () => {
    dir = await fixtureCopy('basic');
    emu = await startTestEmulator();
    const env = emu.env;
    const atRoot = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env });
    expect(atRoot.code).toBe(0);
    expect(atRoot.stderr).not.toContain('holds no audit trail');

    const sub = join(dir.path, 'prompts');
    await writeFile(join(sub, 'extra.yaml'), 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: extra\nspec:\n  description: One more.\n  model: gpt-4o\n');
    const inside = await runCliInProcess(['apply', '--dir', '.', '--auto-approve'], { cwd: sub, env });
    expect(inside.code).toBe(0);
    expect(inside.stderr).toContain(WARNING);
    expect(inside.stderr).toContain('to keep one trail, run promptctl from .. (with --dir).');
    expect(existsSync(join(sub, '.promptctl', 'audit.jsonl'))).toBe(true);

    // Once the subdirectory has a trail of its own, it is that trail's directory: no warning again.
    const again = await runCliInProcess(['apply', '--dir', '.', '--auto-approve'], { cwd: sub, env });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('holds no audit trail');
  });

  it('is quiet for a trail the Config names by an absolute path (one trail from anywhere)', async () => {
    dir = await fixtureCopy('basic');
    emu = await startTestEmulator();
    const env = emu.env;
    const trail = join(dir.path, 'trail.jsonl');
    await writeFile(join(dir.path, 'prompts', 'promptctl.yaml'), `apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit: {file: ${JSON.stringify(trail)}}\n`);
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env })).code).toBe(0);
    const inside = await runCliInProcess(['apply', '--dir', '.', '--auto-approve'], { cwd: join(dir.path, 'prompts'), env });
    expect(inside.code).toBe(0);
    expect(inside.stderr).not.toContain('holds no audit trail');
    expect(existsSync(trail)).toBe(true);
  });
});
