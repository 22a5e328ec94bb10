// `promptctl test` end to end, in-process, against a real emulator on port 0: exit codes and
// thresholds, JUnit counts, the results cache (counted by the emulator's analytics), real safety
// filters behind blockedBy and redacts, --compare, progress on a TTY and off it, bad input.
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { ANSWERS_TEST, evalsProject, SAFETY_TEST, SAFETY_WRONG_TEST, xmlAttributes, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
let example: TempDir | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
  await example?.remove();
  example = undefined;
});

/** No GENESYSCLOUD_* variable: the embedded emulator, with its state under the run's directory. */
const EMBEDDED = { GENESYSCLOUD_API_URL: undefined, GENESYSCLOUD_OAUTHCLIENT_ID: undefined, GENESYSCLOUD_OAUTHCLIENT_SECRET: undefined };

/** ANSWERS_TEST with a canned answer of its own for both its cases (which then both pass). */
const FIXTURE_ANSWER = 'Canned: your parcel left the warehouse; refunds take 5 working days.';
const RESPONSES_TEST = ANSWERS_TEST.replace(
  '  cases:\n',
  `  responses:\n    - match: {version: "1.1.0", regex: "(?i)question: (where is my PARCEL|how long does a refund take)"}\n      output: ${JSON.stringify(FIXTURE_ANSWER)}\n  cases:\n`,
);

