// `promptctl test` on what git defines but the target does not hold yet (a pull request adding a
// version with its test, before the merge applies it): those cases are not run, not failed. No
// call is made for them, nothing is cached, the pass rate leaves them out, every format says so
// with a count; exit 0 when every test that ran met its threshold. --require-live makes them an
// error again. A target git does not define at all stays validate's error.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toWire } from '../../src/kinds/PromptVersion/index.js';
import { loadProject } from '../../src/load/index.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { writeChecks } from '../integration/aistudio-support.js';
import { evalsProject, PROMPTS_YAML, SAFETY_TEST, xmlAttributes, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await p?.close();
  await emu?.close();
  await dir?.remove();
  p = undefined;
  emu = undefined;
  dir = undefined;
});

/** A version git defines and the emulator does not hold (faq-bot holds 1.0.0 and 1.1.0). */
const NEXT_VERSION = `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: faq-bot
  version: "1.2.0"
  systemInstruction: "You answer questions about Acme orders. Be brief and kind."
  userTemplate: "Question: {{question}}"
  variables:
    - name: question
      type: string
      maxLength: 500
  maxTokens: 100
`;

/** Two cases on the new version. */
const NEXT_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-next
spec:
  target:
    template: faq-bot
    version: "1.2.0"
  cases:
    - name: refund
      vars:
        question: "How long does a refund take?"
      expect:
        - contains: "5 working days"
    - name: parcel
      vars:
        question: "Where is my parcel?"
      expect:
        - contains: "parcel"
