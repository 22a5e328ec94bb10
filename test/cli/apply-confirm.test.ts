// The confirmation prompt of `promptctl apply` on a terminal: in-process, with stdin, stdout and
// stderr flagged as TTYs (as on a pty), the answer typed on stdin. Output is merged, as on a pty.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLiveState } from '../../src/targets/live.js';
import { runCliInProcess } from '../helpers/cli.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
});
afterEach(async () => {
  await s.close();
});

/** Runs `promptctl apply` on a terminal, typing `answer`. Output is merged. */
async function applyOnTty(answer: string): Promise<{ code: number; output: string }> {
  const r = await runCliInProcess(['apply'], { cwd: s.dir.path, env: s.emu.env, input: `${answer}\n`, tty: true });
  return { code: r.code, output: r.stderr + r.stdout };
}

describe('apply on a terminal', () => {
  it('keeps its progress to a line per change on a dumb terminal (TERM=dumb cannot erase a line)', async () => {
    const r = await runCliInProcess(['apply'], { cwd: s.dir.path, env: { ...s.emu.env, TERM: 'dumb' }, input: 'yes\n', tty: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('\r\x1b[K');
    expect(r.stderr).toMatch(/^\+ PromptTemplate\/\S+ created/m);
  });

  it('asks, and anything but "yes" cancels with nothing changed', async () => {
    const r = await applyOnTty('y');
    expect(r.output).toContain("Apply these changes? Only 'yes' is accepted:");
    expect(r.output).toContain('Apply cancelled; nothing was changed.');
    expect(r.code).toBe(1);
    expect((await readLiveState({ gateway: s.emu.api })).templates).toEqual([]);
  });

  it('Ctrl+C at the question is an interrupt: cancelled, nothing changed, exit 130 (not an internal error)', async () => {
    const r = await applyOnTty('\x03');
    expect(r.output).not.toMatch(/internal/);
    expect(r.output).toContain('Apply cancelled; nothing was changed.');
    expect(r.code, r.output).toBe(130);
    expect((await readLiveState({ gateway: s.emu.api })).templates).toEqual([]);
  });

  it('Ctrl+D at the question answers nothing: cancelled like any answer but "yes"', async () => {
    const r = await applyOnTty('\x04');
    expect(r.output).not.toMatch(/internal/);
    expect(r.output).toContain('Apply cancelled; nothing was changed.');
    expect(r.code, r.output).toBe(1);
    expect((await readLiveState({ gateway: s.emu.api })).templates).toEqual([]);
  });

  it('applies on "yes", with a progress bar', async () => {
    const r = await applyOnTty('yes');
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/\[#+\.*\] \d+\/10/);
    expect(r.output).toContain('Apply complete: 10 created, 0 updated, 0 deleted.');
    expect((await readLiveState({ gateway: s.emu.api })).templates).toHaveLength(2);
  });
});

describe('the expected duration of a long apply', () => {
  it('is said before the question, at the rate the target announces; a short apply says nothing', async () => {
    const r = await applyOnTty('no');
    expect(r.output).not.toContain('This apply makes about');
    // Twelve requests a minute: the plan's reads fit, its changes would take about a minute.
    const slow = await scenario('basic', { rateLimit: 12, rateWindowMs: 60_000 });
    try {
      const out = await runCliInProcess(['apply'], { cwd: slow.dir.path, env: slow.emu.env, input: 'no\n', tty: true });
      const text = out.stderr + out.stdout;
      expect(text).toMatch(/^This apply makes about 1\d requests: about \d+ s at the target's rate \(12 requests per 60 s\)\.$/m);
      expect(text.indexOf('This apply makes about')).toBeLessThan(text.indexOf('Apply these changes?'));
      expect(out.code).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it('says nothing when what the window still allows covers the apply: the rate holds nothing back', async () => {
    // Sixty a minute: the same apply is a quarter of a minute at that rate, but it goes at once.
    const roomy = await scenario('basic', { rateLimit: 60, rateWindowMs: 60_000 });
    try {
      const out = await runCliInProcess(['apply', '--auto-approve'], { cwd: roomy.dir.path, env: roomy.emu.env });
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain('Apply complete: 10 created');
      expect(out.stderr + out.stdout).not.toContain('This apply makes about');
      expect(out.stderr + out.stdout).not.toContain('The apply took');
    } finally {
      await roomy.close();
    }
  });
});
