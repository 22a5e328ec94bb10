// export --force over an earlier export, in and out of a git checkout: what it names as left over
// from before (only what an earlier export's document referred to, never a file of the user's that
// nothing ever referred to), where it writes an object whose file the user moved (there again, or
// nowhere when that would lose something), and what it refuses to replace (what git could not give back).
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { publishedGuide } from '../helpers/aistudio-org.js';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

interface Org {
  dir: TempDir;
  emu: TestEmulator;
  studio: AiStudioApi;
  cli(args: readonly string[]): Promise<CliResult>;
  /** git in the org's working directory, with no user or system configuration. */
  git(...args: string[]): string;
}
const open: Org[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.studio.close();
    await o.emu.close();
    await o.dir.remove();
  }
});

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };

async function org(): Promise<Org> {
  const dir = await tempDir('promptctl-export-user-files-');
  const emu = await startTestEmulator({});
  const studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
  const o: Org = {
    dir,
    emu,
    studio,
    cli: (args) => runCliInProcess(args, { cwd: dir.path, env: emu.env }),
    git: (...args) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir.path, env: GIT_ENV, encoding: 'utf8' }),
  };
  open.push(o);
  return o;
}

/** A guide made by hand in the org, its first version holding `instruction`, published to ProductionReady. */
const handMadeGuide = publishedGuide;

/** A guide and a summary setting made by hand, exported into adopted/ of a new git checkout; the guide's id. */
async function exportedGuideAndSetting(o: Org): Promise<string> {
  const id = await handMadeGuide(o.studio, 'Returns assistant', 'Be nice.\n');
  await o.studio.createSummarySetting({ name: 'email-one', language: 'en-US' });
  o.git('init', '-q');
  expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
  return id;
}

