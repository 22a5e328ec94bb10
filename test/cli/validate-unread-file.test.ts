// A file or document that cannot be read whole (binary, not UTF-8, too large, unreadable, nested too
// deep, an alias bomb, a misspelt kind) is said at itself. One whose kind and name can still be
// read counts as defining them, so what refers to it is no second error. One that says nothing of
// itself leaves a reference that resolves to nothing still reported (an unread file anywhere must
// not hide a real mistake elsewhere), but saying it may be defined in that file, and without a
// did-you-mean that would steer the user to rewrite correct files (load/unloaded.ts). Each repro is
// made in a copy of the example prompts (which validate clean).
import { appendFile, chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'promptctl-validate-unread-'));
  await cp(path.join(REPO, 'prompts'), path.join(cwd, 'prompts'), { recursive: true });
});
afterEach(async () => {
  await chmod(path.join(cwd, 'prompts/billing-assistant/v1.1.0.yaml'), 0o644).catch(() => undefined);
  await rm(cwd, { recursive: true, force: true });
});

const TEMPLATE = 'prompts/billing-assistant/template.yaml';
const V110 = 'prompts/billing-assistant/v1.1.0.yaml';

/** `file:line:column rule` of each diagnostic validate prints, with its output and exit code. */
async function validate(): Promise<{ code: number; found: string[]; stdout: string }> {
  const r = await runCliInProcess(['validate', '--dir', 'prompts'], { cwd, env: { PROMPTCTL_DEBUG: '' } });
  const found = r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const m = /^(.+?):(\d+):(\d+): (?:error|warning): .* \[([a-z-]+\/[a-z0-9-]+)\]$/.exec(l);
      return m ? `${m[1]}:${m[2]}:${m[3]} ${m[4]}` : `unparsed: ${l}`;
    });
  return { code: r.code, found, stdout: r.stdout };
}

/** The message of each diagnostic printed at `where` (`file:line:column`). */
const messagesAt = (stdout: string, where: string): string[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith(`${where}: `))
    .map((l) => l.replace(/^.+?: (?:error|warning): /, ''));

const unless = (file: string, rule: string) => `, unless it is defined in ${file}, which could not be read (see its ${rule} error)`;

const edit = async (file: string, change: (text: string) => string) => writeFile(path.join(cwd, file), change(await readFile(path.join(cwd, file), 'utf8')));

/** `levels` one block mapping deeper each, below `spec:` (past the loader's 64 levels). */
const deepBlock = (levels: number) => `  deep:\n${Array.from({ length: levels }, (_, i) => `${'  '.repeat(i + 2)}k${i}:\n`).join('')}${'  '.repeat(levels + 2)}v: 1\n`;

it('a NUL byte in the template file: what names the template is still an error, saying it may be defined there, with no did-you-mean', async () => {
  await appendFile(path.join(cwd, TEMPLATE), '\0');
  const r = await validate();
  expect(r.found).toEqual([
    `${TEMPLATE}:17:1 file/binary`,
    'prompts/billing-assistant/traffic.yaml:11:13 references/unknown-template',
    'prompts/billing-assistant/v1.0.0.yaml:8:13 references/unknown-template',
    'prompts/billing-assistant/v1.1.0.yaml:8:13 references/unknown-template',
    'prompts/filters/pii-guard.yaml:19:17 references/filter-target',
  ]);
  expect(messagesAt(r.stdout, 'prompts/billing-assistant/v1.0.0.yaml:8:13')).toEqual([
    `template "billing-assistant" is not defined by any PromptTemplate${unless(TEMPLATE, 'file/binary')} [references/unknown-template]`,
  ]);
  expect(r.stdout).not.toMatch(/did you mean/);
  expect(r.code).toBe(1);
});

