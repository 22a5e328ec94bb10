// `promptctl drift` against a target that does not serve a surface git uses (an org without AI
// Studio: its listings answer 404). Those kinds cannot be read, so drift cannot say whether they
// differ: that is an error (exit 1, as plan fails on it, and as a surface the target refuses to
// list is), not a difference (exit 2) a scheduled drift job would report as a change made by hand.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';
import { RETURNS_GUIDE } from '../helpers/documents.js';


let s: Scenario;
beforeEach(async () => {
  s = await scenario('basic', { surfaces: { aistudio: false } });
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  await s.close();
});

describe('drift: a surface the target does not serve', () => {
  it('exits 0 when git uses none of its kinds', async () => {
    const r = await s.cli(['drift']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('exits 1 naming the surface when git defines its kinds, not 2 as if they had drifted', async () => {
    await mkdir(join(s.dir.path, 'prompts', 'guides'), { recursive: true });
    await writeFile(join(s.dir.path, 'prompts', 'guides', 'returns.yaml'), RETURNS_GUIDE);
    const r = await s.cli(['drift']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error: .*does not serve the AI Studio guides API.*Guide/);
    expect(r.stderr).not.toMatch(/Drift: \d+ difference/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const j = await s.cli(['drift', '--format', 'json']);
    expect(j.code).toBe(1);
    // What could be compared is still reported: the gateway kinds match git.
    expect(JSON.parse(j.stdout).drift).toEqual([]);
    // The markdown a scheduled job posts does not say there is no drift.
    const md = await s.cli(['drift', '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout.split('\n')[0]).toBe('### Drift unknown: not all of git could be compared with the target');
  });
});
