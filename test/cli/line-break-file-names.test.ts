// A file name may hold a line break (Linux allows any character but "/" and NUL). Discovery listed
// the prompts directory through fast-glob, whose `**` matches a name with `.`, and `.` matches no
// line break (nor CR, U+2028, U+2029): such a file, or every file under such a directory, was
// passed over without a word. Validate did not check it, plan did not apply it, and a plan with
// prune deleted live what it defined; export did not name it as a file left over in its --out
// directory. It is read as any other file; its name is escaped when printed.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plannedChanges, scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('a prompt file whose name holds a line break', () => {
  it('is read: prune deletes nothing it defines', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await rename(join(s.dir.path, 'prompts/safety-filters.yaml'), join(s.dir.path, 'prompts/safety\nfilters.yaml'));
    const r = await s.cli(['plan', '--prune', '--detailed-exitcode']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(plannedChanges(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('No changes.');
  });

  it('is checked, and its diagnostics name it with the break escaped', async () => {
    s = await scenario();
    await rename(join(s.dir.path, 'prompts/safety-filters.yaml'), join(s.dir.path, 'prompts/safety\nfilters.yaml'));
    expect((await s.cli(['validate'])).code).toBe(0);
    await s.edit('prompts/safety\nfilters.yaml', /priority: \d+/, 'priority: many');
    const r = await s.cli(['validate']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^prompts\/safety\\u000afilters\.yaml:\d+:\d+: error: /m);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('filters.yaml'))).toEqual([]);
  });

  it('left over in an export\'s --out directory, is named with the break escaped', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await s.cli(['export', '--out', 'exported'])).code).toBe(0);
    await writeFile(join(s.dir.path, 'exported/old\nfile.yaml'), 'a: 1\n');
    const r = await s.cli(['export', '--out', 'exported', '--force']);
    expect(r.stderr).toContain('warning: exported/old\\u000afile.yaml was there before and is not part of the export');
    expect(r.stderr).not.toContain('old\nfile');
  });

  it('promote names it with the break escaped', async () => {
    s = await scenario();
    await rename(join(s.dir.path, 'prompts/billing/billing-assistant.yaml'), join(s.dir.path, 'prompts/billing/billing\nassistant.yaml'));
    for (const dryRun of [['--dry-run'], []]) {
      const r = await s.cli(['promote', 'billing-assistant', '1.1.0', '--weight', '50', ...dryRun]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(dryRun.length ? '--dry-run: prompts/billing/billing\\u000aassistant.yaml was not written' : 'prompts/billing/billing\\u000aassistant.yaml updated;');
      expect(r.stderr).not.toContain('billing\nassistant');
    }
  });
});
