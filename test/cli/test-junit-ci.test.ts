// `promptctl test --format junit` as CI reads it, from a new-user review: testcase names that stay
// the same from run to run (a reporter keys its history on classname + name: the version a split
// routed a call to, and the measured pass rate, were in the names), and a JUnit document also
// when the run fails before its report (an empty junit.xml hid the error behind the reporter's own).
import { afterEach, describe, expect, it } from 'vitest';
import { ANSWERS_TEST, evalsProject, ROUTED_TEST, xmlAttributes, type EvalsProject } from './evals-support.js';
import { closedPort } from '../helpers/ports.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** An XML attribute's value as text. */
const unxml = (s: string): string => s.replace(/&(quot|apos|lt|gt|amp);/g, (_, e: string) => ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' })[e]!);

const testcaseNames = (xml: string): string[] => [...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1]!);

describe('JUnit testcase names stay the same from run to run', () => {
  it('a routed test: case and run number, the version in the testcase properties; the verdict without its rate', async () => {
    p = await evalsProject({ 'routed.yaml': ROUTED_TEST });
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await p.cli(['test', '--format', 'junit', '--no-cache']));
    for (const r of runs) {
      expect(testcaseNames(r.stdout)).toEqual(['refund #1', 'refund #2', 'refund #3', 'refund #4', 'refund #5', 'refund #6', 'pass rate vs threshold']);
      // Where each call went is still said: in the testcase's own properties.
      expect(r.stdout.match(/<property name="version" value="1\.[01]\.0"\/>/g)).toHaveLength(6);
      // The measured rate: in the verdict's output (and the suite's passRate property).
      expect(r.stdout).toMatch(/<system-out>pass rate \d+ % \(\d\/6\), threshold 50 %<\/system-out>|<failure message="below the threshold: pass rate \d+ % \(\d\/6\), threshold 50 %"/);
    }
  });
});

describe('a run that fails before any case', () => {
  it('an unreachable target: well-formed JUnit holding the error, exit 1, the error on stderr too', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await p.cli(['test', '--format', 'junit'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    const line = /^error: (.*connection refused.*)$/m.exec(r.stderr)?.[1];
    expect(line).toBeDefined();
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xmlAttributes(r.stdout, 'testsuites')).toMatchObject({ tests: '1', failures: '0', errors: '1' });
    expect(unxml(xmlAttributes(r.stdout, 'error').message!)).toBe(line);
    expect(r.stdout.trimEnd().endsWith('</testsuites>')).toBe(true);
  });

  it('bad credentials: the secret is masked in the document as on stderr; a validation error is a document too; json writes its own, markdown nothing', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    const secret = 'wrong-secret-value-1234567890';
    const r = await p.cli(['test', '--format', 'junit'], { env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: authentication failed: /m);
    expect(xmlAttributes(r.stdout, 'error').message).toMatch(/^authentication failed: /);
    // A message that quotes the secret (a test named by it): masked in the file as on stderr.
    const named = await p.cli(['test', '--format', 'junit', secret], { env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret } });
    expect(named.stderr).toContain('error: no PromptTest named "[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]"');
    expect(unxml(xmlAttributes(named.stdout, 'error').message!)).toMatch(/^no PromptTest named "\[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET\]"/);
    expect(named.stdout + named.stderr).not.toContain(secret);
    // Refused before the command runs (--env is chosen first): a document all the same.
    const env = await p.cli(['test', '--format', 'junit', '--env', 'nowhere']);
    expect(env.code).toBe(1);
    expect(unxml(xmlAttributes(env.stdout, 'error').message!)).toBe(/^error: (.*)$/m.exec(env.stderr)![1]);

    await p.write('prompts/tests/broken.yaml', 'apiVersion: promptctl/v1\nkind: PromptTest\nmetadata:\n  name: broken\nspec:\n  target: {template: nowhere}\n  cases: [{name: a, vars: {}, expect: [{contains: x}]}]\n');
    const invalid = await p.cli(['test', '--format', 'junit']);
    expect(invalid.code).toBe(1);
    const stderrLine = /^error: (.*)$/m.exec(invalid.stderr)![1]!;
    expect(unxml(xmlAttributes(invalid.stdout, 'error').message!)).toBe(stderrLine);
    expect(JSON.parse((await p.cli(['test', '--format', 'json'])).stdout).error).toBe(stderrLine);
    expect((await p.cli(['test', '--format', 'markdown'])).stdout).toBe('');
  });
});

