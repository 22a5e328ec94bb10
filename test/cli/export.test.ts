// `promptctl export` in-process (test/helpers/cli.ts): the live org as YAML that plans empty.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import { scenario, type Scenario } from '../helpers/scenario.js';
import { tempDir } from '../helpers/tmp.js';

let s: Scenario;
afterEach(async () => {
  await s.close();
});

describe('promptctl export', () => {
  it('of an org holding nothing it exports warns that the target may be the wrong one', async () => {
    s = await scenario();
    const r = await s.cli(['export', '--out', 'exported']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('exported 0 templates, 0 versions, 0 traffic splits and 0 safety filters to exported (0 files)');
    expect(r.stderr).toContain('warning: the target holds nothing promptctl exports: is it the org you meant (see the target line)?');
  });

  it('writes one file per template plus the filters, and plan --dir on it is empty', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const r = await s.cli(['export', '--out', 'exported']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^target: /);
    expect(r.stderr).toContain('exported 2 templates, 3 versions, 2 traffic splits and 3 safety filters');
    expect(r.stderr).not.toContain('not labelled managed-by'); // promptctl made them all
    expect(r.stderr).not.toContain('holds nothing');
    expect((await readdir(join(s.dir.path, 'exported'))).sort()).toEqual([
      'billing-assistant.yaml',
      'safety-filters.yaml',
      'support-triage.yaml',
    ]);

    const billing = await readFile(join(s.dir.path, 'exported/billing-assistant.yaml'), 'utf8');
    const docs = parseAllDocuments(billing).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['PromptTemplate', 'PromptVersion', 'PromptVersion', 'TrafficSplit']);
    expect(docs[0].metadata).toEqual({ name: 'billing-assistant', labels: { team: 'billing' } });
    expect(billing).not.toContain('managed-by');
    expect(billing).not.toContain('promptctl.dev/');
    // Long text as a literal block, exactly as written in git.
    expect(billing).toContain('  systemInstruction: |\n    You are a billing assistant for Example Corp.\n');

    const plan = await s.cli(['plan', '--dir', 'exported', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });

  it('round-trips awkward texts and unmanaged objects created by hand', async () => {
    s = await scenario();
    const api = s.emu.api;
    // No promptctl.dev/ label: one that carries it was made by promptctl, and its lost managed-by
    // the plan puts back (test/cli/drift-ownership-label.test.ts, which checks export leaves such labels out).
    const t = await api.createTemplate({ name: 'hand-made', model: 'gpt-4o', description: '', labels: { owner: 'ops' } });
    const texts = {
      systemInstruction: '  Indented first line\nthen "quotes" and: colons # not a comment\ntrailing spaces   \n\n\n',
      userTemplate: 'No final newline: {{q}}\n\ttabbed line',
    };
    await api.createVersion(t.id, {
      version: '0.1.0-beta.1',
      ...texts,
      variables: [{ name: 'q', type: 'string', required: false, default: 'n/a', description: 'the question' }],
      fewShotExamples: [{ input: 'yes', output: '1.10' }],
      temperature: 0,
      safetyGuardrails: { piiFilter: false },
    });
    await api.publishVersion(t.id, '0.1.0-beta.1');
    await api.createVersion(t.id, { version: '0.2.0', systemInstruction: 'draft', userTemplate: 'draft' });
    await api.putTraffic(t.id, { strategy: 'random', routes: [{ version: '0.1.0-beta.1', weight: 100 }], version: 0 });
    await api.createFilter({
      name: 'hand-filter',
      enabled: false,
      priority: 5,
      categories: ['sexual', 'violence'],
      action: 'flag_and_pass',
      thresholds: { sexual: 0.25 },
      falsePositiveTolerance: 0,
      appliesTo: { labels: { owner: 'ops' } },
    });

    const r = await s.cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped PromptVersion\/hand-made@0\.2\.0: it is a Draft version/);
    // Made by hand: not promptctl's to prune until an apply changes (and labels) them; said, so adopting is no surprise.
    expect(r.stderr).toContain(
      'note: 2 exported objects are not labelled managed-by: promptctl (PromptTemplate/hand-made, SafetyFilter/hand-filter): ' +
        'prune leaves them alone, even once their documents are removed, until an apply changes them (and labels them)',
    );
    const text = await readFile(join(s.dir.path, 'adopted/hand-made.yaml'), 'utf8');
    const version = parseAllDocuments(text).map((d) => d.toJS()).find((d) => d.kind === 'PromptVersion');
    expect(version.spec.systemInstruction).toBe(texts.systemInstruction);
    expect(version.spec.userTemplate).toBe(texts.userTemplate);
    expect(version.spec.version).toBe('0.1.0-beta.1');
    expect(version.spec.fewShotExamples).toEqual([{ input: 'yes', output: '1.10' }]);
    expect(text).not.toContain('promptctl.dev/commit');

    const plan = await s.cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('leaves out, with a warning, a template or filter whose name promptctl cannot manage, so the export still validates and plans', async () => {
    s = await scenario();
    const api = s.emu.api;
    // Made in the org by hand, with names the promptctl YAML does not allow.
    const t = await api.createTemplate({ name: 'Billing_Assistant', model: 'gpt-4o' });
    await api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'Be brief.', userTemplate: 'Q: {{q}}', variables: [{ name: 'q', type: 'string', maxLength: 100 }] });
    await api.publishVersion(t.id, '1.0.0');
    await api.createFilter({ name: 'PII Guard', priority: 40, categories: ['pii'], action: 'flag_and_pass', thresholds: { pii: 0.5 }, falsePositiveTolerance: 0.1 });
    const r = await s.cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: skipped PromptTemplate/Billing_Assistant (its 1 version with it): promptctl names are 3 to 128 lowercase letters, digits and hyphens, so it cannot be managed under this name; it is left as it is');
    expect(r.stderr).toContain('warning: skipped SafetyFilter/PII Guard: promptctl names are 3 to 128 lowercase letters, digits and hyphens');
    // Nothing exported, but the org is not empty: no "is it the org you meant?".
    expect(r.stderr).toContain('exported 0 templates');
    expect(r.stderr).not.toContain('holds nothing');
    expect(await readdir(join(s.dir.path, 'adopted'))).not.toContain('Billing_Assistant.yaml');
    const v = await s.cli(['validate', '--dir', 'adopted']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const plan = await s.cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('PromptTemplate/Billing_Assistant');
  });

  it("checks the export with the prompts directory's promptctl.yaml, where its files will go: a model it declares is known", async () => {
    s = await scenario();
    await writeFile(
      join(s.dir.path, 'prompts/promptctl.yaml'),
      'apiVersion: promptctl/v1\nkind: Config\nspec:\n  models:\n    acme-llm: {encoding: cl100k_base, contextWindow: 32000}\n',
    );
    await s.edit('prompts/billing/billing-assistant.yaml', 'model: gpt-4o', 'model: acme-llm');
    const applied = await s.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const r = await s.cli(['export', '--out', 'exported']);
    expect(r.code, r.stderr).toBe(0);
    // It said 'unknown model "acme-llm"' and advised editing the documents, which were right (the
    // note on promptctl.yaml names it only as what plan --dir finds without that file).
    expect(r.stderr).not.toContain(': error: unknown model');
    expect(r.stderr).not.toContain('does not validate');
    expect(await readdir(join(s.dir.path, 'exported'))).not.toContain('promptctl.yaml'); // still not written
  });

  it('refuses a non-empty directory unless --force', async () => {
    s = await scenario();
    await mkdir(join(s.dir.path, 'busy'));
    await writeFile(join(s.dir.path, 'busy/notes.txt'), 'keep me');
    const r = await s.cli(['export', '--out', 'busy']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/busy is not empty.*--force/);
    expect(await readdir(join(s.dir.path, 'busy'))).toEqual(['notes.txt']);

    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const forced = await s.cli(['export', '--out', 'busy', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await readdir(join(s.dir.path, 'busy'))).sort()).toEqual([
      'billing-assistant.yaml',
      'notes.txt',
      'safety-filters.yaml',
      'support-triage.yaml',
    ]);
  });

  it('--force names each file it replaced (its comments and what the org does not hold are gone from it)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await mkdir(join(s.dir.path, 'busy'));
    await writeFile(join(s.dir.path, 'busy/billing-assistant.yaml'), '# our notes\n');
    await writeFile(join(s.dir.path, 'busy/notes.txt'), 'keep me');
    const r = await s.cli(['export', '--out', 'busy', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: busy/billing-assistant.yaml was there before and is replaced by the export (what it held beyond the org\'s objects, comments included, is not in it; git has the old file if it was committed)');
    expect(r.stderr).not.toMatch(/safety-filters\.yaml was there before/);
    expect(await readFile(join(s.dir.path, 'busy/notes.txt'), 'utf8')).toBe('keep me');
  });

  it('--force over an earlier export warns only of the files it changes (an unchanged file loses nothing)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await s.cli(['export', '--out', 'adopted'])).code).toBe(0);
    const filters = join(s.dir.path, 'adopted/safety-filters.yaml');
    await writeFile(filters, `# reviewed by security\n${await readFile(filters, 'utf8')}`);
    const again = await s.cli(['export', '--out', 'adopted', '--force']);
    expect(again.code, again.stderr).toBe(0);
    // Before, every file was named as replaced, "comments included", the identical ones too.
    expect(again.stderr.match(/was there before and is replaced/g)).toHaveLength(1);
    expect(again.stderr).toContain('warning: adopted/safety-filters.yaml was there before and is replaced by the export');
    expect(await readFile(filters, 'utf8')).not.toContain('# reviewed by security');
  });

  it('--force over an earlier export the org has changed since: its files are refreshed without the warning that something beyond the org is lost', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await s.cli(['export', '--out', 'adopted'])).code).toBe(0);
    // The org changes (a filter's priority), as between two scheduled exports.
    await s.edit('prompts/safety-filters.yaml', /priority: 10$/m, 'priority: 12');
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const again = await s.cli(['export', '--out', 'adopted', '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(await readFile(join(s.dir.path, 'adopted/safety-filters.yaml'), 'utf8')).toMatch(/priority: 12$/m);
    // Before, it said the file's comments and what it held beyond the org were gone: it held neither.
    expect(again.stderr).not.toContain('was there before and is replaced');
  });

  it('--force over an earlier export with CRLF line ends (a Windows checkout, git autocrlf): unchanged and org-changed files are refreshed without the warning', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await s.cli(['export', '--out', 'adopted'])).code).toBe(0);
    // What git's checkout gives on Windows: every line ending in CRLF (a leading BOM from an editor on one).
    for (const name of await readdir(join(s.dir.path, 'adopted'))) {
      const path = join(s.dir.path, 'adopted', name);
      const crlf = (await readFile(path, 'utf8')).replace(/\n/g, '\r\n');
      await writeFile(path, name === 'support-triage.yaml' ? `\ufeff${crlf}` : crlf);
    }
    await s.edit('prompts/safety-filters.yaml', /priority: 10$/m, 'priority: 12');
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const again = await s.cli(['export', '--out', 'adopted', '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(await readFile(join(s.dir.path, 'adopted/safety-filters.yaml'), 'utf8')).toMatch(/priority: 12$/m);
    // Before, each file was said to lose what it held beyond the org's objects: it held only line ends.
    expect(again.stderr).not.toContain('was there before and is replaced');
    // A comment is still something beyond the org's objects, CRLF or not.
    const filters = join(s.dir.path, 'adopted/safety-filters.yaml');
    await writeFile(filters, `# reviewed by security\r\n${(await readFile(filters, 'utf8')).replace(/\n/g, '\r\n')}`);
    const third = await s.cli(['export', '--out', 'adopted', '--force']);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr.match(/was there before and is replaced/g)).toHaveLength(1);
    expect(third.stderr).toContain('warning: adopted/safety-filters.yaml was there before and is replaced by the export');
  });

  it('--force over an earlier export with CRLF line ends, moved into a folder or not yet in git: refreshed where it is, not refused', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await s.cli(['export', '--out', 'adopted'])).code).toBe(0);
    const out = join(s.dir.path, 'adopted');
    /** Every file of the export as a Windows editor or checkout gives it: CRLF (and one with a BOM). */
    const crlf = async (): Promise<void> => {
      for (const name of ['billing-assistant.yaml', 'safety-filters.yaml', 'team/support-triage.yaml']) {
        const path = join(out, name);
        const text = (await readFile(path, 'utf8')).replace(/^\ufeff/, '').replace(/\r?\n/g, '\r\n');
        await writeFile(path, name === 'billing-assistant.yaml' ? `\ufeff${text}` : text);
      }
    };
    // The user organised the export: one template's file moved into a folder of theirs.
    await mkdir(join(out, 'team'));
    await cp(join(out, 'support-triage.yaml'), join(out, 'team/support-triage.yaml'));
    await rm(join(out, 'support-triage.yaml'));
    await crlf();
    const moved = await s.cli(['export', '--out', 'adopted', '--force']);
    // Before, the moved file read as written by hand (its line ends): the template was written once
    // more at the top, and the export failed its own check, every object of it defined twice.
    expect(moved.code, moved.stderr).toBe(0);
    expect(await readdir(out)).not.toContain('support-triage.yaml');
    expect(await readFile(join(out, 'team/support-triage.yaml'), 'utf8')).not.toContain('\r');
    // Exported, then exported again before the first commit, in a git work tree: the files are
    // untracked, and their line ends are no content git could not give back.
    execFileSync('git', ['init', '-q'], { cwd: s.dir.path, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
    await crlf();
    const untracked = await s.cli(['export', '--out', 'adopted', '--force']);
    expect(untracked.code, untracked.stderr).toBe(0);
    expect(untracked.stderr).not.toContain('not in git (untracked)');
    expect(await readFile(join(out, 'billing-assistant.yaml'), 'utf8')).not.toMatch(/^\ufeff|\r/);
    // A comment added to one is still content of the user's, refused as before.
    await writeFile(join(out, 'safety-filters.yaml'), `# reviewed by security\r\n${await readFile(join(out, 'safety-filters.yaml'), 'utf8')}`);
    const commented = await s.cli(['export', '--out', 'adopted', '--force']);
    expect(commented.code).toBe(1);
    expect(commented.stderr).toContain('adopted/safety-filters.yaml is not in git (untracked) and holds other content than export writes there');
  });

  it('--force where a directory stands in for one of its files: refused before any file is written', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await mkdir(join(s.dir.path, 'busy/support-triage.yaml'), { recursive: true });
    await writeFile(join(s.dir.path, 'busy/notes.txt'), 'keep me');
    const r = await s.cli(['export', '--out', 'busy', '--force']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('error: export writes a file where a directory is: busy/support-triage.yaml; move it aside or export into an empty directory; nothing was written');
    // Not half an export: billing-assistant.yaml and safety-filters.yaml, written before, were left behind.
    expect((await readdir(join(s.dir.path, 'busy'))).sort()).toEqual(['notes.txt', 'support-triage.yaml']);
  });

  it.skipIf(process.platform === 'win32')('--force where a pipe stands in for one of its files: refused before any file is written', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await mkdir(join(s.dir.path, 'busy'));
    execFileSync('mkfifo', [join(s.dir.path, 'busy/support-triage.yaml')]);
    const r = await s.cli(['export', '--out', 'busy', '--force']);
    // Before, it wrote billing-assistant.yaml, said the pipe "is replaced by the export", then failed on it.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('error: export writes a file where a pipe, socket or device is: busy/support-triage.yaml; move it aside or export into an empty directory; nothing was written');
    expect(r.stderr).not.toContain('is replaced by the export');
    expect(await readdir(join(s.dir.path, 'busy'))).toEqual(['support-triage.yaml']);
  });

  it('--force where a file stands in for one of its folders (summaries/): refused before any file is written', async () => {
    s = await scenario();
    await cp(join(REPO, 'prompts/summaries'), join(s.dir.path, 'prompts/summaries'), { recursive: true });
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await mkdir(join(s.dir.path, 'busy'));
    await writeFile(join(s.dir.path, 'busy/summaries'), 'my notes on summaries\n');
    const r = await s.cli(['export', '--out', 'busy', '--force']);
    // Before, it wrote the templates' and filters' files, then failed with "error: internal: ENOTDIR".
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('error: export writes into a folder where a file is: busy/summaries; move it aside or export into an empty directory; nothing was written');
    expect(await readdir(join(s.dir.path, 'busy'))).toEqual(['summaries']);
    expect(await readFile(join(s.dir.path, 'busy/summaries'), 'utf8')).toBe('my notes on summaries\n');
  });

  it('--force into the prompts directory itself: the clash with the files there is named as theirs, and exits 1', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const r = await s.cli(['export', '--out', 'prompts', '--force']);
    expect(r.code, r.stderr).toBe(1);
    // The same documents in another layout: duplicates, which are not the org's doing.
    expect(r.stderr).toMatch(/error: PromptTemplate "billing-assistant" is already defined at prompts\/billing-assistant\.yaml:\d+:\d+ \[names\/duplicate\]/);
    expect(r.stderr).not.toMatch(/the org holds/);
    expect(r.stderr).toMatch(/error: what export wrote clashes with files that were in prompts before \((\d+) of the \1 errors above involve prompts\/[^)]+\): export into an empty directory and move what you want into place, or remove those files; the export's own files are written/);
    expect(await readdir(join(s.dir.path, 'prompts'))).toContain('billing-assistant.yaml');
  });

  it('refuses an --out inside the prompts directory, which plan reads whole, writing nothing', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const r = await s.cli(['export', '--out', 'prompts/adopted']);
    // Before, it wrote there and exited 0, and the next plan of prompts/ failed on a duplicate of every object.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      "error: --out prompts/adopted is inside the prompts directory prompts, which plan reads whole: the export's documents would define each object a second time beside the files there, and its guides' {file:} paths, read from prompts, would name other files; export outside it (--out adopted, say) and move what you want into place; nothing was written",
    );
    expect(await readdir(join(s.dir.path, 'prompts'))).not.toContain('adopted');
    const plan = await s.cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('refuses an --out that holds the prompts directory (export --out . --force), before anything is written', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const before = (await readdir(s.dir.path)).sort();
    // Before, it wrote its files beside prompts/, then exited 1 on every object defined twice.
    for (const args of [['--out', '.', '--force'], ['--out', '.']]) {
      const r = await s.cli(['export', ...args]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(
        'error: --out . holds the prompts directory prompts, and plan --dir . would read its files with the export: each object would be defined twice; ' +
          'export into a directory that does not hold it (--out adopted, say), or name the prompts directory with --dir if it is not prompts; nothing was written',
      );
      expect(r.stderr).not.toContain('exported ');
      expect((await readdir(s.dir.path)).sort()).toEqual(before);
    }
    // A prompts directory holding no YAML file (its texts only) is nothing plan would read twice.
    await rm(join(s.dir.path, 'prompts'), { recursive: true });
    await mkdir(join(s.dir.path, 'prompts'));
    await writeFile(join(s.dir.path, 'prompts/notes.md'), 'notes\n');
    const empty = await s.cli(['export', '--out', '.', '--force']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(await readdir(s.dir.path)).toContain('billing-assistant.yaml');
  });

  it('words that refusal by what is there: a prompts directory holding only promptctl.yaml is a Config plan would refuse, not objects defined twice', async () => {
    s = await scenario();
    await mkdir(join(s.dir.path, 'conf'));
    await writeFile(join(s.dir.path, 'conf/promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec: {}\n');
    const before = (await readdir(s.dir.path)).sort();
    const r = await s.cli(['export', '--dir', 'conf', '--out', '.', '--force']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'error: --out . holds the prompts directory conf, and plan --dir . would read its files with the export: its promptctl.yaml (conf/promptctl.yaml) would be a Config below the top of ., which plan refuses (it belongs in promptctl.yaml); ' +
        'export into a directory that does not hold it (--out adopted, say), or name the prompts directory with --dir if it is not conf; nothing was written',
    );
    expect(r.stderr).not.toContain('defined twice');
    expect((await readdir(s.dir.path)).sort()).toEqual(before);
  });

  // From review: 59752ddc worded a Config alone; a prompts directory holding its promptctl.yaml and
  // tests (no object an org has, none exported) still got 'each object would be defined twice', and
  // one holding tests alone was refused for it, though nothing there is defined twice.
  it('words that refusal by what is there when the prompts directory holds its Config and tests, and does not refuse tests alone', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const test = 'apiVersion: promptctl/v1\nkind: PromptTest\nmetadata:\n  name: smoke\nspec:\n  target: {template: billing-assistant, version: "1.0.0"}\n  cases:\n    - name: hello\n      vars: {customer_name: Ada, question: Hi}\n      expect:\n        - maxOutputTokens: 300\n';
    await mkdir(join(s.dir.path, 'conf/tests'), { recursive: true });
    await writeFile(join(s.dir.path, 'conf/promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec: {}\n');
    await writeFile(join(s.dir.path, 'conf/tests/smoke.yaml'), test);
    const before = (await readdir(s.dir.path)).sort();
    const r = await s.cli(['export', '--dir', 'conf', '--out', '.', '--force']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('would read its files with the export: its promptctl.yaml (conf/promptctl.yaml) would be a Config below the top of ., which plan refuses (it belongs in promptctl.yaml); ');
    expect(r.stderr).not.toContain('defined twice');
    expect((await readdir(s.dir.path)).sort()).toEqual(before);
    // Tests alone: plan --dir . reads them beside the export, as it would in any prompts directory.
    await rm(join(s.dir.path, 'conf/promptctl.yaml'));
    const alone = await s.cli(['export', '--dir', 'conf', '--out', 'out', '--force']);
    expect(alone.code, alone.stderr).toBe(0);
    await mkdir(join(s.dir.path, 'out/conf/tests'), { recursive: true });
    await writeFile(join(s.dir.path, 'out/conf/tests/smoke.yaml'), test);
    const again = await s.cli(['export', '--dir', 'out/conf', '--out', 'out', '--force']);
    expect(again.code, again.stderr).toBe(0);
    const plan = await s.cli(['plan', '--dir', 'out']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });

  it('refuses to write through a symbolic link in --out (a subdirectory it writes to leading elsewhere), writing nothing', async () => {
    s = await scenario();
    await cp(join(REPO, 'prompts/summaries'), join(s.dir.path, 'prompts/summaries'), { recursive: true });
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const elsewhere = await tempDir('promptctl-elsewhere-');
    try {
      await mkdir(join(s.dir.path, 'busy'));
      await symlink(elsewhere.path, join(s.dir.path, 'busy/summaries'));
      const r = await s.cli(['export', '--out', 'busy', '--force']);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/busy\/summaries is a symbolic link: export writes only inside busy/);
      expect(await readdir(elsewhere.path)).toEqual([]);
      expect(await readdir(join(s.dir.path, 'busy'))).toEqual(['summaries']);
    } finally {
      await elsewhere.remove();
    }
  });

  it('requires --out', async () => {
    s = await scenario();
    const r = await s.cli(['export']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out/);
  });
});

describe('clashWith', () => {
  it('takes an error in a file that was there, or naming one at its place, and no path that merely ends with it', async () => {
    const { clashWith } = await import('../../src/cli/export.js');
    const d = (file: string, message: string) => ({ file, line: 1, column: 1, severity: 'error' as const, rule: 'names/duplicate', message });
    const errors = [
      d('out/a.yaml', 'PromptTemplate "a" is already defined at out/b.yaml:4:9'),
      d('out/c.yaml', 'PromptTemplate "c" is already defined at other/out/old.yaml:4:9'),
      d('out/d.yaml', 'priority 5 is already held by enabled filter "f" (out/old.yaml:11:13)'),
      d('out/old.yaml', 'anything'),
    ];
    const { theirs, files } = clashWith(errors, ['out/old.yaml']);
    expect(theirs.map((e) => e.file)).toEqual(['out/d.yaml', 'out/old.yaml']);
    expect(files).toEqual(['out/old.yaml']);
  });

  it('takes an error in the tests a written file kept, from the line they start at', async () => {
    const { clashWith } = await import('../../src/cli/export.js');
    const d = (line: number) => ({ file: 'out/a.yaml', line, column: 1, severity: 'error' as const, rule: 'tests/guide-input', message: 'anything' });
    const { theirs, files } = clashWith([d(9), d(10), d(12)], [], new Map([['out/a.yaml', 10]]));
    expect(theirs.map((e) => e.line)).toEqual([10, 12]);
    expect(files).toEqual(['out/a.yaml']);
  });
});
