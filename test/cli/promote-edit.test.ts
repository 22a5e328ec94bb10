// promote and rollback write git: what they write must leave the prompts valid in every
// environment, or nothing is written (a later rollback must not find files it cannot load); and it
// changes only what the edit says, down to the file's last newline and line ends.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

// A version without customerName, which the billing tests send to every version the split routes.
const V120 = `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing-assistant
  version: "1.2.0"
  systemInstruction: "You answer billing questions."
  userTemplate: "Question: {{question}}"
  variables:
    - name: question
      type: string
      maxLength: 2000
`;

describe('promote', () => {
  it('refused on invalid files of another --dir, names the validate that reads them (not prompts/)', async () => {
    dir = await tempDir('promptctl-promote-');
    await cp(join(REPO, 'prompts'), join(dir.path, 'team'), { recursive: true });
    const traffic = join(dir.path, 'team/billing-assistant/traffic.yaml');
    await writeFile(traffic, (await readFile(traffic, 'utf8')).replace('weight: 20 #', 'weight: 25 #'));
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '30', '--env', 'staging', '--dir', 'team'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[traffic/weights-sum]');
    expect(r.stderr).toContain('error: 1 error in team: nothing was changed (run `promptctl validate --dir team`)');
    // That command reports the error it points at.
    const validated = await runCliInProcess(['validate', '--dir', 'team'], { cwd: dir.path, env: {} });
    expect(validated.code).toBe(1);
    expect(validated.stdout + validated.stderr).toContain('[traffic/weights-sum]');
  });

  it('shows what the user typed in its errors as text: escapes and line breaks do not reach the terminal', async () => {
    dir = await tempDir('promptctl-promote-');
    await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    const template = await runCliInProcess(['promote', 'billing-\u001b[31massistant', '1.0.0'], { cwd: dir.path, env: {} });
    expect(template.code).toBe(1);
    expect(template.stderr).not.toContain('\u001b');
    expect(template.stderr).toContain('error: no TrafficSplit of template "billing-\\u001b[31massistant"');
    const version = await runCliInProcess(['promote', 'billing-assistant', '1.0.0\u001b[2J\nerror: forged'], { cwd: dir.path, env: {} });
    expect(version.code).toBe(1);
    expect(version.stderr).not.toContain('\u001b');
    expect(version.stderr).not.toMatch(/^error: forged/m);
    // 0 % to a version the split does not route: nothing to change, no 0 % route added.
    await writeFile(join(dir.path, 'prompts/billing-assistant/v1.2.0.yaml'), V120.replace('"Question: {{question}}"', '"{{customerName}}: {{question}}"').replace('  variables:\n', '  variables:\n    - name: customerName\n      type: string\n'));
    const traffic = join(dir.path, 'prompts/billing-assistant/traffic.yaml');
    const before = await readFile(traffic, 'utf8');
    const zero = await runCliInProcess(['promote', 'billing-assistant', '1.2.0', '--weight', '0'], { cwd: dir.path, env: {} });
    expect(zero.code, zero.stderr).toBe(0);
    expect(zero.stderr).toContain('TrafficSplit/billing-assistant already routes 0% to 1.2.0: nothing to change');
    expect(await readFile(traffic, 'utf8')).toBe(before);
    // A CR would send the cursor back to write over the error line: every error line escapes it
    // (main.ts), wherever the message quotes the user from (here a file name).
    const cr = await runCliInProcess(['audit', 'verify', 'nothing\rerror: forged'], { cwd: dir.path, env: {} });
    expect(cr.code).toBe(1);
    expect(cr.stderr).not.toContain('\r');
    expect(cr.stderr).toContain('nothing\\u000derror: forged');
    const rollback = await runCliInProcess(['rollback', 'billing\nassistant'], { cwd: dir.path, env: {} });
    expect(rollback.code).toBe(1);
    expect(rollback.stderr).toContain('no TrafficSplit of template "billing\\u000aassistant"');
  });

  it('refuses an edit that would leave the prompts invalid, writing nothing', async () => {
    dir = await tempDir('promptctl-promote-');
    await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    await writeFile(join(dir.path, 'prompts/billing-assistant/v1.2.0.yaml'), V120);
    const traffic = join(dir.path, 'prompts/billing-assistant/traffic.yaml');
    const before = await readFile(traffic, 'utf8');
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.2.0', '--weight', '30'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/prompts\/tests\/billing-\w+\.yaml:\d+:\d+: error: .*customerName/);
    expect(r.stderr).toMatch(/error: promote 1\.2\.0 to 30% would leave \d+ errors? in prompts \(listed above\): nothing was changed/);
    expect(await readFile(traffic, 'utf8')).toBe(before);
  });

  it("refuses to change weights that another environment's routes repeat through aliases, writing nothing", async () => {
    dir = await tempDir('promptctl-promote-');
    await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    const traffic = join(dir.path, 'prompts/billing-assistant/traffic.yaml');
    // prod's override repeats the document's weights by anchor: promote without --env must leave prod at 80/20.
    const anchored = (await readFile(traffic, 'utf8'))
      .replace('weight: 80', 'weight: &old 80')
      .replace('weight: 20 #', 'weight: &new 20 #')
      .replace('weight: 95', 'weight: *old')
      .replace('weight: 5', 'weight: *new');
    await writeFile(traffic, anchored);
    expect((await runCliInProcess(['validate'], { cwd: dir.path, env: {} })).code).toBe(0);
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '50'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/traffic\.yaml: the routes of the split share anchors \(&name\) with other values, which this edit would change too; edit the weights by hand/);
    expect(await readFile(traffic, 'utf8')).toBe(anchored);
  });

  it('keeps the ending of a file that had no final newline, LF or CRLF, when it adds lines at its end', async () => {
    dir = await tempDir('promptctl-promote-');
    const traffic = (name: string) => join(dir!.path, name, 'prompts/billing-assistant/traffic.yaml');
    const original = await readFile(join(REPO, 'prompts/billing-assistant/traffic.yaml'), 'utf8');
    const endings = { lf: original, bare: original.replace(/\n$/, ''), crlf: original.replace(/\n$/, '').replace(/\n/g, '\r\n') };
    const after: Record<string, string> = {};
    for (const [name, text] of Object.entries(endings)) {
      await cp(join(REPO, 'prompts'), join(dir.path, name, 'prompts'), { recursive: true });
      await writeFile(traffic(name), text);
      // staging shares the document's routes with dev: its own routes go after prod's, last in the file.
      const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '50', '--env', 'staging'], { cwd: join(dir.path, name), env: {} });
      expect(r.code, r.stderr).toBe(0);
      after[name] = await readFile(traffic(name), 'utf8');
    }
    expect(after.lf).toMatch(/ {4}staging:\n {6}routes:\n(.*\n){4}$/);
    expect(after.bare).toBe(after.lf!.replace(/\n$/, ''));
    expect(after.crlf).toBe(after.bare!.replace(/\n/g, '\r\n'));
  });
});