describe('promptctl test', () => {
  it('exits 1 when a threshold is missed, with correct JUnit counts, and 0 with a threshold that allows the failure', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    const r = await p.cli(['test', '--format', 'junit']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^target: http:\/\/127\.0\.0\.1:\d+\S* \(client /);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    // Two calls plus the pass-rate verdict; the parcel case and the verdict fail.
    expect(xmlAttributes(r.stdout, 'testsuites')).toMatchObject({ tests: '3', failures: '2', errors: '0', skipped: '0' });
    expect(xmlAttributes(r.stdout, 'testsuite')).toMatchObject({ name: 'PromptTest/faq-answers', tests: '3', failures: '2', errors: '0' });
    expect(r.stdout.match(/<testcase /g)).toHaveLength(3);
    expect(r.stdout.match(/<failure /g)).toHaveLength(2);
    expect(r.stdout).toContain('<testcase classname="PromptTest/faq-answers" name="refund @1.1.0"');
    expect(r.stdout).toContain('<failure message="contains &quot;5 working days&quot;" type="assertion">contains &quot;5 working days&quot;: not found in &quot;Your parcel ships tomorrow');
    expect(r.stdout).toContain('name="pass rate vs threshold" time="0.000">\n      <failure message="below the threshold: pass rate 50 % (1/2), threshold 100 %" type="threshold">');
    expect(r.stderr).toContain('0 of 1 test met its threshold');

    const allowed = await p.cli(['test', '--format', 'junit', '--threshold', '0.5']);
    expect(allowed.code, allowed.stderr).toBe(0);
    // Exit 0, and the JUnit file agrees: the parcel case's failure, within the threshold, is a flaky pass (a CI reporter fails a build on any <failure>).
    expect(xmlAttributes(allowed.stdout, 'testsuites')).toMatchObject({ tests: '3', failures: '0', errors: '0' });
    expect(allowed.stdout).toContain('<flakyFailure message="contains &quot;5 working days&quot;" type="assertion">');
    expect((await p.cli(['test', '--threshold', '50%'])).code).toBe(0);
    expect((await p.cli(['test', '--threshold', '51%'])).code).toBe(1);
  });

  it('the text report: a table of case × version with pass/fail, latency, tokens and cost, the pass rate, and what failed', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    const r = await p.cli(['test']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('PromptTest/faq-answers → faq-bot@1.1.0');
    expect(lines[1]).toMatch(/^ {2}case\s+version\s+result\s+latency\s+tokens\s+cost$/);
    expect(lines[2]).toMatch(/^ {2}refund\s+1\.1\.0\s+✓ pass\s+\d+ ms\s+\d+\s+\$0\.\d+$/);
    expect(lines[3]).toMatch(/^ {2}parcel\s+1\.1\.0\s+✗ fail 0\/1\s+\d+ ms\s+\d+\s+\$0\.\d+$/);
    expect(lines[4]).toBe('  pass rate 50 % (1/2), threshold 100 %: NOT met');
    expect(lines[5]).toBe('  ✗ parcel @1.1.0: contains "5 working days": not found in "Your parcel ships tomorrow and arrives in two days."');
    expect(r.stdout).toContain('0 of 1 test met its threshold; 2 calls made.');
    // Not a TTY: one progress line per finished case.
    expect(r.stderr).toMatch(/^✓ faq-answers · refund @1\.1\.0: 1\/1 passed \[case \d\/2\]$/m);
    expect(r.stderr).toMatch(/^✗ faq-answers · parcel @1\.1\.0: 0\/1 passed \[case \d\/2\]$/m);
  });

  it('a second run of unchanged cases makes no call; --no-cache forces them; a changed case runs again', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    expect(await p.invocations()).toBe(0);
    const first = await p.cli(['test', '--format', 'json']);
    expect(await p.invocations()).toBe(2);
    const second = await p.cli(['test', '--format', 'json']);
    expect(await p.invocations()).toBe(2);
    // The line before the calls says what the cache answers: all of them the second time.
    expect(first.stderr).toMatch(/^running 2 calls of 1 test$/m);
    expect(second.stderr).toMatch(/^2 calls of 1 test, all answered from the cache$/m);
    const a = JSON.parse(first.stdout);
    const b = JSON.parse(second.stdout);
    expect([a.invocations, a.cached, b.invocations, b.cached]).toEqual([2, 0, 0, 2]);
    expect(b.tests[0].runs.map((r: { cached: boolean }) => r.cached)).toEqual([true, true]);
    // The same verdicts from the cache.
    expect(b.tests[0].runs.map((r: { passed: boolean }) => r.passed)).toEqual(a.tests[0].runs.map((r: { passed: boolean }) => r.passed));
    expect(second.stderr).toMatch(/✓ faq-answers · refund @1\.1\.0: 1\/1 passed \(cached\)/);
    expect((await readdir(join(p.dir.path, '.promptctl', 'cache', 'tests'))).filter((f) => /^[0-9a-f]{64}\.json$/.test(f))).toHaveLength(2);

    await p.cli(['test', '--no-cache']);
    expect(await p.invocations()).toBe(4);
    // One case's var changes: that case alone is called.
    await p.write('prompts/tests/answers.yaml', ANSWERS_TEST.replace('Where is my parcel?', 'Where is my parcel now?'));
    const changedRun = await p.cli(['test', '--format', 'json']);
    expect(changedRun.stderr).toMatch(/^running 1 call of 1 test; 1 more answered from the cache$/m);
    const changed = JSON.parse(changedRun.stdout);
    expect([changed.invocations, changed.cached]).toEqual([1, 1]);
    expect(await p.invocations()).toBe(5);
    // --repeat 3: two more repetitions of each case (the first is cached).
    const repeated = JSON.parse((await p.cli(['test', '--format', 'json', '--repeat', '3'])).stdout);
    expect([repeated.invocations, repeated.cached]).toEqual([4, 2]);
    expect(await p.invocations()).toBe(9);
  });

  it('a cached result stands only while the target serves the same: a filter changed outside git runs the calls again', async () => {
    p = await evalsProject({ 'safety.yaml': SAFETY_TEST });
    const first = JSON.parse((await p.cli(['test', '--format', 'json'])).stdout);
    expect([first.invocations, first.ok]).toEqual([3, true]);
    expect(JSON.parse((await p.cli(['test', '--format', 'json'])).stdout).cached).toBe(3);
    // Someone turns the live phishing filter into one that only flags: git did not change.
    const filters = await p.emu.api.listFilters();
    const block = filters.find((f) => f.name === 'faq-phishing-block')!;
    const { id, version, dateCreated, dateModified, createdBy, modifiedBy, selfUri, ...body } = block as typeof block & Record<string, unknown>;
    void [dateCreated, dateModified, createdBy, modifiedBy, selfUri];
    await p.emu.api.updateFilter(id, { ...(body as object), action: 'flag_and_pass', version } as never);
    const after = await p.cli(['test', '--format', 'json']);
    const report = JSON.parse(after.stdout);
    // Every call is made again, and the phishing case now fails: the target no longer blocks it.
    expect([report.invocations, report.cached]).toEqual([3, 0]);
    expect(report.ok).toBe(false);
    expect(after.code).toBe(1);
  });

  it('a cached result stands only while the emulator answers from the same canned answers: restarted with other ones, the calls are made again', async () => {
    const state = await tempDir('promptctl-answers-state-');
    let second: TestEmulator | undefined;
    try {
      p = await evalsProject({ 'answers.yaml': ANSWERS_TEST }, { stateFile: join(state.path, 'state.json') });
      const first = JSON.parse((await p.cli(['test', '--format', 'json'])).stdout);
      // The parcel answer does not say "5 working days".
      expect([first.invocations, first.ok]).toEqual([2, false]);
      expect(JSON.parse((await p.cli(['test', '--format', 'json'])).stdout).cached).toBe(2);
      // The same emulator (port, state) restarted with another responses file: one answer for every call.
      const port = Number(new URL(p.emu.url).port);
      await p.emu.close();
      second = await startTestEmulator({ port, stateFile: join(state.path, 'state.json'), rateLimit: 1_000_000, responses: [{ match: { template: 'faq-bot' }, output: 'Both arrive within 5 working days.' }] });
      expect(second.url).toBe(p.emu.url);
      const after = JSON.parse((await p.cli(['test', '--format', 'json'])).stdout);
      expect([after.invocations, after.cached, after.ok]).toEqual([2, 0, true]);
      // Unchanged from then on: cached again.
      expect(JSON.parse((await p.cli(['test', '--format', 'json'])).stdout).cached).toBe(2);
    } finally {
      await second?.close();
      await p?.dir.remove();
      p = undefined;
      await state.remove();
    }
  });

  it('blockedBy and redacts hold against the real filters, and fail when the expectation is wrong', async () => {
    p = await evalsProject({ 'safety.yaml': SAFETY_TEST, 'wrong.yaml': SAFETY_WRONG_TEST });
    const ok = await p.cli(['test', 'faq-safety', '--format', 'json']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const runs = JSON.parse(ok.stdout).tests[0].runs;
    expect(runs.map((r: { case: string; observation: { outcome: string } }) => [r.case, r.observation.outcome])).toEqual([
      ['phishing is blocked', 'blocked'],
      ['card number is redacted', 'answered'],
      ['plain question', 'answered'],
    ]);
    expect(runs[0].assertions[0]).toMatchObject({ type: 'blockedBy', passed: true, detail: 'blocked by faq-phishing-block' });
    expect(runs[1].assertions[0]).toMatchObject({ type: 'redacts', passed: true, detail: 'redacted by faq-pii-redact' });
    expect(runs[1].observation.filters).toContainEqual(expect.objectContaining({ name: 'faq-pii-redact', category: 'pii', action: 'redact_and_log', applied: true }));

    const wrong = await p.cli(['test', 'faq-safety-wrong', '--format', 'json']);
    expect(wrong.code).toBe(1);
    const w = JSON.parse(wrong.stdout).tests[0];
    expect(w.rate).toMatchObject({ passed: 0, total: 2, met: false });
    expect(w.runs[0].assertions[0]).toMatchObject({ type: 'blockedBy', not: true, passed: false, detail: 'blocked by faq-phishing-block' });
    expect(w.runs[1].assertions.map((a: { passed: boolean; detail: string }) => [a.passed, a.detail])).toEqual([
      [false, 'no filter redacted pii'],
      [false, 'not blocked'],
    ]);
  });

  it('--compare runs the same cases on two versions side by side', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST, 'safety.yaml': SAFETY_TEST });
    const r = await p.cli(['test', 'faq-answers', '--compare', '1.0.0,1.1.0']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(0, 5).join('\n')).toMatch(
      /^PromptTest\/faq-answers → faq-bot@1\.0\.0 vs 1\.1\.0\n {2}case\s+1\.0\.0\s+1\.1\.0\n {2}refund\s+✓ pass · \d+ ms · \d+ · \$[\d.]+\s+✓ pass · \d+ ms · \d+ · \$[\d.]+\n {2}parcel\s+✗ fail 0\/1 · .*✗ fail 0\/1 · .*\n {2}\(each version: result · latency · tokens · cost\)$/,
    );
    expect(r.stdout).toContain('pass rate 1.0.0: 50 % (1/2), 1.1.0: 50 % (1/2), threshold 100 %: NOT met');
    expect(r.stdout).toContain('note: routedTo is not checked under --compare: each call names its version');
    expect(await p.invocations()).toBe(4);
    const md = await p.cli(['test', 'faq-answers', '--compare', '1.0.0,1.1.0', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^### ❌ promptctl test: 0 of 1 test met its threshold/);
    expect(md.stdout).toContain('| ❌ | `faq-answers` | faq-bot@1.0.0 vs 1.1.0 | 1.0.0: 50 % (1/2)<br>1.1.0: 50 % (1/2) | 100 % |');
    // The two versions side by side on each case (DESIGN §7): one row a case, as the text report has them.
    expect(md.stdout).toContain('| Case | 1.0.0 | 1.1.0 |\n|---|---|---|\n');
    expect(md.stdout).toMatch(/^\| refund \| ✅ 1\/1 · cached · [^|]+ \| ✅ 1\/1 · cached · [^|]+ \|\n\| parcel \| ❌ 0\/1 [^|]+ \| ❌ 0\/1 [^|]+ \|$/m);
    expect(await p.invocations()).toBe(4);

    const bad = await p.cli(['test', '--compare', '1.0.0,9.9.9']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: --compare 1.0.0,9.9.9: no PromptTest targets a template that declares both versions');
  });

  it('draws a progress bar on a TTY', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    const r = await p.cli(['test', '--threshold', '0'], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('\r\x1b[K[###############...............] 1/2 cases');
    expect(r.stderr).not.toMatch(/^✓ faq-answers/m);
    // A dumb terminal (TERM=dumb) cannot erase a line: it gets the line per case a log gets.
    const dumb = await p.cli(['test', '--threshold', '0', '--no-cache'], { tty: true, env: { TERM: 'dumb' } });
    expect(dumb.code).toBe(0);
    expect(dumb.stderr).not.toContain('\x1b[K');
    expect(dumb.stderr).toMatch(/^✓ faq-answers/m);
  });

  it('refuses bad input with a clear error and exit 1, before any call', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    const cases: Array<[string[], RegExp]> = [
      [['test', 'faq-answer'], /^error: no PromptTest named "faq-answer" \(did you mean "faq-answers"\?\) in prompts; its tests: faq-answers$/m],
      [['test', '--repeat', '0'], /^error: --repeat must be a whole number from 1 to 1000, not "0"$/m],
      [['test', '--threshold', '1.5'], /^error: --threshold must be a pass rate from 0 to 1 \(or 0% to 100%\), not "1.5"$/m],
      [['test', '--compare', '1.0.0'], /^error: --compare takes two versions separated by a comma/m],
      // validate's semver check, before any call (not "no PromptTest declares both").
      [['test', '--compare', '1.0,1.1.0'], /^error: --compare: version "1\.0" is not a semantic version MAJOR\.MINOR\.PATCH\[-prerelease\] \(did you mean "1\.0\.0"\?\)$/m],
      [['test', '--compare', '1.0.0,01.1.0'], /^error: --compare: version "01\.1\.0" is not a semantic version/m],
      [['test', '--format', 'xml'], /error: option '--format <format>' argument 'xml' is invalid\. Allowed choices are text, markdown, json, junit\./],
      [['test', '--dir', 'nowhere'], /^error: /m],
    ];
    for (const [args, message] of cases) {
      const r = await p.cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await p.invocations()).toBe(0);
  });

  it('a directory with no PromptTest says so once on stderr, in every format whose stdout is a document (json said it twice)', async () => {
    example = await tempDir('promptctl-no-tests-');
    await mkdir(join(example.path, 'prompts'));
    for (const format of ['json', 'markdown', 'junit']) {
      const r = await runCliInProcess(['test', '--format', format], { cwd: example.path, env: EMBEDDED });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.split('\n').filter((l) => /PromptTest/i.test(l)), format).toEqual(['no PromptTest in prompts: nothing to run']);
    }
  });

  it('in text, a --dir holding only promptctl.yaml is said once, by the report on stdout naming the directory (it was said on both streams)', async () => {
    example = await tempDir('promptctl-no-tests-');
    await mkdir(join(example.path, 'conf'));
    await writeFile(join(example.path, 'conf', 'promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nmetadata:\n  name: default\nspec: {}\n');
    for (const args of [['test', '--dir', 'conf'], ['test', '--dir', 'conf', '--format', 'text']]) {
      const r = await runCliInProcess(args, { cwd: example.path, env: EMBEDDED });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trimEnd(), args.join(' ')).toBe('No PromptTest in conf: nothing to run.');
      expect(r.stderr, args.join(' ')).not.toMatch(/PromptTest|nothing to run/i);
    }
  });
});

