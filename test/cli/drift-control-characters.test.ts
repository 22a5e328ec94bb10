// `promptctl drift` quotes names and keys the target holds: AI Studio takes a guide name with an
// ESC in it (set in the Genesys UI). Printed raw, it would drive the reader's terminal (colours,
// clearing the screen); the plan text shows it as \u001b (util/escapes.ts visible), and so must
// the drift report's own lines: the note on what exists only on the target, and each difference.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import type { Plan } from '../../src/plan/types.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { renderDrift } from '../../src/views/drift.js';
import { CLIENT_ID, CLIENT_SECRET } from '../helpers/emulator.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

const ESC = '\u001b';

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  await s.close();
});

describe('drift: control characters from the target', () => {
  it('notes a guide only on the target with its name made visible', async () => {
    const studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: s.emu.url, loginUrl: s.emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    try {
      await studio.createGuide({ name: `evil${ESC}[2J${ESC}[31mname`, source: 'Manual' });
      await studio.createGuide({ name: 'Evil\rerror: forged\nX', source: 'Manual' });
    } finally {
      await studio.close();
    }
    const r = await s.cli(['drift']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(ESC);
    // Listed once, in the report's "Left alone" (stderr notes them only beside a markdown or JSON report).
    expect(r.stdout).toContain('· Guide/evil\\u001b[2J\\u001b[31mname — ');
    // A CR or a line break would write over the line or forge one of its own.
    expect(r.stdout + r.stderr).not.toMatch(/\r|^error: forged/m);
    expect(r.stdout).toContain('· Guide/Evil\\u000derror: forged\\u000aX — ');
    expect(r.stderr).not.toContain('exists only on the target');
    const md = await s.cli(['drift', '--format', 'markdown']);
    expect(md.stderr).toContain('note: Guide/evil\\u001b[2J\\u001b[31mname exists only on the target');
    expect(md.stderr).toContain('note: Guide/Evil\\u000derror: forged\\u000aX exists only on the target');
  });

  it('makes each difference visible in the text report', () => {
    const out = renderDrift({} as Plan, [
      { address: `Guide/a${ESC}[2Jb`, action: 'update', modifiedBy: `u${ESC}[31m`, dateModified: `2026${ESC}[0m`, message: `differs from git: variables.x${ESC}[2Jy` },
    ], 'text', 'plan\n');
    expect(out).not.toContain(ESC);
    expect(out).toContain('Guide/a\\u001b[2Jb: differs from git: variables.x\\u001b[2Jy; last changed by u\\u001b[31m at 2026\\u001b[0m');
  });

  it('keeps each difference on its own line when a name, user or stamp holds a line break', () => {
    const out = renderDrift({} as Plan, [
      { address: 'Guide/a\n  Guide/forged: deleted', action: 'update', modifiedBy: 'u\r\nv', dateModified: '2026\u2028x', message: 'differs from git: name "x\ny"' },
    ], 'text', 'plan\n');
    const lines = out.split('\n');
    expect(lines.at(-1)).toBe('  Guide/a\\u000a  Guide/forged: deleted: differs from git: name "x\\u000ay"; last changed by u\\u000d\\u000av at 2026\\u2028x');
    expect(lines).toHaveLength(4);
  });

  it('escapes the stamp in the markdown table like every other cell, and keeps a row on one line', () => {
    const out = renderDrift({} as Plan, [
      { address: 'Guide/a', action: 'update', modifiedBy: 'u', dateModified: '2026 | <!-- x', message: 'differs\rfrom git' },
    ], 'markdown', 'plan\n');
    const row = out.split('\n').find((l) => l.startsWith('| `Guide/a`'));
    expect(row).toBeDefined();
    expect(row!.split(/(?<!\\)\|/)).toHaveLength(7);
    expect(row).not.toContain('<!--');
    // CommonMark ends a line at a lone CR too: the row would stop there.
    expect(row).not.toContain('\r');
  });
});
