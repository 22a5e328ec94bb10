// A credential in a YAML comment is committed with the file as one in a value is: validate reports
// it as secrets/detected with the severity a value of its document would have (a warning in a
// PromptTest), at the line and column where it starts, and never repeats it; apply refuses on it.
// A `#` inside a quoted or block scalar is no comment: that text is a value, reported once as one.
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';

const GH = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const SK = 'sk-proj-4fGh7Jk2Lm9Nq3Rs8Tv1Wx6Yz0Ab5Cd';
const BEARER = 'abcDEF123456ghiJKL789mno';
const CLIENT_SECRET = 'the-client-secret-value-123';

const CONFIG = `apiVersion: promptctl/v1\n# temporary: ${GH}\nkind: Config\nspec:\n  prune: false # off\n`;
const TEMPLATE = (name: string, extra = '') =>
  `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ${name}\nspec:\n  model: gpt-4o  # key ${SK}\n${extra}`;
const TEST = `# checks that ${SK} is redacted
apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: billing-redaction
spec:
  target: {template: billing}
  cases:
    - name: redacts
      vars: {}
      expect: [{notContains: x}]
---
# the next document's: ${GH}
apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: other
spec:
  model: gpt-4o
`;

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'promptctl-comment-secrets-'));
  await mkdir(path.join(cwd, 'p'));
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

const write = (file: string, text: string) => writeFile(path.join(cwd, 'p', file), text);
const run = (args: string[], env: Record<string, string> = {}) => runCliInProcess(args, { cwd, env: { PROMPTCTL_DEBUG: '', ...env } });

interface Found {
  file: string;
  line: number;
  column: number;
  severity: string;
  message: string;
  rule: string;
}

function diagnostics(stdout: string): Found[] {
  return (JSON.parse(stdout) as { diagnostics: Found[] }).diagnostics;
}

