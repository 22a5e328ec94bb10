// A guide whose instruction the org holds as whitespace alone: export left out a guide with an
// empty instruction (one not written yet) but wrote this one, whose document validate then refused
// (guides/empty-instruction, whose message says export leaves such a guide out), so plan of a fresh
// export failed whole. It is now left out with a warning, as an empty one is.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aiStudioOrg, publishedGuide } from '../helpers/aistudio-org.js';
import { closeAfterEach } from '../helpers/interrupt.js';

const closing = closeAfterEach();

describe('export of a guide whose instruction is blank', () => {
  it('leaves it out with a warning, and the export validates and plans with no changes', { timeout: 60_000 }, async () => {
    const { dir, studio, cli } = closing(await aiStudioOrg('promptctl-export-blank-guide-'));
    await publishedGuide(studio, 'Returns', 'Help with returns.');
    await publishedGuide(studio, 'Placeholder', ' \n\t\n');
    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/error:|does not validate/);
    expect(r.stderr).toContain('warning: skipped Guide/Placeholder: its production version 1.0 (ProductionReady) has a blank instruction (whitespace alone)');
    expect(r.stderr).toContain('1 guide and 0 summary settings');
    expect((await readdir(join(dir.path, 'adopted/guides'))).sort()).toEqual(['returns.md', 'returns.yaml']);
    const plan = await cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });
});
