// One apply at a time per audit trail, also when a checkout names the trail through a link
// (`audit.file` a symlink to another checkout's trail, one trail shared by both). The apply lock
// and the trail's append lock were taken beside the name, not the file: two applies, one through
// the link, each held a lock of its own and appended to the one file at once, which left its chain
// broken for good (interleaved lines) and every later apply refused. The locks now go beside the
// file the link names, so the second apply is refused as any second apply on the trail is.
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generatePromptSet } from '../../bench/generate.mjs';
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

const holder = JSON.stringify({ pid: process.pid, hostname: hostname(), createdAt: '2026-12-05T10:00:00.000Z', token: 'someone-else' });

describe('the apply lock of a trail named through a link', () => {
  it('refuses an apply through the link while an apply holds the trail, changing nothing', async () => {
    emu = await startTestEmulator({ rateLimit: 1_000_000 });
    dir = await tempDir('promptctl-apply-lock-link-');
    // Checkout a keeps the trail; checkout b names it through a link.
    const a = join(dir.path, 'a');
    const b = join(dir.path, 'b');
    const trail = join(a, '.promptctl', 'audit.jsonl');
    await mkdir(join(a, '.promptctl'), { recursive: true });
    await writeFile(trail, '');
    await generatePromptSet(join(b, 'prompts'), { templates: 2, versions: 1 });
    await writeFile(join(b, 'prompts', 'promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit: {file: trail.jsonl}\n');
    await symlink(trail, join(b, 'trail.jsonl'));
    // An apply in a holds the trail (this process: the lock's holder is alive).
    await writeFile(join(a, '.promptctl', 'apply.lock'), holder);

    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: b, env: emu.env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`error: another apply with this audit trail is running (../a/.promptctl/apply.lock: held by pid ${process.pid} on ${hostname()}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await emu.api.listTemplates()).length).toBe(0);
    expect(await readFile(trail, 'utf8')).toBe('');
  });
});
