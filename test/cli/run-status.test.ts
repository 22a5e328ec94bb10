// `promptctl run` (the answer streamed to stdout as it arrives, the rest on stderr) and
// `promptctl status` (exactly the calls made, split by version), in-process against a real
// emulator on port 0.
import { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { cleanEnv } from '../helpers/cli.js';
import { CARD, evalsProject, PHISHING, REFUND_ANSWER, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** Runs promptctl with a stdout that notes when each chunk arrived. */
async function timedRun(args: string[], cwd: string, env: Record<string, string>) {
  const chunks: Array<{ at: number; text: string }> = [];
  let stderr = '';
  const stdout = new Writable({
    write(c, _e, done) {
      chunks.push({ at: performance.now(), text: String(c) });
      done();
    },
  });
  const err = new Writable({
    write(c, _e, done) {
      stderr += String(c);
      done();
    },
  });
  const code = await run(args, { stdout, stderr: err, stdin: Readable.from([]), env: cleanEnv(env), cwd, color: false });
  return { code, chunks, stdout: chunks.map((c) => c.text).join(''), stderr };
}

describe('promptctl run', () => {
  it('streams the answer to stdout as it arrives, then usage, cost, latency and filters on stderr', async () => {
    p = await evalsProject({}, { streamDelayMs: 25 });
    const r = await timedRun(['run', 'faq-bot@1.0.0', '--var', 'question=How long does a refund take?'], p.dir.path, p.emu.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${REFUND_ANSWER}\n`);
    // Several writes, spread over the stream (25 ms between deltas on the server).
    const text = r.chunks.filter((c) => c.text !== '\n');
    expect(text.length).toBeGreaterThan(2);
    expect(text.at(-1)!.at - text[0]!.at).toBeGreaterThanOrEqual(25);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^target: http:\/\/127\.0\.0\.1:\d+/);
    expect(lines[1]).toBe('version 1.0.0 · model gpt-4o-mini · finish stop');
    expect(lines[2]).toMatch(/^tokens (\d+) \((\d+) prompt \+ (\d+) completion\) · cost \$0\.\d+ · latency \d+ ms \(model\), \d+ ms \(total\)$/);
    expect(lines[3]).toBe('filters: none acted');
  });

  it('--format json: one document on stdout; the split routes a call without a version; filters are reported', async () => {
    p = await evalsProject();
    const r = await p.cli(['run', 'faq-bot', '--var', `question=${CARD}`, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(['1.0.0', '1.1.0']).toContain(doc.version);
    expect(doc).toMatchObject({ template: { name: 'faq-bot' }, model: 'gpt-4o-mini', usage: { promptTokens: expect.any(Number) } });
    expect(doc.filters).toContainEqual(expect.objectContaining({ name: 'faq-pii-redact', category: 'pii', applied: true }));
    expect(r.stderr).toMatch(/filters: faq-pii-redact redacted pii \(score [\d.]+\)/);
  });

  it('a block, an unknown template or version, and bad --var are clear errors (exit 1, no stack)', async () => {
    p = await evalsProject();
    const blocked = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${PHISHING}`]);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/^error: blocked by safety filter faq-phishing-block: /m);
    const cases: Array<[string[], RegExp]> = [
      [['run', 'faq-bots'], /^error: no prompt template "faq-bots" on the target \(did you mean "faq-bot"\?\)$/m],
      [['run', 'faq-bot@2.0.0'], /^error: template "faq-bot" has no version 2\.0\.0 on the target; published: 1\.0\.0, 1\.1\.0$/m],
      [['run', 'faq-bot@latest'], /^error: version "latest" is not a semantic version MAJOR\.MINOR\.PATCH\[-prerelease\] \(e\.g\. "1\.2\.0"\); give TEMPLATE or TEMPLATE@VERSION$/m],
      [['run', 'faq-bot', '--var', 'question'], /^error: --var "question": write it as name=value$/m],
      [['run', 'faq-bot', '--var', 'q=1', '--var', 'q=2'], /^error: --var q is given twice$/m],
      [['run', 'faq-bot@1.0.0'], /^error: template "faq-bot": version 1\.0\.0 would refuse it: variable question is required \(give it with --var question=VALUE; nothing was sent\)$/m],
      // A variable the version does not declare: refused before the call (which status would count as the version's error).
      [['run', 'faq-bot@1.0.0', '--var', 'question=q', '--var', 'plan=gold'], /^error: --var plan: version 1\.0\.0, which this call runs, does not declare it \(declared: question\); leave it out$/m],
    ];
    for (const [args, message] of cases) {
      const r = await p.cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('promptctl status', () => {
  it('counts exactly the calls made, split by version, with errors, blocks, tokens and the A/B comparison', async () => {
    p = await evalsProject();
    const api = p.emu.api;
    const served = new Map<string, number>();
    const note = (v: string) => served.set(v, (served.get(v) ?? 0) + 1);
    // Routed calls, as the split draws them.
    for (let i = 0; i < 12; i++) note((await api.invoke({ template: 'faq-bot', variables: { question: `Where is parcel ${i}?` } })).version);
    // Pinned calls through the CLI.
    for (const v of ['1.0.0', '1.0.0', '1.1.0']) {
      const r = await p.cli(['run', `faq-bot@${v}`, '--var', 'question=How long does a refund take?']);
      expect(r.code).toBe(0);
      note(v);
    }
    // A block (1.0.0) and a refusal of the variables (1.1.0): counted, as blocked and as an error.
    // (run refuses an undeclared --var before calling: the refused call is made on the API.)
    expect((await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${PHISHING}`])).code).toBe(1);
    await expect(api.invoke({ template: 'faq-bot', version: '1.1.0', variables: { question: 'x', colour: 'red' } })).rejects.toThrow(/not declared/);

    const r = await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^target: http:\/\/127\.0\.0\.1:\d+/);
    const report = JSON.parse(r.stdout);
    expect(report.templates).toHaveLength(1);
    const t = report.templates[0];
    expect(t.template).toBe('faq-bot');
    expect(t.invocations).toBe(17);
    const byVersion = Object.fromEntries(t.versions.map((v: { version: string }) => [v.version, v]));
    const a = served.get('1.0.0') ?? 0;
    const b = served.get('1.1.0') ?? 0;
    expect(a + b).toBe(15);
    expect(byVersion['1.0.0']).toMatchObject({ invocations: a + 1, blocked: 1, errors: 0, answered: a, weight: 50 });
    expect(byVersion['1.1.0']).toMatchObject({ invocations: b + 1, blocked: 0, errors: 1, answered: b, weight: 50 });
    expect(byVersion['1.0.0'].share + byVersion['1.1.0'].share).toBeCloseTo(1, 10);
    expect(byVersion['1.0.0'].tokens.meanTotal).toBeGreaterThan(0);
    // p50 and p95 from the second, whole-interval query (the emulator answers promptctl's percentiles).
    expect(byVersion['1.0.0'].latencyMs).toMatchObject({ mean: expect.any(Number), p50: expect.any(Number), p95: expect.any(Number) });
    expect(byVersion['1.0.0'].latencyMs.p95).toBeGreaterThanOrEqual(byVersion['1.0.0'].latencyMs.p50);
    expect(t.comparison).toMatchObject({ baseline: '1.0.0', candidate: '1.1.0' });
    expect(t.comparison.verdict).toMatch(/keep collecting$/);

    const text = await p.cli(['status', '--since', '1h']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^faq-bot \(split random: 1\.0\.0 50 %, 1\.1\.0 50 %\): 17 calls$/m);
    expect(text.stdout).toMatch(new RegExp(`^ {2}1\\.0\\.0\\s+${a + 1}\\s+\\d+ % \\(50 %\\)\\s+0 \\(0 %\\)\\s+1 \\(`, 'm'));
    expect(text.stdout).toMatch(/^ {2}verdict: /m);
    expect(text.stdout).toMatch(/^ {2}version\s+calls\s+share \(weight\)\s+errors\s+blocked\s+latency p50 \/ p95 \(mean\)\s+tokens\/call\s+cost \(per call\)$/m);
    expect(text.stdout).toContain('latency: p50 and p95 per call over the whole interval (nearest rank), the mean beside them');
    const md = await p.cli(['status', 'faq-bot', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^### promptctl status: calls since 7d/);
    expect(md.stdout).toContain('**Verdict:** ');
  });

  it('bad input is a clear error', async () => {
    p = await evalsProject();
    const unknown = await p.cli(['status', 'faq-bt']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: no prompt template "faq-bt" on the target \(did you mean "faq-bot"\?\)$/m);
    const since = await p.cli(['status', '--since', 'last week']);
    expect(since.code).toBe(1);
    expect(since.stderr).toMatch(/^error: --since "last week" is not a duration/m);
    // A --dir given must be one, --env or not (it was passed over without a word).
    const dir = await p.cli(['status', '--dir', 'promtps']);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toMatch(/^error: .*promtps/m);
    expect(dir.stdout).toBe('');
  });

  it('with --format json, a failure is a document on stdout too, as plan, drift, test and run write (it wrote nothing)', async () => {
    p = await evalsProject();
    const unknown = await p.cli(['status', 'faq-bt', '--format', 'json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toEqual({ error: 'no prompt template "faq-bt" on the target (did you mean "faq-bot"?)', diagnostics: [] });
    const since = await p.cli(['status', '--since', 'last week', '--format', 'json']);
    expect(since.code).toBe(1);
    expect(JSON.parse(since.stdout).error).toMatch(/^--since "last week" is not a duration/);
    // Text writes none, as before.
    expect((await p.cli(['status', 'faq-bt'])).stdout).toBe('');
  });
});
