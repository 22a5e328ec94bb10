// `apply PLANFILE` of a plan made with `--dir`, run without it: the fresh plan was made from the
// default prompts/, so every object read as changed ("the target or the files changed"), and the
// hint to plan again left --dir out, which would replace the reviewed plan with one of the wrong
// files. The plan file records its directory as spelled; a stale apply that read another says so.
// Nothing is refused for it alone: a plan made from another working directory spells it otherwise.
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenario } from '../helpers/scenario.js';
import { closeAfterEach } from '../helpers/interrupt.js';

const closing = closeAfterEach();

describe('apply of a plan saved from another prompts directory', () => {
  it('found stale, says which directory it was planned with before the hint to plan again', async () => {
    const s = closing(await scenario());
    await cp(join(s.dir.path, 'prompts'), join(s.dir.path, 'other'), { recursive: true });
    await s.edit('other/billing/billing-assistant.yaml', 'Answers billing questions', 'Answers all billing questions');
    const planned = await s.cli(['plan', '--dir', 'other', '--out', 'plan.json']);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toContain('apply it with `promptctl apply --dir other plan.json`');
    expect((JSON.parse(await readFile(join(s.dir.path, 'plan.json'), 'utf8')) as { dir?: string }).dir).toBe('other');

    const stale = await s.cli(['apply', 'plan.json', '--auto-approve']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(
      /plan\.json is stale: \d+ things? changed since it was planned \(listed above\); nothing was applied\. It was planned with --dir other and this apply read prompts: if that is the difference, apply it with --dir other from where it was planned\. Run `promptctl plan --out plan\.json` again/,
    );

    // The same directory spelled another way is the same directory, and nothing is said.
    const applied = await s.cli(['apply', '--dir', './other/', 'plan.json', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('plan.json: still current');
  });

  it('says nothing of the directory when the plan is current, or stale with the same one', async () => {
    const s = closing(await scenario());
    await cp(join(s.dir.path, 'prompts'), join(s.dir.path, 'copy'), { recursive: true });
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    // Another directory with the same files: still current, so nothing to say.
    const r = await s.cli(['apply', '--dir', 'copy', 'plan.json', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('plan.json: still current');
    expect(r.stderr).not.toContain('It was planned with --dir');
    // Re-applied after the files changed again: stale, the directory the same. (Re-applied with
    // nothing else changed, it was applied already and has nothing to do: apply-saved-twice.test.ts.)
    await s.edit('prompts/billing/billing-assistant.yaml', 'Answers billing questions', 'Answers all billing questions');
    const again = await s.cli(['apply', 'plan.json', '--auto-approve']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('plan.json is stale');
    expect(again.stderr).not.toContain('It was planned with --dir');
  });

  it('planned from a directory this apply does not have: names it, instead of only "not found"', async () => {
    const s = closing(await scenario());
    await cp(join(s.dir.path, 'prompts'), join(s.dir.path, 'other'), { recursive: true });
    expect((await s.cli(['plan', '--dir', 'other', '--out', 'plan.json'])).code).toBe(0);
    const r = await s.cli(['apply', '--dir', 'missing', 'plan.json', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: plan.json was planned with --dir other, and this apply reads missing, which does not exist: apply it with --dir other; nothing was applied');
  });
});

