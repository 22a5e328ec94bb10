// One apply at a time per audit trail (DESIGN §6). Two applies in one directory against one org
// both changed it, each took the other's creates for its own (a POST of unknown outcome is
// settled by reading the name back) and the trail recorded those creates twice. The second apply
// is now refused at once, naming the holder of `.promptctl/apply.lock`, before the org or its trail
// is read; a lock its process left behind when it died is broken, and the lock goes with the run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

async function project(latencyMs = 0): Promise<{ cli: (args: string[]) => ReturnType<typeof runCliInProcess>; lock: string }> {
  emu = await startTestEmulator({ latencyMs, rateLimit: 1_000_000 });
  dir = await tempDir('promptctl-apply-lock-');
  await generatePromptSet(join(dir.path, 'prompts'), { templates: 6, versions: 1 });
  const env = emu.env;
  const cwd = dir.path;
  return { cli: (args) => runCliInProcess(args, { cwd, env }), lock: join(cwd, '.promptctl', 'apply.lock') };
}

const holder = (pid: number) => JSON.stringify({ pid, hostname: hostname(), createdAt: '2026-12-05T10:00:00.000Z', token: 'someone-else' });

describe('the apply lock', () => {
  it('refuses a second apply at once while another holds it, naming the holder, before the org is read', async () => {
    const p = await project();
    await mkdir(join(dir!.path, '.promptctl'), { recursive: true });
    // A live process holds it (this one: the apply runs in-process).
    await writeFile(p.lock, holder(process.pid));
    const before = emu!.emulator.stats().requests;
    const r = await p.cli(['apply', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: another apply with this audit trail is running (.promptctl/apply.lock: held by pid ${process.pid} on ${hostname()} since 2026-12-05T10:00:00.000Z): wait for it to end, then plan again; if none is running, delete .promptctl/apply.lock. Nothing was applied`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Refused before the org was read (a read before the lock is a read of another apply's half-done work).
    expect(emu!.emulator.stats().requests - before).toBe(0);
    expect((await emu!.api.listTemplates()).length).toBe(0);
    expect((await emu!.api.listFilters()).length).toBe(0);
    expect(existsSync(join(dir!.path, '.promptctl', 'audit.jsonl'))).toBe(false);
    // Not ours: left as it was.
    expect(await readFile(p.lock, 'utf8')).toBe(holder(process.pid));
  });

  it('breaks a lock whose process died, applies, and leaves no lock behind', async () => {
    const p = await project();
    await mkdir(join(dir!.path, '.promptctl'), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(p.lock, holder(dead));
    const r = await p.cli(['apply', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    expect((await emu!.api.listTemplates()).length).toBe(6);
    expect(existsSync(p.lock)).toBe(false);
  });

  it('of two applies started together, one applies and the other is refused; each create is recorded once', async () => {
    const p = await project(20);
    const [a, b] = await Promise.all([p.cli(['apply', '--auto-approve']), p.cli(['apply', '--auto-approve'])]);
    const codes = [a.code, b.code].sort();
    expect(codes, a.stderr + b.stderr).toEqual([0, 1]);
    expect([a, b].find((r) => r.code === 1)!.stderr).toMatch(/another apply with this audit trail is running/);
    const trail = (await readFile(join(dir!.path, '.promptctl', 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { outcome?: string; resourceId?: string; address?: string });
    const created = trail.filter((r) => r.outcome === 'success' && r.address?.startsWith('PromptTemplate/')).map((r) => r.resourceId);
    expect(created).toHaveLength(6);
    expect(new Set(created).size).toBe(6);
    expect(existsSync(p.lock)).toBe(false);
  });
});