it('an unrelated binary file does not hide a route to a version no file declares: it is said, with the doubt and no did-you-mean', async () => {
  await edit('prompts/billing-assistant/traffic.yaml', (t) => t.replaceAll('version: "1.1.0"', 'version: "1.1.1"'));
  const typo = await validate();
  expect(typo.found).toEqual(['prompts/billing-assistant/traffic.yaml:16:16 traffic/unknown-version', 'prompts/billing-assistant/traffic.yaml:23:20 traffic/unknown-version']);
  expect(typo.stdout).toContain('(did you mean "1.1.0"?)');

  // An executable's first bytes (the review copied /bin/true there).
  await writeFile(path.join(cwd, 'prompts/filters/notes.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]));
  const r = await validate();
  expect(r.found).toEqual([
    'prompts/billing-assistant/traffic.yaml:16:16 traffic/unknown-version',
    'prompts/billing-assistant/traffic.yaml:23:20 traffic/unknown-version',
    expect.stringMatching(/^prompts\/filters\/notes\.yaml:\d+:\d+ file\/binary$/),
  ]);
  expect(messagesAt(r.stdout, 'prompts/billing-assistant/traffic.yaml:16:16')).toEqual([
    `version 1.1.1 of template "billing-assistant" is not declared by any PromptVersion${unless('prompts/filters/notes.yaml', 'file/binary')}; declared: 1.0.0, 1.1.0 [traffic/unknown-version]`,
  ]);
  expect(r.stdout).not.toMatch(/did you mean/);
});

it('a version file that is binary: the routes and the test that name it say it may be there, with no "did you mean" another version', async () => {
  await appendFile(path.join(cwd, V110), '\0');
  const r = await validate();
  expect(r.found).toEqual([
    'prompts/billing-assistant/traffic.yaml:16:16 traffic/unknown-version',
    'prompts/billing-assistant/traffic.yaml:23:20 traffic/unknown-version',
    `${V110}:36:1 file/binary`,
    'prompts/tests/billing-smoke.yaml:11:14 tests/unknown-version',
  ]);
  expect(messagesAt(r.stdout, 'prompts/tests/billing-smoke.yaml:11:14')).toEqual([
    `version 1.1.0 of template "billing-assistant" is not declared by any PromptVersion${unless(V110, 'file/binary')}; declared: 1.0.0 [tests/unknown-version]`,
  ]);
  expect(r.stdout).not.toMatch(/did you mean/);
});

it.skipIf(process.getuid?.() === 0)('a version file that cannot be read (permission denied) gives no "did you mean" for its version', async () => {
  await chmod(path.join(cwd, V110), 0o000);
  const r = await validate();
  expect(r.found).toContain(`${V110}:1:1 file/unreadable`);
  expect(r.stdout).toContain(unless(V110, 'file/unreadable'));
  expect(r.stdout).not.toMatch(/did you mean/);
});

it('several files that cannot be read: each its own error, and a name no file defines is said to be perhaps in one of them', async () => {
  await appendFile(path.join(cwd, TEMPLATE), '\0');
  await appendFile(path.join(cwd, V110), Buffer.from([0xff]));
  await writeFile(path.join(cwd, 'prompts/filters/pii-guard.yaml'), Buffer.from([0xff, 0xfe, 0x61, 0x00]));
  const r = await validate();
  expect(r.found.map((f) => f.replace(/:\d+:\d+ /, ' '))).toEqual([
    `${TEMPLATE} file/binary`,
    'prompts/billing-assistant/traffic.yaml references/unknown-template',
    'prompts/billing-assistant/traffic.yaml traffic/unknown-version',
    'prompts/billing-assistant/traffic.yaml traffic/unknown-version',
    'prompts/billing-assistant/v1.0.0.yaml references/unknown-template',
    `${V110} file/encoding`,
    'prompts/filters/pii-guard.yaml file/encoding',
    'prompts/tests/billing-pii.yaml tests/no-redacting-filter',
    'prompts/tests/billing-smoke.yaml tests/unknown-version',
  ]);
  expect(messagesAt(r.stdout, 'prompts/billing-assistant/v1.0.0.yaml:8:13')).toEqual([
    'template "billing-assistant" is not defined by any PromptTemplate, unless it is defined in one of the 3 files that could not be read (see their file/binary, file/encoding errors) [references/unknown-template]',
  ]);
  expect(r.stdout).toMatch(/so nothing redacts it and the assertion can only fail, unless such a filter is defined in one of the 3 files that could not be read/);
  expect(r.stdout).not.toMatch(/did you mean/);
});

it('a misspelt kind value is read as the kind its did-you-mean names: the routes and the test naming its version are not errors too', async () => {
  await edit(V110, (t) => t.replace('kind: PromptVersion', 'kind: PromptVersoin'));
  const r = await validate();
  expect(r.found).toEqual([`${V110}:6:7 schema/unknown-kind`]);
  expect(r.stdout).toContain('unknown kind "PromptVersoin" (did you mean "PromptVersion"?)');
});

it('a document nested too deep is that error alone; its kind, template and version are still read, so a route to a version no file declares is still said', async () => {
  await edit(V110, (t) => t + deepBlock(70));
  const r = await validate();
  expect(r.found).toEqual([expect.stringMatching(new RegExp(`^${V110}:\\d+:\\d+ yaml/too-deep$`))]);
  // Only 1.1.0 was defined there: a test pinned to 1.2.0 is still the mistake it is.
  await edit('prompts/tests/billing-smoke.yaml', (t) => t.replace('version: "1.1.0"', 'version: "1.2.0"'));
  const again = await validate();
  expect(again.found).toEqual([expect.stringMatching(/yaml\/too-deep$/), 'prompts/tests/billing-smoke.yaml:11:14 tests/unknown-version']);
});

it('a file whose flow nesting stopped the lexing: what it defines is not read past it, so a route to its version says it may be there', async () => {
  await edit(V110, (t) => `${t}  deep: ${'['.repeat(70)}${']'.repeat(70)}\n`);
  const r = await validate();
  expect(r.found).toEqual([
    'prompts/billing-assistant/traffic.yaml:16:16 traffic/unknown-version',
    'prompts/billing-assistant/traffic.yaml:23:20 traffic/unknown-version',
    expect.stringMatching(new RegExp(`^${V110}:\\d+:\\d+ yaml/too-deep$`)),
    'prompts/tests/billing-smoke.yaml:11:14 tests/unknown-version',
  ]);
  expect(r.stdout).toContain(unless(V110, 'yaml/too-deep'));
  expect(r.stdout).not.toMatch(/did you mean/);
});

it('a template refused as an alias bomb is that error alone: its name is read without expanding it', async () => {
  const bomb = ['x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...Array.from({ length: 6 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n');
  await edit(TEMPLATE, (t) => `${t}${bomb}\n`);
  const r = await validate();
  expect(r.found).toEqual([expect.stringMatching(new RegExp(`^${TEMPLATE}:\\d+:\\d+ yaml/aliases$`))]);
});

it('a template whose alias names no anchor is that error alone', async () => {
  await edit(TEMPLATE, (t) => `${t}other: *nope\n`);
  const r = await validate();
  expect(r.found).toEqual([`${TEMPLATE}:17:8 yaml/alias`]);
});

it('a filter a tab broke leaves no "nothing redacts it" warning on a test that counts on it', async () => {
  await appendFile(path.join(cwd, 'prompts/filters/pii-guard.yaml'), '\tx: 1\n');
  const r = await validate();
  expect(r.found).toEqual(['prompts/filters/pii-guard.yaml:20:1 yaml/syntax']);
});
