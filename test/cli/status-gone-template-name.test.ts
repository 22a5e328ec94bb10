// `promptctl status` after a template was deleted (pruned, or by hand in Genesys) while its calls
// are still in the interval: the analytics name it only by its id, and status said the id alone
// ("03c701d5-… (no longer on the target): 17 calls"). The name comes from the audit trail apply
// wrote when it created the template: "billing (no longer on the target)"; without a trail, the id.
// In-process against a real emulator on port 0.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const SPLIT = `apiVersion: promptctl/v1
kind: TrafficSplit
spec:
  template: billing
  routes:
    - {version: "1.0.0", weight: 100}
`;

let dir: TempDir;
let emu: TestEmulator;
beforeEach(async () => {
  dir = await tempDir('promptctl-status-gone-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/billing.yaml'), `${BILLING_1_0}---\n${SPLIT}`);
  emu = await startTestEmulator();
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
});

const cli = (args: string[]) => runCliInProcess(args, { cwd: dir.path, env: emu.env });

/** billing applied, called twice, then deleted on the target; its id. */
async function calledThenDeleted(): Promise<string> {
  const applied = await cli(['apply', '--auto-approve']);
  expect(applied.code, applied.stderr).toBe(0);
  for (let i = 0; i < 2; i++) {
    const r = await cli(['run', 'billing', '--var', `question=Why was I charged twice (${i})?`]);
    expect(r.code, r.stderr).toBe(0);
  }
  const id = (await emu.api.listTemplates({ name: 'billing' }))[0]!.id;
  await emu.api.deleteTemplate(id);
  return id;
}

describe('status of a template no longer on the target', () => {
  it('names it as the audit trail recorded it, in text and JSON', async () => {
    const id = await calledThenDeleted();
    const text = await cli(['status', '--since', '1h']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^billing \(no longer on the target\): 2 calls$/m);
    expect(text.stdout).toMatch(/^  note: this template is no longer on the target$/m);
    expect(text.stdout).not.toContain(id);
    const json = await cli(['status', '--since', '1h', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).templates).toEqual([expect.objectContaining({ template: 'billing', templateId: id, gone: true, invocations: 2 })]);
  });

  it('status NAME reports it too, while its calls are in the interval; another name is still unknown', async () => {
    const id = await calledThenDeleted();
    const named = await cli(['status', 'billing', '--since', '1h', '--format', 'json']);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout).templates).toEqual([expect.objectContaining({ template: 'billing', templateId: id, gone: true, invocations: 2 })]);
    const other = await cli(['status', 'billin', '--since', '1h']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/no prompt template "billin" on the target/);
  });

  it('status NAME of a template deleted and made again since reports the earlier one\'s calls too, apart from the live one\'s', async () => {
    const gone = await calledThenDeleted();
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const r = await cli(['run', 'billing', '--var', 'question=And now?']);
    expect(r.code, r.stderr).toBe(0);
    const live = (await emu.api.listTemplates({ name: 'billing' }))[0]!.id;
    const named = await cli(['status', 'billing', '--since', '1h', '--format', 'json']);
    expect(named.code, named.stderr).toBe(0);
    const templates = (JSON.parse(named.stdout) as { templates: Array<{ templateId: string; template: string; gone?: true; invocations: number }> }).templates;
    expect(templates.map((t) => [t.template, t.templateId, t.gone ?? false, t.invocations]).sort((a, b) => Number(a[2]) - Number(b[2]))).toEqual([
      ['billing', live, false, 1],
      ['billing', gone, true, 2],
    ]);
    const text = await cli(['status', 'billing', '--since', '1h']);
    expect(text.stdout).toMatch(/^billing \(split random: 1\.0\.0 100 %\): 1 call$/m);
    expect(text.stdout).toMatch(/^billing \(no longer on the target\): 2 calls$/m);
  });

  it('status ID reports it by the id the report names it by when no trail here names it; a live template by its id too', async () => {
    const id = await calledThenDeleted();
    await rm(join(dir.path, '.promptctl/audit.jsonl'));
    const gone = await cli(['status', id, '--since', '1h', '--format', 'json']);
    expect(gone.code, gone.stderr).toBe(0);
    expect(JSON.parse(gone.stdout).templates).toEqual([expect.objectContaining({ template: id, templateId: id, gone: true, invocations: 2 })]);
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const live = (await emu.api.listTemplates({ name: 'billing' }))[0]!.id;
    const byId = await cli(['status', live, '--since', '1h', '--format', 'json']);
    expect(byId.code, byId.stderr).toBe(0);
    expect(JSON.parse(byId.stdout).templates).toEqual([expect.objectContaining({ template: 'billing', templateId: live, split: expect.objectContaining({ strategy: 'random' }), invocations: 0 })]);
    // A UUID is the same id in upper case (copied from elsewhere): before, it was "no call was made to a template of that id".
    const upperGone = await cli(['status', id.toUpperCase(), '--since', '1h', '--format', 'json']);
    expect(upperGone.code, upperGone.stderr).toBe(0);
    expect(JSON.parse(upperGone.stdout).templates).toEqual([expect.objectContaining({ templateId: id, gone: true, invocations: 2 })]);
    const upperLive = await cli(['status', live.toUpperCase(), '--since', '1h', '--format', 'json']);
    expect(upperLive.code, upperLive.stderr).toBe(0);
    expect(JSON.parse(upperLive.stdout).templates).toEqual([expect.objectContaining({ template: 'billing', templateId: live })]);
    // An id no call was made to in the interval, and no template has: unknown, as a name is.
    const other = await cli(['status', '00000000-0000-4000-8000-000000000000', '--since', '1h']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('no prompt template "00000000-0000-4000-8000-000000000000" on the target');
  });

  it('says its id when no trail here names it', async () => {
    const id = await calledThenDeleted();
    await rm(join(dir.path, '.promptctl/audit.jsonl'));
    const text = await cli(['status', '--since', '1h']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`${id} (no longer on the target): 2 calls`);
    // Why a name is missing, and where it was looked for: a CI checkout has no trail unless restored.
    // No trail at all is said so (before, "does not name it" sent the reader to a file not there).
    expect(text.stdout).toContain('note: this template is no longer on the target, and there is no audit trail here (.promptctl/audit.jsonl) to name it: shown by its id');
    // A trail that names other things only.
    await writeFile(join(dir.path, '.promptctl/audit.jsonl'), '');
    const unnamed = await cli(['status', '--since', '1h']);
    expect(unnamed.code, unnamed.stderr).toBe(0);
    expect(unnamed.stdout).toContain('note: this template is no longer on the target, and the audit trail here (.promptctl/audit.jsonl) does not name it: shown by its id');
  });
});