describe("a test's own responses: block", () => {
  it('the example prompts/ pass on the embedded emulator: validate, apply, then test exits 0', { timeout: 60_000 }, async () => {
    example = await tempDir('promptctl-example-');
    await cp(join(REPO, 'prompts'), join(example.path, 'prompts'), { recursive: true });
    const run = (args: string[]) => runCliInProcess(args, { cwd: example!.path });
    const validate = await run(['validate']);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    const apply = await run(['apply', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(0);
    const r = await run(['test', '--format', 'json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe('target: embedded emulator (state .promptctl/local-state.json)');
    const tests = JSON.parse(r.stdout).tests as Array<{ name: string; met: boolean; runs: Array<{ case: string; passed: boolean; observation: { outcome: string; output: string; filters: unknown[] } }> }>;
    expect(tests.map((t) => [t.name, t.met])).toEqual([
      ['billing-pii-redaction', true],
      ['billing-smoke', true],
      ['support-phishing-blocked', true],
    ]);
    const runs = Object.fromEntries(tests.flatMap((t) => t.runs.map((x) => [x.case, x])));
    // Real filter behaviour, no canned answer involved: the phishing message is blocked before any
    // model, and the card number is redacted by billing-pii-guard.
    expect(runs['credential phishing']!.observation.outcome).toBe('blocked');
    expect(runs['card number in the question']!.observation.filters).toContainEqual(expect.objectContaining({ name: 'billing-pii-guard', category: 'pii', applied: true }));
    // The canned answers stand in only where the simulator cannot know the answer.
    expect(runs['refund timing']!.observation.output).toMatch(/^Hi Sam, a refund reaches/);
    expect(JSON.parse(runs['ordinary question']!.observation.output)).toEqual({ queue: 'technical', urgent: true });

    // The README's --compare example: a test whose case one version cannot take (billing-smoke
    // sets `plan`, which 1.0.0 does not declare) is named and left out, not failed.
    const compared = await run(['test', '--compare', '1.0.0,1.1.0']);
    expect(compared.code, compared.stdout + compared.stderr).toBe(0);
    expect(compared.stderr).toContain(
      `note: PromptTest/billing-smoke is not compared: case "refund timing": var "plan" is not a variable of version 1.0.0 (compared versions must declare the case's vars)`,
    );
    expect(compared.stdout).toContain('PromptTest/billing-pii-redaction → billing-assistant@1.0.0 vs 1.1.0');
    expect(compared.stdout).not.toContain('billing-smoke');
    // Named alone, nothing is left to compare: said so, not that no template declares both.
    const alone = await run(['test', '--compare', '1.0.0,1.1.0', 'billing-smoke']);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('error: --compare 1.0.0,1.1.0: no named PromptTest can be compared (each is left out: see the notes above)');
    // A case name with a control character is refused at its line (tests/control-character),
    // and the message shows it escaped.
    const smoke = join(example.path, 'prompts/tests/billing-smoke.yaml');
    await writeFile(smoke, (await readFile(smoke, 'utf8')).replace('- name: refund timing', '- name: "refund\\e[31m timing"'));
    const escaped = await run(['test', '--compare', '1.0.0,1.1.0', 'billing-smoke']);
    expect(escaped.code).toBe(1);
    expect(escaped.stderr).toMatch(/prompts\/tests\/billing-smoke\.yaml:\d+:\d+: error: .*\[tests\/control-character\]/);
    expect(escaped.stderr).not.toContain('\u001b');
  });

  it("on the embedded emulator, one test's edited answers run again only the calls to its own target", { timeout: 60_000 }, async () => {
    example = await tempDir('promptctl-example-');
    await cp(join(REPO, 'prompts'), join(example.path, 'prompts'), { recursive: true });
    const run = (args: string[]) => runCliInProcess(args, { cwd: example!.path });
    expect((await run(['apply', '--auto-approve'])).code).toBe(0);
    const counts = async () => {
      const r = JSON.parse((await run(['test', '--format', 'json'])).stdout) as { invocations: number; cached: number };
      return [r.invocations, r.cached];
    };
    expect(await counts()).toEqual([6, 0]);
    expect(await counts()).toEqual([0, 6]);
    // support-triage's test (2 calls) gets another canned answer; billing-assistant's 4 calls stay cached.
    const phishing = join(example.path, 'prompts/tests/support-phishing.yaml');
    await writeFile(phishing, (await readFile(phishing, 'utf8')).replace(`'{"queue": "technical", "urgent": true}'`, `'{"queue": "technical", "urgent": true, "note": "edited"}'`));
    expect(await counts()).toEqual([2, 4]);
  });

  it('answers on the embedded emulator, is part of the cache key, and is never used against a remote target', { timeout: 60_000 }, async () => {
    // The remote target: an emulator started without any canned answer.
    p = await evalsProject({ 'answers.yaml': RESPONSES_TEST }, { responses: [] });
    const parcel = (stdout: string) => (JSON.parse(stdout).tests[0].runs as Array<{ case: string; observation: { outcome: string; output: string } }>).find((x) => x.case === 'parcel')!;

    const remote = await p.cli(['test', '--format', 'json']);
    expect(remote.stderr.split('\n')[0]).toMatch(/^target: http:\/\/127\.0\.0\.1:\d+/);
    expect(parcel(remote.stdout).observation).toMatchObject({ outcome: 'answered', output: expect.stringMatching(/\w/) });
    expect(parcel(remote.stdout).observation.output).not.toContain('Canned');
    expect(remote.stdout).not.toContain(FIXTURE_ANSWER);

    // The same test on the embedded emulator (applied first): the fixture answers the parcel case.
    expect((await p.cli(['apply', '--auto-approve'], { env: EMBEDDED })).code).toBe(0);
    const embedded = await p.cli(['test', '--format', 'json'], { env: EMBEDDED });
    expect(embedded.stderr.split('\n')[0]).toBe('target: embedded emulator (state .promptctl/local-state.json)');
    expect(embedded.code, embedded.stdout + embedded.stderr).toBe(0);
    expect(parcel(embedded.stdout).observation.output).toBe(FIXTURE_ANSWER);
    expect(JSON.parse(embedded.stdout).invocations).toBe(2);

    const cached = JSON.parse((await p.cli(['test', '--format', 'json'], { env: EMBEDDED })).stdout);
    expect([cached.invocations, cached.cached]).toEqual([0, 2]);

    // A changed canned answer changes the key of every call to its template: they run again.
    await p.write('prompts/tests/answers.yaml', RESPONSES_TEST.replace('take 5 working days', 'take 6 working days'));
    const changed = await p.cli(['test', '--format', 'json'], { env: EMBEDDED });
    expect(changed.code).toBe(1);
    expect([JSON.parse(changed.stdout).invocations, JSON.parse(changed.stdout).cached]).toEqual([2, 0]);
    expect(parcel(changed.stdout).observation.output).toContain('6 working days');
    // ...and the remote target's results were never keyed by it: all cached.
    const remoteAgain = JSON.parse((await p.cli(['test', '--format', 'json'])).stdout);
    expect([remoteAgain.invocations, remoteAgain.cached]).toEqual([0, 2]);
  });
});