describe('invalid files: the diagnostics are in the JUnit file, not on stderr only', () => {
  /** A second template whose versions override the model with `model` (a YAML scalar as written). */
  const withModel = (model: string): string =>
    [
      'apiVersion: promptctl/v1',
      'kind: PromptTemplate',
      'metadata:',
      '  name: other-bot',
      'spec:',
      '  model: gpt-4o-mini',
      '---',
      'apiVersion: promptctl/v1',
      'kind: PromptVersion',
      'spec:',
      '  template: other-bot',
      '  version: "1.0.0"',
      `  model: ${model}`,
      '  systemInstruction: "You answer."',
      '  userTemplate: "Question: {{question}}"',
      '  variables:',
      '    - name: question',
      '      type: string',
      '      maxLength: 500',
      '',
    ].join('\n');

  it('one testcase per error, named file:line:column, with the line stderr says, its rule id, and file and line attributes; then the summary error', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    await p.write('prompts/other.yaml', withModel('"gpt 4o"'));
    const r = await p.cli(['test', '--format', 'junit']);
    expect(r.code).toBe(1);
    const diagnostic = /^(prompts\/other\.yaml:(\d+):(\d+)): error: (.*) \[(tokens\/unknown-model)\]$/m.exec(r.stderr);
    expect(diagnostic, r.stderr).not.toBeNull();
    const [line, at, lineNo, , message, rule] = diagnostic!;
    expect(message).toContain('unknown model "gpt 4o"');
    expect(xmlAttributes(r.stdout, 'testsuites')).toMatchObject({ tests: '2', failures: '0', errors: '2' });
    expect(xmlAttributes(r.stdout, 'testsuite')).toMatchObject({ tests: '2', failures: '0', errors: '2' });
    expect(testcaseNames(r.stdout)).toEqual(['promptctl test', at]);
    const testcases = [...r.stdout.matchAll(/<testcase ([^>]*)>\n\s*<error ([^>]*)>([^<]*)<\/error>/g)];
    expect(testcases).toHaveLength(2);
    const attrs = (s: string) => Object.fromEntries([...s.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, unxml(a[2]!)]));
    // The summary first, as before: the line stderr ends with.
    expect(attrs(testcases[0]![2]!).message).toBe(/^error: (.*)$/m.exec(r.stderr)![1]);
    expect(attrs(testcases[1]![1]!)).toMatchObject({ classname: 'promptctl.validate', name: at, file: 'prompts/other.yaml', line: lineNo });
    expect(attrs(testcases[1]![2]!)).toMatchObject({ message: line, type: rule });
    expect(unxml(testcases[1]![3]!)).toBe(line);
    expect(r.stdout.trimEnd().endsWith('</testsuites>')).toBe(true);
  });

  it('a secret a diagnostic quotes is masked in the file as on stderr', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    const secret = 'wrong-secret-value-1234567890';
    await p.write('prompts/other.yaml', withModel(JSON.stringify(secret)));
    const r = await p.cli(['test', '--format', 'junit'], { env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^prompts\/other\.yaml:\d+:\d+: error: .*\[redacted: [^\]]*GENESYSCLOUD_OAUTHCLIENT_SECRET\].* \[tokens\/unknown-model\]$/m);
    expect(r.stdout).toMatch(/<error message="prompts\/other\.yaml:\d+:\d+: error: unknown model &quot;\[redacted: [^\]]*GENESYSCLOUD_OAUTHCLIENT_SECRET\]&quot;/);
    // secrets/detected reports the value where it is (every string of a document is scanned), by name.
    expect(r.stdout).toMatch(/<error message="prompts\/other\.yaml:13:10: error: spec\.model contains the value of GENESYSCLOUD_OAUTHCLIENT_SECRET; /);
    expect(r.stdout.match(/classname="promptctl\.validate"/g)).toHaveLength(2);
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
