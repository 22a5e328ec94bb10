// `apply PLANFILE` of a plan made with `--dir`, run without it: the fresh plan was made from the
// default prompts/, so every object read as changed ("the target or the files changed"), and the
// hint to plan again left --dir out, which would replace the reviewed plan with one of the wrong
// files. The plan file records its directory; apply refuses another one before reading the target,
// unless --dir names it.
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenario } from '../helpers/scenario.js';
import { closeAfterEach } from '../helpers/interrupt.js';

const closing = closeAfterEach();

describe('apply of a plan saved from another prompts directory', () => {
  it('is refused without --dir, naming the directory and the command; applied with it', async () => {
    const s = closing(await scenario());
    await cp(join(s.dir.path, 'prompts'), join(s.dir.path, 'other'), { recursive: true });
    const planned = await s.cli(['plan', '--dir', 'other', '--out', 'plan.json']);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toContain('apply it with `promptctl apply --dir other plan.json`');
    expect((JSON.parse(await readFile(join(s.dir.path, 'plan.json'), 'utf8')) as { dir?: string }).dir).toBe('other');

    const refused = await s.cli(['apply', 'plan.json', '--auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'error: plan.json was planned from the prompts directory other, and this apply would read prompts; nothing was applied. Run `promptctl apply --dir other plan.json`',
    );
    expect(refused.stderr).not.toContain('stale');
    expect(refused.stdout).toBe('');

    // The same directory spelled another way is the same directory.
    const applied = await s.cli(['apply', '--dir', './other/', 'plan.json', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('plan.json: still current');
    expect(applied.stderr).not.toContain('was planned from the prompts directory');
  });

  it('compares it with the directory --dir names, when told to, and says so', async () => {
    const s = closing(await scenario());
    await cp(join(s.dir.path, 'prompts'), join(s.dir.path, 'copy'), { recursive: true });
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const r = await s.cli(['apply', '--dir', 'copy', 'plan.json', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: plan.json was planned from the prompts directory prompts; this apply reads copy, as --dir says');
    expect(r.stderr).toContain('plan.json: still current');
  });
});
