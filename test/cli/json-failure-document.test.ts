// plan, test, drift, validate, tokens and show with --format json write a JSON document even when they
// end in an error before their own (invalid files, an unreachable target, no prompts directory):
// its reader then says why instead of failing on an empty file (reviews found stdout empty). As
// test --format junit does.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'promptctl-json-failure-'));
  await cp(path.join(REPO, 'prompts'), path.join(cwd, 'prompts'), { recursive: true });
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

async function breakModel(): Promise<void> {
  const file = path.join(cwd, 'prompts/billing-assistant/template.yaml');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(/^(\s*model:\s*).*$/m, '$1no-such-model'));
}

describe('--format json when the command fails', () => {
  for (const command of ['plan', 'test', 'drift'] as const) {
    it(`${command}: invalid files give a document holding the error and each diagnostic, exit 1`, async () => {
      await breakModel();
      const r = await runCliInProcess([command, '--format', 'json'], { cwd, env: {} });
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as { error: string; diagnostics: { file: string; rule: string; line: number }[] };
      expect(doc.error).toMatch(/^1 error in prompts: nothing was /);
      expect(doc.diagnostics).toEqual([expect.objectContaining({ file: 'prompts/billing-assistant/template.yaml', rule: 'tokens/unknown-model', severity: 'error' })]);
      // stderr says it as before.
      expect(r.stderr).toMatch(/unknown model "no-such-model"/);
    });
  }

  it('plan: an unreachable target gives the error with no diagnostics', async () => {
    const env = { GENESYSCLOUD_API_URL: 'http://127.0.0.1:9', GENESYSCLOUD_OAUTHCLIENT_ID: 'id', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'not-shown-secret' };
    const r = await runCliInProcess(['plan', '--format', 'json'], { cwd, env });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { error: string; diagnostics: unknown[] };
    expect(doc.error).toMatch(/connection refused/);
    expect(doc.diagnostics).toEqual([]);
    expect(r.stdout).not.toContain('not-shown-secret');
  });

  for (const command of ['validate', 'tokens', 'plan'] as const) {
    it(`${command}: no prompts directory gives a document holding the error, exit 1`, async () => {
      const r = await runCliInProcess([command, '--dir', 'nope', '--format', 'json'], { cwd, env: {} });
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as { error: string; diagnostics: unknown[] };
      expect(doc.error).toMatch(/nope/);
      expect(doc.diagnostics).toEqual([]);
    });
  }

  it('tokens: invalid files put their errors in the document beside the counts, exit 1', async () => {
    await breakModel();
    const r = await runCliInProcess(['tokens', '--format', 'json'], { cwd, env: {} });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { versions: unknown[]; diagnostics: { file: string; rule: string; severity: string }[] };
    expect(doc.versions.length).toBeGreaterThan(0);
    expect(doc.diagnostics).toEqual([expect.objectContaining({ file: 'prompts/billing-assistant/template.yaml', rule: 'tokens/unknown-model', severity: 'error' })]);
    // A clean run's document holds none.
    await cp(path.join(REPO, 'prompts'), path.join(cwd, 'prompts'), { recursive: true });
    expect(JSON.parse((await runCliInProcess(['tokens', '--format', 'json'], { cwd, env: {} })).stdout)).not.toHaveProperty('diagnostics');
  });

  it('plan: a plan that succeeds is the one document on stdout; text format writes none on failure', async () => {
    const ok = await runCliInProcess(['plan', '--format', 'json'], { cwd, env: {} });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toHaveProperty('formatVersion');
    await breakModel();
    const text = await runCliInProcess(['plan'], { cwd, env: {} });
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
  });

  // show was the one command whose --format json left stdout empty when it failed.
  it('show: a file that is no valid plan gives a document holding why, exit 1', async () => {
    await writeFile(path.join(cwd, 'plan.json'), '{"formatVersion": 2, "actions": [');
    const r = await runCliInProcess(['show', 'plan.json', '--format', 'json'], { cwd, env: {} });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { error: string; diagnostics: unknown[] };
    expect(doc.error).toMatch(/^plan\.json is not a valid plan file; nothing was done:\nplan\.json:1:\d+: error: not a promptctl plan: it ends before the plan does/);
    // The error as a diagnostic, at its line and column, as plan's document holds invalid files'.
    expect(doc.diagnostics).toEqual([
      { file: 'plan.json', line: 1, column: 34, severity: 'error', rule: 'plan/json', message: expect.stringMatching(/^not a promptctl plan: it ends before the plan does/) },
    ]);
    expect(r.stderr).toMatch(/error: plan\.json is not a valid plan file/);
  });

  it('show: every way a plan cannot be read is a diagnostic in the document (a field at its place; the whole file at 1:1)', async () => {
    const show = async (file: string, input?: string) => {
      const r = await runCliInProcess(['show', file, '--format', 'json'], { cwd, env: {}, ...(input !== undefined ? { input } : {}) });
      expect(r.code, r.stderr).toBe(1);
      const doc = JSON.parse(r.stdout) as { error: string; diagnostics: unknown[] };
      // stderr says the same error, as before.
      expect(r.stderr).toContain(`error: ${doc.error.split('\n')[0]}`);
      return doc;
    };
    const made = await runCliInProcess(['plan', '--format', 'json'], { cwd, env: {} });
    expect(made.code, made.stderr).toBe(0);
    const plan = JSON.parse(made.stdout) as { actions: { name: string }[] };
    // A field the schema refuses: at its line and column.
    await writeFile(path.join(cwd, 'bad.json'), JSON.stringify({ ...plan, formatVersion: 'two' }, null, 2));
    expect((await show('bad.json')).diagnostics).toEqual([{ file: 'bad.json', line: 2, column: 20, severity: 'error', rule: 'plan/schema', message: expect.stringMatching(/formatVersion/) }]);
    // Edited after it was made: the seal, of the whole file.
    plan.actions[0]!.name = 'edited';
    await writeFile(path.join(cwd, 'edited.json'), JSON.stringify(plan, null, 2));
    expect((await show('edited.json')).diagnostics).toEqual([
      { file: 'edited.json', line: 1, column: 1, severity: 'error', rule: 'plan/seal', message: 'the plan was modified after it was made (fingerprint mismatch); run plan again' },
    ]);
    // Not there, a directory: the file cannot be read.
    expect(await show('missing.json')).toEqual({
      error: 'plan file missing.json does not exist',
      diagnostics: [{ file: 'missing.json', line: 1, column: 1, severity: 'error', rule: 'plan/unreadable', message: 'plan file missing.json does not exist' }],
    });
    expect((await show('prompts')).diagnostics).toEqual([{ file: 'prompts', line: 1, column: 1, severity: 'error', rule: 'plan/unreadable', message: 'plan file prompts is a directory: give the file `plan --out` wrote' }]);
    // Nothing piped into `show -`.
    expect((await show('-', '')).diagnostics).toEqual([{ file: 'stdin', line: 1, column: 1, severity: 'error', rule: 'plan/unreadable', message: expect.stringMatching(/^stdin held no plan/) }]);
  });
});
