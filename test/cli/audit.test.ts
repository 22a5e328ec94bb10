// `promptctl audit verify` through the built binary (npm test builds first).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openAuditLog } from '../../src/audit/log.js';

const BIN = resolve(import.meta.dirname, '../../bin/promptctl.js');

function run(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-cli-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeLog(file: string, n: number): Promise<void> {
  const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
  for (let i = 1; i <= n; i++) {
    await log.append({
      actor: 'Grace Hopper <grace@example.com>', commit: 'c'.repeat(40), planId: 'plan', address: `PromptTemplate/t${i}`,
      action: 'create', resourceId: `id-${i}`, before: null, after: { version: 1, hash: 'h' }, outcome: 'success',
      correlationId: null,
    });
  }
  await log.close();
}

describe('promptctl audit verify', () => {
  it('verifies the file named by audit.file in prompts/promptctl.yaml when none is given', async () => {
    await mkdir(join(dir, 'prompts'));
    await writeFile(
      join(dir, 'prompts', 'promptctl.yaml'),
      'apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit: {file: logs/trail.jsonl}\n',
    );
    await writeLog(join(dir, 'logs', 'trail.jsonl'), 2);
    const r = await run(dir, 'audit', 'verify');
    expect(r.stdout).toContain('ok: 2 records, chain intact');
    expect(r.code).toBe(0);
  });

  it('verifies .promptctl/audit.jsonl in the working directory by default', async () => {
    await writeLog(join(dir, '.promptctl', 'audit.jsonl'), 4);
    const r = await run(dir, 'audit', 'verify');
    expect(r).toMatchObject({ code: 0, stdout: 'ok: 4 records, chain intact\n' });
  });

  it('names the first broken line of a tampered file and exits 1', async () => {
    const file = join(dir, 'trail.jsonl');
    await writeLog(file, 5);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[2] = lines[2]!.replace('"outcome":"success"', '"outcome":"failure"');
    lines[3] = lines[3]!.replace('PromptTemplate/t4', 'PromptTemplate/zz');
    await writeFile(file, lines.join('\n'));
    const r = await run(dir, 'audit', 'verify', 'trail.jsonl');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('trail.jsonl:3: broken audit chain: hash does not match the content of record 3\n');
  });

  it('fails clearly on a missing file, without a stack trace', async () => {
    const r = await run(dir, 'audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: \.promptctl\/audit\.jsonl: no audit log here/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('fails clearly on a directory', async () => {
    await mkdir(join(dir, 'logs'));
    const r = await run(dir, 'audit', 'verify', 'logs');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/logs: not a file/);
  });
});