describe('export --force: what is left over from an earlier export', () => {
  it('leaves a Markdown file of the user\'s under guides/ that no document ever referred to alone, without a word', { timeout: 60_000 }, async () => {
    const o = await org();
    await handMadeGuide(o.studio, 'Returns', 'Be nice.\n');
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    await writeFile(join(o.dir.path, 'adopted/guides/README.md'), '# Our guides\n');
    await writeFile(join(o.dir.path, 'adopted/guides/notes.md'), 'Ask Sam before changing Returns.\n');
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('README.md');
    expect(r.stderr).not.toContain('notes.md');
    // The same in a git checkout that holds them committed: no commit ever referred to them.
    o.git('init', '-q');
    o.git('add', 'adopted');
    o.git('commit', '-q', '-m', 'export');
    const again = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('README.md');
    expect(again.stderr).not.toContain('notes.md');
    expect(await readFile(join(o.dir.path, 'adopted/guides/README.md'), 'utf8')).toBe('# Our guides\n');
  });

  it('does not write a new guide\'s instruction over a Markdown file of the user\'s under guides/ that its name makes', { timeout: 60_000 }, async () => {
    const o = await org();
    await handMadeGuide(o.studio, 'Returns', 'Be nice.\n');
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    const notes = join(o.dir.path, 'adopted/guides/notes.md');
    await writeFile(notes, 'Ask Sam before changing Returns.\n');
    await handMadeGuide(o.studio, 'Notes', 'Take notes.\n');
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(notes, 'utf8')).toBe('Ask Sam before changing Returns.\n');
    expect(await readFile(join(o.dir.path, 'adopted/guides/notes-2.md'), 'utf8')).toBe('Take notes.\n');
    expect(await readFile(join(o.dir.path, 'adopted/guides/notes-2.yaml'), 'utf8')).toContain('file: guides/notes-2.md');
    expect(r.stderr).toContain('warning: Guide/Notes is written to adopted/guides/notes-2.yaml: adopted/guides/notes.md is a file no document refers to and is kept as it is');
    expect(r.stderr).not.toContain('replaced');
  });

  it('does not write a template\'s file beside a file of the user\'s whose name differs only in letter case (the same file on macOS and Windows)', { timeout: 60_000 }, async () => {
    const o = await org();
    const t = await o.emu.api.createTemplate({ name: 'summarize', model: 'gpt-4o' });
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    const checks = join(o.dir.path, 'adopted/Checks.yaml');
    const mine = 'apiVersion: promptctl/v1\nkind: PromptTest\nmetadata: {name: summarize-smoke}\nspec: {target: {template: summarize, version: "1.0.0"}, cases: []}\n';
    await writeFile(checks, mine);
    await o.emu.api.updateTemplate(t.id, { name: 'checks', model: 'gpt-4o', version: t.version });
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(await readFile(checks, 'utf8')).toBe(mine);
    // Before, checks.yaml went beside it: over it where file names ignore case, and a pair git cannot check out there.
    expect((await readdir(join(o.dir.path, 'adopted'))).sort()).toEqual(['Checks.yaml', 'checks-2.yaml', 'summarize.yaml']);
    expect(r.stderr).toContain('PromptTemplate/checks is written to adopted/checks-2.yaml: adopted/Checks.yaml holds PromptTest/summarize-smoke and is kept as it is');
  });

  it('writes a guide renamed on the org in letter case alone back into its file, not beside it as a namesake', { timeout: 60_000 }, async () => {
    const o = await org();
    const id = await handMadeGuide(o.studio, 'Returns', 'Be nice.\n');
    await o.studio.createSummarySetting({ name: 'Wrap-up', language: 'en-US' });
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    await o.studio.patchGuide(id, { name: 'RETURNS' });
    const setting = (await o.studio.listSummarySettings()).find((x) => x.name === 'Wrap-up')!;
    await o.studio.putSummarySetting(setting.id, { name: 'Wrap-Up', language: 'en-US' });
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    // Before, it went to returns-2.yaml beside the old file, which plan then refused ('differs only in case'): exit 1.
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(join(o.dir.path, 'adopted/guides'))).sort()).toEqual(['returns.md', 'returns.yaml']);
    expect(await readFile(join(o.dir.path, 'adopted/guides/returns.yaml'), 'utf8')).toContain('name: RETURNS');
    expect(await readdir(join(o.dir.path, 'adopted/summaries'))).toEqual(['wrap-up.yaml']);
    expect(await readFile(join(o.dir.path, 'adopted/summaries/wrap-up.yaml'), 'utf8')).toContain('name: Wrap-Up');
    expect(r.stderr).not.toContain('not part of the export');
    const plan = await o.cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('writes a template back into an earlier export\'s file of it the user moved into a folder or renamed, not once more at the top', { timeout: 60_000 }, async () => {
    const o = await org();
    const t = await o.emu.api.createTemplate({ name: 'summarize', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    await o.emu.api.createTemplate({ name: 'triage', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    await o.emu.api.createTemplate({ name: 'notes', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    await mkdir(join(o.dir.path, 'adopted/billing'));
    await rename(join(o.dir.path, 'adopted/summarize.yaml'), join(o.dir.path, 'adopted/billing/summarize.yaml'));
    await rename(join(o.dir.path, 'adopted/triage.yaml'), join(o.dir.path, 'adopted/triage-template.yaml'));
    await o.emu.api.updateTemplate(t.id, { name: t.name, model: t.model, labels: t.labels, description: 'Summaries', version: t.version });
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    // Before, summarize.yaml and triage.yaml were written at the top too, and the check of the export failed on each template defined twice.
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(join(o.dir.path, 'adopted'))).sort()).toEqual(['billing', 'notes.yaml', 'triage-template.yaml']);
    expect(await readFile(join(o.dir.path, 'adopted/billing/summarize.yaml'), 'utf8')).toContain('description: Summaries');
    expect(r.stderr).not.toContain('was there before');
    const plan = await o.cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // One the user wrote in (a comment) is theirs: not written over, the template named afresh as before.
    const mine = `# owned by billing\n${await readFile(join(o.dir.path, 'adopted/billing/summarize.yaml'), 'utf8')}`;
    await writeFile(join(o.dir.path, 'adopted/billing/summarize.yaml'), mine);
    const again = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(await readFile(join(o.dir.path, 'adopted/billing/summarize.yaml'), 'utf8')).toBe(mine);
    expect(again.stderr).toContain('adopted/billing/summarize.yaml was there before and is not part of the export');
  });

  it('writes a template back into its file the user renamed in letter case alone and wrote a comment in, as a file of its own name, not beside it as a twin', { timeout: 60_000 }, async () => {
    const o = await org();
    const t = await o.emu.api.createTemplate({ name: 'summarize', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    o.git('init', '-q');
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    o.git('add', 'adopted');
    o.git('commit', '-q', '-m', 'export');
    // Summarize.yaml is where summarize.yaml goes on macOS and Windows: the same file, in the user's spelling.
    const renamed = join(o.dir.path, 'adopted/Summarize.yaml');
    await rename(join(o.dir.path, 'adopted/summarize.yaml'), renamed);
    const mine = `# owned by billing\n${await readFile(renamed, 'utf8')}`;
    await writeFile(renamed, mine);
    await o.emu.api.updateTemplate(t.id, { name: t.name, model: t.model, labels: t.labels, description: 'Summaries', version: t.version });
    // Not yet in git, the comment is refused as any untracked content is: git could not give it back.
    const refused = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(refused.stderr).toContain('error: adopted/Summarize.yaml is not in git (untracked)');
    expect(refused.code).toBe(1);
    expect(await readFile(renamed, 'utf8')).toBe(mine);
    expect(await readdir(join(o.dir.path, 'adopted'))).toEqual(['Summarize.yaml']);
    o.git('add', '-A', 'adopted');
    o.git('commit', '-q', '-m', 'renamed');
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    // Before, summarize.yaml went beside it: the template defined twice (exit 1), and a pair git cannot check out on macOS or Windows.
    expect(r.code, r.stderr).toBe(0);
    expect(await readdir(join(o.dir.path, 'adopted'))).toEqual(['Summarize.yaml']);
    expect(await readFile(renamed, 'utf8')).toContain('description: Summaries');
    expect(r.stderr).toContain('warning: adopted/Summarize.yaml was there before and is replaced by the export (what it held beyond the org\'s objects, comments included, is not in it; git has the old file if it was committed)');
    expect(r.stderr).not.toContain('not part of the export');
    const plan = await o.cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('of two files whose names differ in letter case alone, writes a template back into the one that holds it, not over a test of the user\'s', { timeout: 60_000 }, async () => {
    const o = await org();
    const t = await o.emu.api.createTemplate({ name: 'summarize', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    await o.emu.api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'Be brief.', userTemplate: 'Hi' });
    await o.emu.api.publishVersion(t.id, '1.0.0');
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    const renamed = join(o.dir.path, 'adopted/Summarize.yaml');
    await rename(join(o.dir.path, 'adopted/summarize.yaml'), renamed);
    await writeFile(renamed, `# owned by billing\n${await readFile(renamed, 'utf8')}`);
    // A case-sensitive file system holds both; SUMMARIZE.yaml sorts first.
    const tests = join(o.dir.path, 'adopted/SUMMARIZE.yaml');
    const mine = 'apiVersion: promptctl/v1\nkind: PromptTest\nmetadata: {name: summarize-smoke}\nspec: {target: {template: summarize, version: "1.0.0"}, cases: [{name: hi, expect: [{contains: a}]}]}\n';
    await writeFile(tests, mine);
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(await readFile(tests, 'utf8')).toBe(mine);
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(join(o.dir.path, 'adopted'))).sort()).toEqual(['SUMMARIZE.yaml', 'Summarize.yaml']);
    expect(await readFile(renamed, 'utf8')).toMatch(/^apiVersion: promptctl\/v1\nkind: PromptTemplate\n/);
    expect(r.stderr).toContain('warning: adopted/Summarize.yaml was there before and is replaced by the export');
    expect(r.stderr).not.toContain('SUMMARIZE.yaml');
  });

  it('writes a guide\'s instruction back into its .md the user renamed in letter case alone, not beside it as a twin', { timeout: 60_000 }, async () => {
    const o = await org();
    await handMadeGuide(o.studio, 'Returns', 'Be nice.\n');
    o.git('init', '-q');
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    o.git('add', 'adopted');
    o.git('commit', '-q', '-m', 'export');
    // Renamed, its reference in the YAML not: plan --dir says "did you mean guides/Returns.md?".
    o.git('mv', 'adopted/guides/returns.md', 'adopted/guides/Returns.md');
    o.git('commit', '-q', '-m', 'renamed');
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(r.code, r.stderr).toBe(0);
    // Before, returns.md went beside it: a pair git cannot check out on macOS or Windows, where it is one file.
    expect((await readdir(join(o.dir.path, 'adopted/guides'))).sort()).toEqual(['Returns.md', 'returns.yaml']);
    expect(await readFile(join(o.dir.path, 'adopted/guides/returns.yaml'), 'utf8')).toContain('file: guides/Returns.md');
    expect(await readFile(join(o.dir.path, 'adopted/guides/Returns.md'), 'utf8')).toBe('Be nice.\n');
    expect(r.stderr).not.toContain('was there before');
    const plan = await o.cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('names an instruction file under guides/ that a committed guide YAML referred to, once that YAML is removed, and keeps it', { timeout: 60_000 }, async () => {
    const o = await org();
    const id = await handMadeGuide(o.studio, 'Old guide', 'Be nice.\n');
    await handMadeGuide(o.studio, 'Kept guide', 'Be kind.\n');
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    o.git('init', '-q');
    o.git('add', 'adopted');
    o.git('commit', '-q', '-m', 'export');
    await o.studio.deleteGuide(id);
    // The deleted guide's YAML removed (and the removal committed), as the re-export's warning invites; its .md stays.
    o.git('rm', '-q', 'adopted/guides/old-guide.yaml');
    o.git('commit', '-q', '-m', 'old guide gone');
    await writeFile(join(o.dir.path, 'adopted/guides/README.md'), '# Our guides\n');
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(o.dir.path, 'adopted/guides/old-guide.md'), 'utf8')).toBe('Be nice.\n');
    expect(r.stderr).toMatch(/^warning: adopted\/guides\/old-guide\.md was there before and is not part of the export; no document refers to it, so plan --dir adopted does not read it$/m);
    expect(r.stderr).not.toContain('kept-guide.md was there before');
    expect(r.stderr).not.toContain('README.md');
  });
});

describe('export --force over guides and summary settings the user moved', () => {
  it('writes a guide (its instruction where its YAML refers to) and a summary setting back into the files the user moved them to, not once more under guides/ and summaries/', { timeout: 60_000 }, async () => {
    const o = await org();
    const id = await exportedGuideAndSetting(o);
    o.git('add', 'adopted');
    o.git('commit', '-q', '-m', 'export');
    await mkdir(join(o.dir.path, 'adopted/support'));
    o.git('mv', 'adopted/guides/returns-assistant.yaml', 'adopted/guides/returns-assistant.md', 'adopted/support/');
    o.git('mv', 'adopted/summaries/email-one.yaml', 'adopted/support/');
    const yaml = join(o.dir.path, 'adopted/support/returns-assistant.yaml');
    await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('file: guides/returns-assistant.md', 'file: support/returns-assistant.md'));
    o.git('commit', '-q', '-am', 'moved');
    const v = await o.studio.createGuideVersion(id, { instruction: 'Be nicer.\n' });
    await o.studio.publishGuideVersion(id, v.version, 'ProductionReady');
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    // Before, guides/returns-assistant.yaml (and .md) and summaries/email-one.yaml were written again too: each object defined twice, exit 1.
    expect(r.code, r.stderr).toBe(0);
    for (const folder of ['guides', 'summaries']) expect(await readdir(join(o.dir.path, 'adopted', folder)).catch(() => [])).toEqual([]);
    expect((await readdir(join(o.dir.path, 'adopted/support'))).sort()).toEqual(['email-one.yaml', 'returns-assistant.md', 'returns-assistant.yaml']);
    expect(await readFile(yaml, 'utf8')).toContain('file: support/returns-assistant.md');
    expect(await readFile(join(o.dir.path, 'adopted/support/returns-assistant.md'), 'utf8')).toBe('Be nicer.\n');
    expect(r.stderr).not.toContain('was there before and is not part of the export');
    const plan = await o.cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('keeps a moved guide\'s or summary setting\'s file the user wrote in as it is, and writes the object nowhere else, saying so', { timeout: 60_000 }, async () => {
    const o = await org();
    const id = await exportedGuideAndSetting(o);
    await mkdir(join(o.dir.path, 'adopted/support'));
    await rename(join(o.dir.path, 'adopted/guides/returns-assistant.yaml'), join(o.dir.path, 'adopted/support/returns-assistant.yaml'));
    await rename(join(o.dir.path, 'adopted/summaries/email-one.yaml'), join(o.dir.path, 'adopted/support/email-one.yaml'));
    const guide = `# owned by support\n${await readFile(join(o.dir.path, 'adopted/support/returns-assistant.yaml'), 'utf8')}`;
    const setting = `# owned by support\n${await readFile(join(o.dir.path, 'adopted/support/email-one.yaml'), 'utf8')}`;
    await writeFile(join(o.dir.path, 'adopted/support/returns-assistant.yaml'), guide);
    await writeFile(join(o.dir.path, 'adopted/support/email-one.yaml'), setting);
    o.git('add', 'adopted');
    o.git('commit', '-q', '-m', 'moved');
    const v = await o.studio.createGuideVersion(id, { instruction: 'Be nicer.\n' });
    await o.studio.publishGuideVersion(id, v.version, 'ProductionReady');
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(o.dir.path, 'adopted/support/returns-assistant.yaml'), 'utf8')).toBe(guide);
    expect(await readFile(join(o.dir.path, 'adopted/support/email-one.yaml'), 'utf8')).toBe(setting);
    expect(await readFile(join(o.dir.path, 'adopted/guides/returns-assistant.md'), 'utf8')).toBe('Be nice.\n');
    expect((await readdir(join(o.dir.path, 'adopted/guides')))).toEqual(['returns-assistant.md']);
    expect(await readdir(join(o.dir.path, 'adopted/summaries')).catch(() => [])).toEqual([]);
    expect(r.stderr).toContain('warning: Guide/Returns assistant is not exported: adopted/support/returns-assistant.yaml, where its document was moved, holds what export would not write there again (comments, a layout or fields of yours, an instruction file another document refers to), so that file is kept as it is; a plan shows how it differs from the org');
    expect(r.stderr).toContain('warning: SummarySetting/email-one is not exported: adopted/support/email-one.yaml, where its document was moved,');
    expect(r.stderr).not.toContain('was there before and is not part of the export');
    const plan = await o.cli(['plan', '--dir', 'adopted']);
    expect(plan.stderr).not.toContain('names/duplicate');
    expect(plan.stdout).toContain('Guide/Returns assistant');
  });
});

describe('export --force over files holding the user\'s tests beside the objects', () => {
  /** A PromptTest document as the user writes one, comments included, to append to a file after a `---`. */
  const smokeTest = (name: string, target: string): string =>
    `# smoke test, kept by hand\napiVersion: promptctl/v1\nkind: PromptTest  # ours, never in the org\nmetadata: {name: ${name}}\nspec:\n  target: ${target}\n  cases:\n    - name: hi  # one for now\n${target.includes('guide') ? '      messages: [{role: user, content: hi}]\n' : ''}      expect: [{contains: a}]\n`;

  it('keeps them, as they were, after the template\'s documents it writes again (in place, or where the user moved the file), and warns of nothing lost', { timeout: 60_000 }, async () => {
    const o = await org();
    const t = await o.emu.api.createTemplate({ name: 'summarize', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    await o.emu.api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'Be brief.', userTemplate: 'Hi' });
    await o.emu.api.publishVersion(t.id, '1.0.0');
    const triage = await o.emu.api.createTemplate({ name: 'triage', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    await o.emu.api.createVersion(triage.id, { version: '1.0.0', systemInstruction: 'Sort it.', userTemplate: 'Hi' });
    await o.emu.api.publishVersion(triage.id, '1.0.0');
    o.git('init', '-q');
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    const summarize = join(o.dir.path, 'adopted/summarize.yaml');
    const test = `---\n${smokeTest('summarize-smoke', '{template: summarize}')}`;
    await writeFile(summarize, `${await readFile(summarize, 'utf8')}${test}`);
    await mkdir(join(o.dir.path, 'adopted/billing'));
    const moved = join(o.dir.path, 'adopted/billing/triage.yaml');
    // Written first in the file: kept after the template's documents.
    const first = smokeTest('triage-smoke', '{template: triage}');
    await writeFile(moved, `${first}---\n${await readFile(join(o.dir.path, 'adopted/triage.yaml'), 'utf8')}`);
    await unlink(join(o.dir.path, 'adopted/triage.yaml'));
    o.git('add', '-A', 'adopted');
    o.git('commit', '-q', '-m', 'tests beside the templates');
    await o.emu.api.updateTemplate(t.id, { name: t.name, model: t.model, labels: t.labels, description: 'Summaries', version: t.version });
    await o.emu.api.updateTemplate(triage.id, { name: triage.name, model: triage.model, labels: triage.labels, description: 'Triage', version: triage.version });
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(r.code, r.stderr).toBe(0);
    // Before, the file was replaced whole, its test gone, "was there before and is replaced by the export" said of it.
    const now = await readFile(summarize, 'utf8');
    expect(now).toMatch(/^apiVersion: promptctl\/v1\nkind: PromptTemplate\n/);
    expect(now).toContain('description: Summaries');
    expect(now.endsWith(test)).toBe(true);
    const there = await readFile(moved, 'utf8');
    expect(there).toMatch(/^apiVersion: promptctl\/v1\nkind: PromptTemplate\n/);
    expect(there).toContain('description: Triage');
    expect(there.endsWith(`---\n${first}`)).toBe(true);
    expect((await readdir(join(o.dir.path, 'adopted'))).sort()).toEqual(['billing', 'summarize.yaml']);
    expect(r.stderr).not.toContain('was there before');
    const v = await o.cli(['validate', '--dir', 'adopted']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const plan = await o.cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('keeps them after a guide\'s or a summary setting\'s document, writing the object there again, not into a file of a new name', { timeout: 60_000 }, async () => {
    const o = await org();
    const id = await exportedGuideAndSetting(o);
    const guide = join(o.dir.path, 'adopted/guides/returns-assistant.yaml');
    const test = `---\n${smokeTest('guide-smoke', '{guide: Returns assistant}')}`;
    await writeFile(guide, `${await readFile(guide, 'utf8')}${test}`);
    const setting = join(o.dir.path, 'adopted/summaries/email-one.yaml');
    const first = smokeTest('guide-smoke-2', '{guide: Returns assistant}');
    const exported = await readFile(setting, 'utf8');
    await writeFile(setting, `${first}---\n${exported}`);
    o.git('add', '-A', 'adopted');
    o.git('commit', '-q', '-m', 'tests beside them');
    const v = await o.studio.createGuideVersion(id, { instruction: 'Be nicer.\n' });
    await o.studio.publishGuideVersion(id, v.version, 'ProductionReady');
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    // Before, the guide went to returns-assistant-2.yaml ("… holds Guide/Returns assistant, PromptTest/guide-smoke and is kept as it is"): defined twice, exit 1.
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(join(o.dir.path, 'adopted/guides'))).sort()).toEqual(['returns-assistant.md', 'returns-assistant.yaml']);
    expect(await readFile(join(o.dir.path, 'adopted/guides/returns-assistant.md'), 'utf8')).toBe('Be nicer.\n');
    expect(await readFile(guide, 'utf8')).toMatch(/^apiVersion: promptctl\/v1\nkind: Guide\n[^]*\n---\n# smoke test/);
    expect((await readFile(guide, 'utf8')).endsWith(test)).toBe(true);
    expect(await readFile(setting, 'utf8')).toBe(`${exported}---\n${first}`);
    expect(await readdir(join(o.dir.path, 'adopted/summaries'))).toEqual(['email-one.yaml']);
    expect(r.stderr).not.toContain('is kept as it is');
    expect(r.stderr).not.toMatch(/(returns-assistant|email-one)\.yaml was there before/);
    const check = await o.cli(['validate', '--dir', 'adopted']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const plan = await o.cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // An error in a kept test is the user's file's, not something the org holds.
    await writeFile(guide, (await readFile(guide, 'utf8')).replace('      messages: [{role: user, content: hi}]\n', ''));
    o.git('commit', '-q', '-am', 'a test that sends nothing');
    const broken = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(broken.stderr).toMatch(/^adopted\/guides\/returns-assistant\.yaml:\d+:\d+: error: .*\[tests\/guide-input\]$/m);
    expect(broken.stderr).not.toContain('the org holds');
    expect(broken.stderr).toContain('involve adopted/guides/returns-assistant.yaml)');
    expect(broken.code).toBe(1);
  });
});

describe('export --force in a git checkout: what git could not give back is not replaced', () => {
  it('refuses to replace an untracked file edited by hand, and replaces it once git holds it', { timeout: 60_000 }, async () => {
    const o = await org();
    await handMadeGuide(o.studio, 'Returns', 'Be nice.\n');
    o.git('init', '-q');
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    // The user's edit to the guide's instruction, before the export was ever added to git.
    const md = join(o.dir.path, 'adopted/guides/returns.md');
    await writeFile(md, 'Be nice, and brief.\n');
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(r.stderr).toMatch(/^error: adopted\/guides\/returns\.md is not in git \(untracked\) and holds other content than export writes there, which export --force would replace for good: commit it first \(git add, git commit\), or remove it if it is only an earlier export's output; nothing was written$/m);
    expect(r.code).toBe(1);
    expect(await readFile(md, 'utf8')).toBe('Be nice, and brief.\n');
    // Committed, git has it: the export replaces it and says so.
    o.git('add', 'adopted');
    o.git('commit', '-q', '-m', 'export');
    const again = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(await readFile(md, 'utf8')).toBe('Be nice.\n');
    expect(again.stderr).toContain('adopted/guides/returns.md was there before and is replaced');
  });

  it('refuses to replace an untracked YAML file holding a comment of the user\'s, but refreshes an earlier export\'s own untracked YAML the org changed since', { timeout: 60_000 }, async () => {
    const o = await org();
    const t = await o.emu.api.createTemplate({ name: 'summarize', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    o.git('init', '-q');
    expect((await o.cli(['export', '--out', 'adopted'])).code).toBe(0);
    // The org changes between two exports, before the first commit: export's own file is refreshed.
    const live = await o.emu.api.updateTemplate(t.id, { name: t.name, model: t.model, labels: t.labels, description: 'Summaries', version: t.version });
    const yaml = join(o.dir.path, 'adopted/summarize.yaml');
    const r = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(yaml, 'utf8')).toContain('description: Summaries');
    expect(r.stderr).not.toContain('was there before');
    // A comment of the user's in it is theirs, which git does not hold yet.
    const mine = `# owned by the support team\n${await readFile(yaml, 'utf8')}`;
    await writeFile(yaml, mine);
    await o.emu.api.updateTemplate(t.id, { name: t.name, model: t.model, labels: t.labels, description: 'Short summaries', version: live.version });
    const again = await o.cli(['export', '--out', 'adopted', '--force']);
    expect(again.stderr).toContain('error: adopted/summarize.yaml is not in git (untracked)');
    expect(again.code).toBe(1);
    expect(await readFile(yaml, 'utf8')).toBe(mine);
  });
});
