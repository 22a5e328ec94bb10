// cli/target.ts targetContext: every target a command opens is built from the run's context, so
// the access token its clients are issued is learnt by the run and masked in what it prints.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CliContext } from '../../src/cli/context.js';
import { openTarget, targetContext } from '../../src/cli/target.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('targetContext', () => {
  it('hands the run the access token of the target it opens', async () => {
    dir = await mkdtemp(join(tmpdir(), 'promptctl-target-context-'));
    const ctx = new CliContext({ stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin, env: {}, cwd: dir });
    const target = await openTarget(targetContext(ctx, { environment: undefined }));
    try {
      await target.api.listFilters();
    } finally {
      await target.close();
    }
    const [token] = ctx.learntSecrets();
    expect(token?.length).toBeGreaterThan(8);
    expect(ctx.mask(`Authorization: Bearer ${token}`)).not.toContain(token);
  });

  it('is how every command opens a target', async () => {
    const files = (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith('.ts'));
    const calls: string[] = [];
    for (const f of files) {
      const text = await readFile(join(SRC, f), 'utf8');
      for (const m of text.matchAll(/\bopenTarget\(([^)]{0,40})/g)) {
        if (!/^(ctx: TargetContext|targetContext\()/.test(m[1]!)) calls.push(`${f}: openTarget(${m[1]}`);
      }
    }
    expect(calls).toEqual([]);
  });
});