/** Where `needle` is in `text`: its line and column, 1-based. */
function positionOf(text: string, needle: string, from = 0): { line: number; column: number } {
  const at = text.indexOf(needle, from);
  expect(at, needle).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

function expectNoSecret(out: string): void {
  for (const s of [GH, SK, BEARER, CLIENT_SECRET]) expect(out).not.toContain(s.slice(4, 20));
}

describe('validate: credentials in YAML comments', () => {
  it('reports a credential after a value, on a commented-out line and in promptctl.yaml, where it starts, never repeating it', async () => {
    const template = TEMPLATE('billing', `  # authorization: Bearer ${BEARER}\n`);
    await write('promptctl.yaml', CONFIG);
    await write('t.yaml', template);
    const r = await run(['validate', '--dir', 'p', '--format', 'json']);
    expect(r.code).toBe(1);
    const found = diagnostics(r.stdout).filter((d) => d.rule === 'secrets/detected');
    expect(found).toEqual([
      { file: 'p/promptctl.yaml', ...positionOf(CONFIG, GH), severity: 'error', rule: 'secrets/detected', message: expect.stringMatching(/^a comment contains what looks like a GitHub token; remove it/) },
      { file: 'p/t.yaml', ...positionOf(template, SK), severity: 'error', rule: 'secrets/detected', message: expect.stringContaining('an API key (sk-…)') },
      { file: 'p/t.yaml', ...positionOf(template, 'Bearer'), severity: 'error', rule: 'secrets/detected', message: expect.stringContaining('a bearer token') },
    ]);
    expectNoSecret(r.stdout + r.stderr);
    // In text too, with the file:line:column a reader jumps to.
    const text = await run(['validate', '--dir', 'p']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`p/t.yaml:6:${positionOf(template, SK).column}: error: a comment contains what looks like an API key`);
    expectNoSecret(text.stdout + text.stderr);
  });

  it('reads a `#` inside a quoted or block scalar as the value it is: reported once, as that field', async () => {
    const template = TEMPLATE('billing').replace(`  # key ${SK}`, '') + `  description: "see # ${GH}"\n`;
    const version = `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: billing\n  version: "1.0.0"\n  systemInstruction: |\n    # Heading ${SK}\n    Be brief.\n  userTemplate: Hello.\n`;
    await write('t.yaml', template);
    await write('v.yaml', version);
    const r = await run(['validate', '--dir', 'p', '--format', 'json']);
    const found = diagnostics(r.stdout).filter((d) => d.rule === 'secrets/detected');
    expect(found.map((d) => [d.file, d.line, d.column, d.message.split(' contains')[0]])).toEqual([
      ['p/t.yaml', 7, positionOf(template, GH).column, 'description'],
      ['p/v.yaml', 7, positionOf(version, SK).column, 'systemInstruction'],
    ]);
    expectNoSecret(r.stdout + r.stderr);
  });

  it("is a warning in a PromptTest's comments, as in its values, and an error in the next document's", async () => {
    await write('t.yaml', TEMPLATE('billing').replace(`  # key ${SK}`, ''));
    await write('test.yaml', TEST);
    const r = await run(['validate', '--dir', 'p', '--format', 'json']);
    const found = diagnostics(r.stdout).filter((d) => d.rule === 'secrets/detected');
    expect(found.map((d) => [d.file, d.line, d.column, d.severity])).toEqual([
      ['p/test.yaml', ...Object.values(positionOf(TEST, SK)), 'warning'],
      ['p/test.yaml', ...Object.values(positionOf(TEST, GH)), 'error'],
    ]);
    expectNoSecret(r.stdout + r.stderr);
  });

  it("finds the run's own secrets (the client secret, here base64-encoded) by the variable that holds them", async () => {
    const template = TEMPLATE('billing').replace(`key ${SK}`, `creds ${Buffer.from(`local-client:${CLIENT_SECRET}`).toString('base64')}`);
    await write('t.yaml', template);
    const r = await run(['validate', '--dir', 'p', '--format', 'json'], { GENESYSCLOUD_OAUTHCLIENT_SECRET: CLIENT_SECRET });
    expect(r.code).toBe(1);
    const found = diagnostics(r.stdout).filter((d) => d.rule === 'secrets/detected');
    expect(found).toEqual([expect.objectContaining({ file: 'p/t.yaml', line: 6, severity: 'error', message: expect.stringContaining('the value of GENESYSCLOUD_OAUTHCLIENT_SECRET') })]);
    expect(r.stdout + r.stderr).not.toContain(CLIENT_SECRET);
  });

  it('makes apply refuse before anything changes', async () => {
    await write('t.yaml', TEMPLATE('billing'));
    const r = await run(['apply', '--dir', 'p', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/p\/t\.yaml:6:\d+: error: a comment contains what looks like an API key/);
    expect(r.stderr).toContain('nothing was applied');
    expectNoSecret(r.stdout + r.stderr);
    await expect(access(path.join(cwd, '.promptctl', 'local-state.json'))).rejects.toThrow();
  });

  it('reads a file of 6 MB of comments, clean or each line holding credentials, in one pass, and says the rest in one line', async () => {
    const head = TEMPLATE('billing').replace(`  # key ${SK}`, '');
    const clean = `${head}${'# an ordinary comment line that says nothing secret at all, only words\n'.repeat(80_000)}`;
    const dirty = `${TEMPLATE('other').replace(`  # key ${SK}`, '')}${`# ${SK} and ${GH}\n`.repeat(70_000)}`;
    expect(clean.length).toBeGreaterThan(5_000_000);
    expect(dirty.length).toBeGreaterThan(5_000_000);
    await write('clean.yaml', clean);
    await write('dirty.yaml', dirty);
    const r = await run(['validate', '--dir', 'p', '--format', 'json']);
    const found = diagnostics(r.stdout).filter((d) => d.rule === 'secrets/detected');
    expect(found.every((d) => d.file === 'p/dirty.yaml')).toBe(true);
    expect(found).toHaveLength(11);
    expect(found.at(-1)!.message).toBe(`${140_000 - 10} more like this in this file's comments`);
  });

  // A token's characters run on for megabytes (a hostile or broken file): the patterns' repeats
  // are bounded, so the scan ends with a finding, not the regex engine's "Maximum call stack
  // size exceeded" as an internal error, in a comment and in a prompt's text alike.
  it('reads a line of nearly 8 MB that a token starts, in a comment or a prompt, to a finding', async () => {
    const run8 = (prefix: string) => `${prefix}${'aB1'.repeat(2_600_000)}`;
    await write('t.yaml', `${TEMPLATE('billing').replace(`  # key ${SK}`, '')}# ${run8('sk-')}\n`);
    await write('v.yaml', `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: billing\n  version: "1.0.0"\n  systemInstruction: Bearer ${run8('')}\n  userTemplate: Hi.\n`);
    const r = await run(['validate', '--dir', 'p', '--format', 'json']);
    expect(r.stderr).not.toContain('internal');
    expect(r.code).toBe(1);
    const found = diagnostics(r.stdout).filter((d) => d.rule === 'secrets/detected');
    expect(found.map((d) => [d.file, d.line, d.column, d.message.split(';')[0]])).toEqual([
      ['p/t.yaml', 7, 3, 'a comment contains what looks like an API key (sk-…)'],
      ['p/v.yaml', 6, 22, 'systemInstruction contains what looks like a bearer token'],
    ]);
  });
});
