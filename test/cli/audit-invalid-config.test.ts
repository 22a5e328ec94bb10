// `audit verify` without a FILE reads audit.file from prompts/promptctl.yaml. A config that is not
// valid must be said (exit 1), not taken as "no config": that would verify the default trail, a
// different file from the one the config names, and answer "ok" for it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog } from '../../src/audit/log.js';
import { runCliInProcess } from '../helpers/cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-cli-audit-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeLog(file: string): Promise<void> {
  const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
  await log.append({
    actor: 'a', commit: null, planId: 'plan', org: null, address: 'PromptTemplate/t', action: 'create', resourceId: 'id',
    before: null, after: null, outcome: 'success', correlationId: null,
  });
  await log.close();
}

describe('audit verify with an invalid promptctl.yaml', () => {
  it('says the config is not valid instead of verifying the default trail', async () => {
    await mkdir(join(dir, 'prompts'));
    // audit.file names logs/trail.jsonl, but another field is wrong.
    await writeFile(
      join(dir, 'prompts', 'promptctl.yaml'),
      'apiVersion: promptctl/v1\nkind: Config\nspec:\n  defaultVariableTokens: lots\n  audit: {file: logs/trail.jsonl}\n',
    );
    await writeLog(join(dir, '.promptctl', 'audit.jsonl'));
    const r = await runCliInProcess(['audit', 'verify'], { cwd: dir, env: {} });
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: prompts\/promptctl\.yaml is not valid/);
    expect(r.stderr).toContain('promptctl validate');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('still verifies a named FILE whatever the config holds', async () => {
    await mkdir(join(dir, 'prompts'));
    await writeFile(join(dir, 'prompts', 'promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  defaultVariableTokens: lots\n');
    await writeLog(join(dir, 'trail.jsonl'));
    const r = await runCliInProcess(['audit', 'verify', 'trail.jsonl'], { cwd: dir, env: {} });
    expect(r).toMatchObject({ code: 0, stdout: 'ok: trail.jsonl: 1 record, chain intact\n' });
  });
});