`;

const NOT_LIVE = 'faq-bot@1.2.0 is not on this target yet (apply it, then test)';

async function project(): Promise<EvalsProject> {
  const proj = await evalsProject({ 'safety.yaml': SAFETY_TEST, 'next.yaml': NEXT_TEST });
  await proj.write('prompts/faq-next.yaml', NEXT_VERSION);
  return proj;
}

describe('promptctl test: a version git defines that the target does not hold yet', () => {
  it('is not run: no call, out of the pass rate, exit 0 when the tests that ran met their thresholds (json)', async () => {
    p = await project();
    const r = await p.cli(['test', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    // Only the safety test's three cases were sent.
    expect(await p.invocations()).toBe(3);
    expect(report).toMatchObject({ ok: true, invocations: 3, notLive: 2 });
    const next = report.tests.find((t: { name: string }) => t.name === 'faq-next');
    // `met` follows the exit code's rule; `verdict` says what the other formats say: not run yet.
    expect(next).toMatchObject({ met: true, verdict: 'not run', notLive: 2, rate: { passed: 0, total: 0 } });
    expect(next.runs).toHaveLength(2);
    for (const run of next.runs) {
      expect(run).toMatchObject({ notLive: NOT_LIVE, passed: false, cached: false, assertions: [] });
      expect(run.notRun).toBeUndefined();
    }
    const safety = report.tests.find((t: { name: string }) => t.name === 'faq-safety');
    expect(safety).toMatchObject({ met: true, verdict: 'met', rate: { passed: 3, total: 3 } });
    expect(safety.notLive).toBeUndefined();
    expect(r.stderr).toContain('2 cases not run: their versions are not on this target yet (apply them, then test)');
    // Nothing was cached for them: once applied, the same cases are called.
    const again = JSON.parse((await p.cli(['test', '--format', 'json'])).stdout);
    expect([again.invocations, again.cached, again.notLive]).toEqual([0, 3, 2]);
  });

  it('says when the target holds the version only as a Draft (the next apply publishes it)', async () => {
    p = await project();
    const { state } = await loadProject({ dir: 'prompts', cwd: p.dir.path });
    const next = state!.versions.find((v) => v.template === 'faq-bot' && v.version === '1.2.0')!;
    const t = (await p.emu.api.listTemplates({ name: 'faq-bot' }))[0]!;
    await p.emu.api.createVersion(t.id, toWire(next));
    const report = JSON.parse((await p.cli(['test', 'faq-next', '--format', 'json'])).stdout);
    const runs = report.tests[0].runs as { notLive?: string }[];
    expect(runs.map((r) => r.notLive)).toEqual(runs.map(() => 'faq-bot@1.2.0 is only a Draft on this target, not published yet (apply publishes it, then test)'));
    expect(report.invocations).toBe(0);
  });

  it('text: the cases say "not run" and why, the test says it waits, and a count line ends the report', async () => {
    p = await project();
    const r = await p.cli(['test', 'faq-next']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('PromptTest/faq-next → faq-bot@1.2.0');
    expect(lines[2]).toMatch(/^ {2}refund\s+1\.2\.0\s+– not run \(not on this target yet\)\s+—\s+—\s+—$/);
    expect(r.stdout).toContain('  pass rate — (no case ran), threshold 100 %: not run');
    expect(r.stdout).toContain(`  – refund @1.2.0: not run: ${NOT_LIVE}`);
    expect(r.stdout).toContain('No test ran yet; 0 calls made. 2 cases not run: their versions are not on this target yet (apply them, then test).');
    expect(r.stdout).not.toMatch(/NOT met|✗/);
    expect(r.stderr).toMatch(/^– faq-next · refund @1\.2\.0: not run \(not on this target yet\) \[case \d\/2\]$/m);
    expect(await p.invocations()).toBe(0);
  });

  // From review: the verdict of a test no case of which ran was a passing testcase, a green
  // "pass rate vs threshold" in CI where text and markdown say "not run".
  it('junit: each case is <skipped> with the reason, and so is the verdict no case reached; no error or failure', async () => {
    p = await project();
    const r = await p.cli(['test', 'faq-next', '--format', 'junit']);
    expect(r.code, r.stderr).toBe(0);
    expect(xmlAttributes(r.stdout, 'testsuites')).toMatchObject({ tests: '3', failures: '0', errors: '0', skipped: '3' });
    expect(xmlAttributes(r.stdout, 'testsuite')).toMatchObject({ name: 'PromptTest/faq-next', tests: '3', failures: '0', errors: '0', skipped: '3' });
    expect(r.stdout).toContain(`<testcase classname="PromptTest/faq-next" name="refund @1.2.0" time="0.000" file="prompts/tests/next.yaml" line="10">\n      <skipped message="not run: ${NOT_LIVE}"/>\n    </testcase>`);
    expect(r.stdout).toContain('<testcase classname="PromptTest/faq-next" name="pass rate vs threshold" time="0.000">\n      <skipped message="not run: pass rate — (no case ran), threshold 100 %"/>\n    </testcase>');
    expect(r.stdout).not.toContain('<error');
    // A test some of whose cases ran keeps its verdict: a pass.
    const all = await p.cli(['test', '--format', 'junit']);
    expect(all.stdout).toMatch(/name="pass rate vs threshold" time="0\.000">\n      <system-out>pass rate 100 %/);
  });

  it('markdown: waiting, not failed: ⏳ on the test and its cases, the count in the heading block', async () => {
    p = await project();
    const r = await p.cli(['test', '--format', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('### ✅ promptctl test: 1 of 1 test met its threshold; 1 not run yet');
    // Nothing ran at all: the heading waits too, it does not show a green check.
    const only = await p.cli(['test', 'faq-next', '--format', 'markdown']);
    expect(only.code, only.stderr).toBe(0);
    expect(only.stdout.split('\n')[0]).toBe('### ⏳ promptctl test: no test ran yet');
    // stderr counts the same way: a test none of whose cases ran did not meet its threshold.
    expect(r.stderr).toMatch(/^1 of 1 test met its threshold; 1 not run yet; 3 calls made, 0 from the cache$/m);
    const none = await p.cli(['test', 'faq-next', '--format', 'json']);
    expect(none.stderr).toMatch(/^No test ran yet; 0 calls made, 0 from the cache$/m);
    expect(r.stdout).toContain('⏳ 2 cases not run: their versions are not on this target yet (apply them, then test).');
    expect(r.stdout).toMatch(/^\| ⏳ \| `faq-next` \| faq-bot@1\.2\.0 \| not run \| 100 % \|$/m);
    expect(r.stdout).toMatch(/^\| refund \| 1\.2\.0 \| ⏳ not run \(not on this target yet\) \| — \| — \| — \|$/m);
    expect(r.stdout).toContain(`- ⏳ **refund** @1.2.0: not run: ${NOT_LIVE}`);
    expect(r.stdout).not.toContain('❌');
  });

  it('--require-live: a case whose version is not on the target fails the run (exit 1), still without a call', async () => {
    p = await project();
    const r = await p.cli(['test', '--require-live', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: false, requireLive: true, notLive: 2, invocations: 3 });
    expect(report.tests.find((t: { name: string }) => t.name === 'faq-next')).toMatchObject({ met: false, verdict: 'not met', notLive: 2 });
    expect(report.tests.find((t: { name: string }) => t.name === 'faq-safety')).toMatchObject({ met: true });
    const text = await p.cli(['test', 'faq-next', '--require-live']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('  pass rate — (no case ran), threshold 100 %: NOT met (--require-live: 2 cases not on this target)');
    expect(text.stdout).toContain(`  ! refund @1.2.0: not run: ${NOT_LIVE}`);
    const junit = await p.cli(['test', 'faq-next', '--require-live', '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(xmlAttributes(junit.stdout, 'testsuites')).toMatchObject({ tests: '3', failures: '1', errors: '2', skipped: '0' });
    // The verdict says why no case ran, as the text does (from review: "below the threshold" alone).
    expect(junit.stdout).toContain('<failure message="below the threshold: pass rate — (no case ran), threshold 100 % (--require-live: 2 cases not on this target)" type="threshold">');
    const help = await p.cli(['test', '--help']);
    expect(help.stdout).toMatch(/--require-live\s+fail/);
  });

  it('a split git routes to the new version, and a template the target does not hold at all, are not run either', async () => {
    p = await project();
    await p.write('prompts/faq-split.yaml', ['apiVersion: promptctl/v1', 'kind: TrafficSplit', 'spec:', '  template: faq-bot', '  routes:', '    - version: "1.1.0"', '      weight: 90', '    - version: "1.2.0"', '      weight: 10'].join('\n') + '\n');
    // The split lives in faq.yaml too: drop that one.
    const { readFile } = await import('node:fs/promises');
    const faq = await readFile(join(p.dir.path, 'prompts', 'faq.yaml'), 'utf8');
    await p.write('prompts/faq.yaml', faq.split('\n---\n').filter((d) => !d.includes('kind: TrafficSplit')).join('\n---\n'));
    await p.write(
      'prompts/tests/routed.yaml',
      ['apiVersion: promptctl/v1', 'kind: PromptTest', 'metadata:', '  name: faq-routed', 'spec:', '  target:', '    template: faq-bot', '  cases:', '    - name: refund', '      vars:', '        question: "How long does a refund take?"', '      expect:', '        - contains: "refund"'].join('\n') + '\n',
    );
    await p.write(
      'prompts/new-bot.yaml',
      [
        ['apiVersion: promptctl/v1', 'kind: PromptTemplate', 'metadata:', '  name: new-bot', 'spec:', '  model: gpt-4o-mini'].join('\n'),
        ['apiVersion: promptctl/v1', 'kind: PromptVersion', 'spec:', '  template: new-bot', '  version: "1.0.0"', '  systemInstruction: "Hi."', '  userTemplate: "Q: {{q}}"', '  variables:', '    - name: q', '      type: string'].join('\n'),
        ['apiVersion: promptctl/v1', 'kind: PromptTest', 'metadata:', '  name: new-bot-smoke', 'spec:', '  target:', '    template: new-bot', '  cases:', '    - name: hello', '      vars:', '        q: "hello"', '      expect:', '        - contains: "hello"'].join('\n'),
      ].join('\n---\n') + '\n',
    );
    const r = await p.cli(['test', 'faq-routed', 'new-bot-smoke', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, invocations: 0, notLive: 2 });
    const byName = (n: string) => report.tests.find((t: { name: string }) => t.name === n);
    const [routed, fresh] = [byName('faq-routed'), byName('new-bot-smoke')];
    expect(routed.runs[0].notLive).toBe('faq-bot@1.2.0 is not on this target yet (apply it, then test)');
    expect(fresh.runs[0].notLive).toBe('new-bot@1.0.0 is not on this target yet (apply it, then test)');
    expect(await p.invocations()).toBe(0);
  });

  it('a test of a template git does not define stays validate\'s error', async () => {
    p = await project();
    await p.write('prompts/tests/next.yaml', NEXT_TEST.replace('template: faq-bot', 'template: faq-bott'));
    const r = await p.cli(['test', 'faq-next']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/template "faq-bott" is not defined by any PromptTemplate/);
  });
});

describe('promptctl test: a guide git defines that the target does not hold yet', () => {
  it('is not run, and the run exits 0 with the note', async () => {
    emu = await startTestEmulator({});
    // The AI Studio surface answers (with another guide on it), but not with this one.
    const ai = createAiStudioClient({ landed: writeChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: 'local-client', clientSecret: 'local-secret', targetLabel: 'test' });
    try {
      await ai.createGuide({ name: 'Another guide', source: 'Manual' });
    } finally {
      await ai.close();
    }
    dir = await tempDir('promptctl-guide-not-live-');
    await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
    await writeFile(
      join(dir.path, 'prompts', 'guide.yaml'),
      ['apiVersion: promptctl/v1', 'kind: Guide', 'metadata:', '  name: Returns helper', 'spec:', '  instruction: "Help the customer return an order."'].join('\n') + '\n',
    );
    await writeFile(
      join(dir.path, 'prompts', 'tests', 'guide.yaml'),
      ['apiVersion: promptctl/v1', 'kind: PromptTest', 'metadata:', '  name: returns-helper', 'spec:', '  target:', '    guide: Returns helper', '  cases:', '    - name: label', '      messages:', '        - role: user', '          content: I want to return my order.', '      expect:', '        - contains: return label'].join('\n') + '\n',
    );
    const r = await runCliInProcess(['test', '--format', 'json'], { cwd: dir.path, env: emu.env });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, invocations: 0, notLive: 1 });
    expect(report.tests[0].runs[0].notLive).toBe('guide "Returns helper" is not on this target yet (apply it, then test)');
    expect(r.stderr).toContain('1 case not run: its guide is not on this target yet (apply it, then test)');
    const strict = await runCliInProcess(['test', '--require-live'], { cwd: dir.path, env: emu.env });
    expect(strict.code).toBe(1);
  });
});

describe('promptctl test: a guide whose live content is not what git defines yet', () => {
  it('does not run its cases on the org\'s other text: an edit before its apply is not run, then runs once applied', async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-guide-edit-not-live-');
    await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
    const guide = (text: string) =>
      ['apiVersion: promptctl/v1', 'kind: Guide', 'metadata:', '  name: Returns helper', 'spec:', `  instruction: "${text}"`].join('\n') + '\n';
    await writeFile(join(dir.path, 'prompts', 'guide.yaml'), guide('Help the customer return an order.'));
    await writeFile(
      join(dir.path, 'prompts', 'tests', 'guide.yaml'),
      ['apiVersion: promptctl/v1', 'kind: PromptTest', 'metadata:', '  name: returns-helper', 'spec:', '  target:', '    guide: Returns helper', '  cases:', '    - name: asks', '      messages:', '        - role: user', '          content: I want to return my order.', '      expect:', '        - maxLatencyMs: 60000'].join('\n') + '\n',
    );
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env })).code).toBe(0);
    const applied = await runCliInProcess(['test', '--format', 'json'], { cwd: dir.path, env: emu.env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ ok: true, invocations: 1 });
    expect(JSON.parse(applied.stdout).notLive).toBeUndefined();

    // The pull request edits the instruction: the org still runs version 1.0's old text.
    await writeFile(join(dir.path, 'prompts', 'guide.yaml'), guide('Help the customer return an order, and ask why.'));
    const edited = await runCliInProcess(['test', '--format', 'json'], { cwd: dir.path, env: emu.env });
    expect(edited.code, edited.stderr).toBe(0);
    const report = JSON.parse(edited.stdout);
    expect(report).toMatchObject({ ok: true, invocations: 0, cached: 0, notLive: 1 });
    expect(report.tests[0].runs[0].notLive).toBe('guide "Returns helper" as git defines it is not on this target yet (apply it, then test): its version 1.0 there holds other content');
    expect((await runCliInProcess(['test', '--require-live'], { cwd: dir.path, env: emu.env })).code).toBe(1);

    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env })).code).toBe(0);
    const after = await runCliInProcess(['test', '--format', 'json'], { cwd: dir.path, env: emu.env });
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: true, invocations: 1 });
    expect(JSON.parse(after.stdout).notLive).toBeUndefined();
  });

  it("runs production's version while a newer Draft holds someone's work in progress, which plan leaves alone", async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-guide-wip-');
    await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
    await writeFile(join(dir.path, 'prompts', 'guide.yaml'), ['apiVersion: promptctl/v1', 'kind: Guide', 'metadata:', '  name: Returns helper', 'spec:', '  instruction: "Help the customer return an order."'].join('\n') + '\n');
    await writeFile(
      join(dir.path, 'prompts', 'tests', 'guide.yaml'),
      ['apiVersion: promptctl/v1', 'kind: PromptTest', 'metadata:', '  name: returns-helper', 'spec:', '  target:', '    guide: Returns helper', '  cases:', '    - name: asks', '      messages:', '        - role: user', '          content: I want to return my order.', '      expect:', '        - maxLatencyMs: 60000'].join('\n') + '\n',
    );
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    // A colleague starts version 2.0 in the Genesys UI.
    const ai = createAiStudioClient({ landed: writeChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: 'local-client', clientSecret: 'local-secret', targetLabel: 'test' });
    try {
      const [g] = await ai.listGuides({ name: 'Returns helper' });
      expect((await ai.createGuideVersion(g!.id, { instruction: 'Work in progress: not ready.' })).version).toBe('2.0');
    } finally {
      await ai.close();
    }
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect((await cli(['drift'])).code).toBe(0);
    const tested = await cli(['test', '--format', 'json']);
    expect(tested.code, tested.stderr).toBe(0);
    const report = JSON.parse(tested.stdout);
    expect(report).toMatchObject({ ok: true, invocations: 1 });
    expect(report.notLive).toBeUndefined();
    expect(report.tests[0].runs[0].version).toBe('1.0');
  });
});

describe('promptctl test: a version published on the target with other content than git\'s', () => {
  it('is not run as if it were git\'s text: its cases fail, naming the version and how to see the difference, without a call', async () => {
    const pinned = NEXT_TEST.replace('name: faq-next', 'name: faq-edited').replace('version: "1.2.0"', 'version: "1.1.0"');
    p = await evalsProject({ 'edited.yaml': pinned });
    // git edits published 1.1.0 in place (plan's immutable-version error); the org keeps its text.
    await p.write('prompts/faq.yaml', PROMPTS_YAML.replace('Acme orders. Be brief.', 'Acme orders. Be brief and warm.') + '\n');
    const r = await p.cli(['test', 'faq-edited', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.tests[0].runs[0].notRun).toBe(
      'faq-bot@1.1.0 is published on this target with other content than git\'s, and a published version cannot change: `promptctl plan` shows the difference (add a new version)',
    );
    expect(await p.invocations()).toBe(0);
    // Nothing is sent, so nothing is announced as running.
    expect(r.stderr).not.toMatch(/^running \d+ calls?/m);
  });
});
