// What `promptctl test` reports of a guide test, from a reviewer's list: where each case is
// written (JUnit's file and line, for CI annotations). Against a real emulator on port 0, the
// guide applied by promptctl itself.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { RETURNS_GUIDE } from '../helpers/guide-yaml.js';
import { evalsProject, REFUND_TEST } from './evals-support.js';

const GUIDE = RETURNS_GUIDE;

/** Two cases: the first of three user turns (line 9), the second of one (line 19). */
const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: returns-helper
spec:
  target:
    guide: Returns helper
  cases:
    - name: three turns
      messages:
        - role: user
          content: I want to return my order.
        - role: user
          content: It is order AC-12345678.
        - role: user
          content: Thanks.
      expect:
        - contains: return label
    - name: one turn
      messages:
        - role: user
          content: When do I get my money?
      expect:
        - contains: refund
`;

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = undefined;
  dir = undefined;
});

/** A project holding the guide and its test, applied to a fresh emulator. */
async function project(): Promise<(args: string[]) => Promise<CliResult>> {
  emu = await startTestEmulator();
  dir = await tempDir('promptctl-test-report-guide-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), GUIDE);
  await writeFile(join(dir.path, 'prompts', 'test.yaml'), TEST);
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
  const applied = await cli(['apply', '--auto-approve']);
  expect(applied.code, applied.stderr).toBe(0);
  return cli;
}

it('JUnit: each testcase names its case\'s line beside its file', async () => {
  const cli = await project();
  const r = await cli(['test', '--format', 'junit']);
  expect(r.code, r.stderr).toBe(1);
  const opens = [...r.stdout.matchAll(/<testcase [^>]*>/g)].map((m) => m[0]);
  expect(opens[0]).toContain('name="three turns" time="');
  expect(opens[0]).toMatch(/ file="prompts\/test\.yaml" line="9"/);
  expect(opens[1]).toMatch(/name="one turn" .* file="prompts\/test\.yaml" line="19"/);
  // The verdict is the test's, not a case's: no line.
  expect(opens[2]).toContain('name="pass rate vs threshold"');
  expect(opens[2]).not.toContain('line=');
});

it('the tally counts the calls sent: a guide case of three user messages is three turns; the cache spares as many', async () => {
  const cli = await project();
  const r = await cli(['test']);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toContain('running 4 calls of 1 test');
  expect(r.stdout).toMatch(/; 4 calls made\.$/m);
  const again = await cli(['test', '--format', 'json']);
  expect(again.stderr).toContain('4 calls of 1 test, all answered from the cache');
  expect(JSON.parse(again.stdout)).toMatchObject({ invocations: 0, cached: 4 });
  expect(again.stderr).toMatch(/; 0 calls made, 4 from the cache$/m);
});

it('a guide lookup refused (403) sends no call, and the tally says none was made', async () => {
  emu = await startTestEmulator({ refuse: { guides: 403 } });
  dir = await tempDir('promptctl-test-report-guide-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), GUIDE);
  await writeFile(join(dir.path, 'prompts', 'test.yaml'), TEST);
  const r = await runCliInProcess(['test', '--format', 'json'], { cwd: dir.path, env: emu.env });
  expect(r.code, r.stderr).toBe(1);
  expect(JSON.parse(r.stdout)).toMatchObject({ invocations: 0, cached: 0 });
});

it('a guide listing refused (403): the warning says the guide cases cannot run, not that they make every call', async () => {
  emu = await startTestEmulator({ refuse: { guides: 403 } });
  dir = await tempDir('promptctl-test-report-guide-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), GUIDE);
  await writeFile(join(dir.path, 'prompts', 'test.yaml'), TEST);
  const r = await runCliInProcess(['test'], { cwd: dir.path, env: emu.env });
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(/^warning: cannot read the target's guides \(.*403 missing\.any\.permissions.*\): their cases cannot run with this client, and each says why in the report$/m);
  expect(r.stderr).not.toContain('make every call');
  expect(r.stdout).toContain('it needs aiStudio:guide:view');
  // Found by review: the line before the calls counted the guide cases' four turns, never sent.
  expect(r.stderr).not.toMatch(/running \d+ calls?/);
  expect(r.stdout).toMatch(/; 0 calls made\.$/m);
});

it('a guide listing refused (403) beside a template test: the line before the calls counts only the template\'s', async () => {
  const p = await evalsProject({ 'refund.yaml': REFUND_TEST, 'guide-test.yaml': TEST }, { refuse: { guides: 403 } });
  try {
    await p.write('prompts/guide.yaml', GUIDE);
    const r = await p.cli(['test']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^running 1 call of 2 tests; none for the guide tests, whose cases cannot run with this client$/m);
    expect(r.stdout).toMatch(/; 1 call made\.$/m);
  } finally {
    await p.close();
  }
});

it('--compare with only guide tests: says a guide has no versions to compare, not "did you mean 1.0.0"', async () => {
  const cli = await project();
  for (const pair of ['1.0,2.0', '1.0.0,2.0.0']) {
    const r = await cli(['test', '--compare', pair]);
    expect(r.code, pair).toBe(1);
    expect(r.stderr).not.toContain('did you mean');
    expect(r.stderr).toMatch(
      new RegExp(`^error: --compare ${pair.replace(/\./g, '\\.')}: PromptTest/returns-helper targets a guide, and a guide has no versions to compare \\(Genesys numbers them\\); --compare compares two versions of a template$`, 'm'),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }
});

it('a guide test that ran a TestReady or Draft version says so, and which is production, in every format', async () => {
  const cli = await project();
  // git now asks for new content kept TestReady: 2.0, beside production 1.0.
  await writeFile(join(dir!.path, 'prompts', 'guide.yaml'), GUIDE.replace('return an order."', 'return an order, kindly."\n  publish: TestReady'));
  expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
  const said = 'ran guide version 2.0, which is TestReady, not the production version 1.0';
  const json = JSON.parse((await cli(['test', '--format', 'json'])).stdout);
  expect(json.tests[0].notes).toContain(said);
  expect((await cli(['test'])).stdout).toContain(`  note: ${said}`);
  expect((await cli(['test', '--format', 'markdown'])).stdout).toContain(`_note: ${said}_`);
  expect((await cli(['test', '--format', 'junit'])).stdout).toContain(`<property name="note" value="${said}"/>`);
  // Production again: nothing to say.
  await writeFile(join(dir!.path, 'prompts', 'guide.yaml'), GUIDE.replace('return an order."', 'return an order, kindly."'));
  expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
  expect((await cli(['test'])).stdout).not.toContain('ran guide version');
});

it('a guide never published: its Draft ran, and the note says there is no production version', async () => {
  emu = await startTestEmulator();
  dir = await tempDir('promptctl-test-report-guide-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), `${GUIDE}  publish: Draft\n`);
  await writeFile(join(dir.path, 'prompts', 'test.yaml'), TEST);
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
  expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
  const r = await cli(['test']);
  expect(r.stdout).toContain('  note: ran guide version 1.0, which is Draft; the guide has no production version');
});
