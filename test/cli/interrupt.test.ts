// Ctrl-C during `promptctl test` and `promptctl run`, in-process (the interrupt is injected, as
// for apply): the first one starts no new call and cuts off the calls in flight; `test` reports
// the cases that finished in every format (still a well-formed document) and says how many did
// not run, `run` keeps what it printed; both exit 130. Only results that completed are cached.
import { watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCliInProcess, type CliResult } from '../helpers/cli.js';
import { evalsProject, manyCasesTest, REFUND_ANSWER, xmlAttributes, type EvalsProject } from './evals-support.js';
import { forwardTo } from '../helpers/forward.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const CASES = 12;

/** CASES passing cases on 1.1.0, each its own call (a question of its own). */
const MANY_TEST = manyCasesTest(CASES, { name: 'refund', question: 'How long does a refund take?', expect: 'contains: "5 working days"' });

const PROGRESS = /^✓ faq-many · refund \d+ @1\.1\.0: 1\/1 passed \[case \d+\/12\]$/m;

/** `promptctl test ARGS`, interrupted as soon as the first case has finished (its progress line). */
async function interruptedTest(args: string[]): Promise<CliResult & { interrupts: number }> {
  const ac = new AbortController();
  let interrupts = 0;
  const r = await runCliInProcess(['test', ...args], {
    cwd: p!.dir.path,
    env: p!.emu.env,
    signal: ac.signal,
    watchStderr(soFar) {
      if (interrupts === 0 && PROGRESS.test(soFar)) {
        interrupts++;
        ac.abort();
      }
    },
  });
  return { ...r, interrupts };
}

async function cachedResults(): Promise<number> {
  const files = await readdir(join(p!.dir.path, '.promptctl', 'cache', 'tests')).catch(() => []);
  return files.filter((f) => /^[0-9a-f]{64}\.json$/.test(f)).length;
}

/**
 * A proxy to the emulator that holds the template listing for 10 s and interrupts the command
 * when the listing is asked for: `arm()` gives the signal of the next command run through it.
 */
async function listingHoldingProxy(emulatorUrl: string): Promise<{ url: string; arm(): AbortSignal; interruptedAt(): number; close(): Promise<void> }> {
  const upstream = new URL(emulatorUrl);
  let ac = new AbortController();
  let at = 0;
  const proxy = http.createServer((req, res) => {
    const forward = (): void => forwardTo(upstream, req, res);
    if (req.method === 'GET' && /prompttemplates\?/.test(req.url ?? '')) {
      at = Date.now();
      ac.abort();
      const t = setTimeout(forward, 10_000);
      res.once('close', () => clearTimeout(t));
    } else forward();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    arm() {
      ac = new AbortController();
      at = 0;
      return ac.signal;
    },
    interruptedAt: () => at,
    async close() {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

describe('an interrupted promptctl test', () => {
  it('text: the table of the finished cases, a line saying it was interrupted and how many did not run, exit 130; only completed calls are cached', async () => {
    p = await evalsProject({ 'many.yaml': MANY_TEST }, { latencyMs: 60 });
    const r = await interruptedTest([]);
    expect(r.interrupts).toBe(1);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^interrupted: no new call is started and the calls in flight are cut off \(interrupt again to stop at once\)$/m);
    const finished = (r.stderr.match(new RegExp(PROGRESS.source, 'gm')) ?? []).length;
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThan(CASES);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('PromptTest/faq-many → faq-bot@1.1.0');
    expect(lines.filter((l) => /^ {2}refund \d+\s+1\.1\.0\s+✓ pass/.test(l))).toHaveLength(finished);
    expect(r.stdout).toContain(`  pass rate 100 % (${finished}/${finished}) of the cases that finished, threshold 100 %: not checked (${CASES - finished} case${CASES - finished === 1 ? '' : 's'} did not run)`);
    expect(r.stdout).toMatch(new RegExp(`^Interrupted: ${finished} of ${CASES} cases finished, ${CASES - finished} did not run; ${finished} calls? made(, \\d+ cut off)?\\.$`, 'm'));
    // Only what completed is cached: the next run makes exactly the calls that did not finish.
    expect(await cachedResults()).toBe(finished);
    const again = JSON.parse((await p.cli(['test', '--format', 'json'])).stdout);
    expect([again.invocations, again.cached, again.ok]).toEqual([CASES - finished, finished, true]);
  });

  it('once the last case has finished: the whole report, a line saying so, and still exit 130', async () => {
    p = await evalsProject({ 'many.yaml': MANY_TEST });
    const ac = new AbortController();
    const r = await runCliInProcess(['test'], {
      cwd: p.dir.path,
      env: p.emu.env,
      signal: ac.signal,
      // The last case's progress line: every call has finished, the run has not ended yet.
      watchStderr: (soFar) => (/\[case 12\/12\]$/m.test(soFar) ? ac.abort() : undefined),
    });
    expect(ac.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toContain('  pass rate 100 % (12/12), threshold 100 %: met');
    expect(r.stdout).not.toMatch(/^Interrupted:/m);
    expect(r.stderr).toMatch(/^interrupted: every case had finished, so the report is complete$/m);
  });

  it('json: a whole document with the finished cases and the interruption; junit: well-formed XML whose verdict is an error', async () => {
    p = await evalsProject({ 'many.yaml': MANY_TEST }, { latencyMs: 60 });
    const j = await interruptedTest(['--format', 'json']);
    expect(j.code, j.stderr).toBe(130);
    const report = JSON.parse(j.stdout);
    const { casesFinished, casesNotRun } = report.interrupted;
    expect(casesFinished).toBeGreaterThanOrEqual(1);
    expect(casesFinished + casesNotRun).toBe(CASES);
    expect(report.ok).toBe(false);
    expect(report.tests[0]).toMatchObject({ met: false, casesNotRun });
    expect(report.tests[0].runs).toHaveLength(casesFinished);
    expect(report.tests[0].runs.every((run: { passed: boolean; observation: { output: string } }) => run.passed && run.observation.output === REFUND_ANSWER)).toBe(true);
    expect(j.stderr).toMatch(new RegExp(`^interrupted: ${casesFinished} of ${CASES} cases finished, ${casesNotRun} did not run$`, 'm'));

    const x = await interruptedTest(['--format', 'junit', '--no-cache']);
    expect(x.code, x.stderr).toBe(130);
    expect(x.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(x.stdout.trimEnd().endsWith('</testsuites>')).toBe(true);
    const ran = (x.stdout.match(/<testcase /g) ?? []).length - 1; // less the verdict
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(ran).toBeLessThan(CASES);
    expect(xmlAttributes(x.stdout, 'testsuites')).toMatchObject({ tests: String(ran + 1), failures: '0', errors: '1' });
    expect(x.stdout).toContain(`<error message="interrupted: ${CASES - ran} of ${CASES} cases did not run; the threshold was not checked" type="interrupted">`);
    // Every element it opens is closed.
    const opened = (x.stdout.match(/<testcase /g) ?? []).length;
    const closed = (x.stdout.match(/<testcase [^>]*\/>/g) ?? []).length + (x.stdout.match(/<\/testcase>/g) ?? []).length;
    expect(closed).toBe(opened);
    expect((x.stdout.match(/<testsuite /g) ?? []).length).toBe((x.stdout.match(/<\/testsuite>/g) ?? []).length);
  });

  it('during the read of what the target holds (before any call): ends at once, runs nothing, says nothing of calls to run', async () => {
    p = await evalsProject({ 'many.yaml': MANY_TEST });
    // The live read is held and the command interrupted: the read is in flight, no case call has started.
    const proxy = await listingHoldingProxy(p.emu.url);
    try {
      const signal = proxy.arm();
      const r = await runCliInProcess(['test', '--format', 'json'], { cwd: p.dir.path, env: { ...p.emu.env, GENESYSCLOUD_API_URL: proxy.url }, signal });
      const waited = Date.now() - proxy.interruptedAt();
      expect(proxy.interruptedAt()).toBeGreaterThan(0);
      expect(r.code, r.stderr).toBe(130);
      // Cut off like any call in flight: not held for the 10 s the listing takes.
      expect(waited).toBeLessThan(5_000);
      const report = JSON.parse(r.stdout);
      expect(report.interrupted).toEqual({ casesFinished: 0, casesNotRun: CASES, callsCutOff: 0 });
      expect(report.tests.map((t: { verdict: string }) => t.verdict)).toEqual(report.tests.map(() => 'not checked'));
      expect(r.stderr).not.toMatch(/^running \d+ calls?/m);
      expect(r.stderr).not.toMatch(/warning: cannot read/);
      expect(await p.invocations()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('while the files load (before any call): says no test ran, in every format (json and junit a document saying it), opens no target, exit 130', async () => {
    p = await evalsProject({ 'many.yaml': MANY_TEST });
    for (const format of ['text', 'json', 'junit'] as const) {
      const ac = new AbortController();
      const r = await runCliInProcess(['test', '--format', format], {
        cwd: p.dir.path,
        env: p.emu.env,
        signal: ac.signal,
        // The target line: said before the files are read.
        watchStderr: (soFar) => (/^target: /m.test(soFar) && !ac.signal.aborted ? ac.abort() : undefined),
      });
      expect(ac.signal.aborted, format).toBe(true);
      expect(r.code, `${format}: ${r.stderr}`).toBe(130);
      expect(r.stderr, format).toMatch(/^interrupted: no test will run; finishing reading the files \(interrupt again to stop at once\)\ninterrupted before any test ran: no call was made$/m);
      expect(r.stderr, format).not.toMatch(/^running \d+ calls?|^✓ /m);
      if (format === 'text') expect(r.stdout).toBe('');
      if (format === 'json') expect(JSON.parse(r.stdout)).toEqual({ error: 'interrupted before any test ran: no call was made', diagnostics: [] });
      if (format === 'junit') {
        expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
        expect(r.stdout).toContain('<error message="interrupted before any test ran: no call was made" type="error">');
      }
    }
    expect(await p.invocations()).toBe(0);
    expect(await cachedResults()).toBe(0);
    // Invalid files read meanwhile: their errors stand (the JUnit file holds them), the exit is the interrupt's.
    await p.write('prompts/tests/broken.yaml', 'apiVersion: promptctl/v1\nkind: PromptTest\nmetadata:\n  name: x\n');
    const ac = new AbortController();
    const r = await runCliInProcess(['test', '--format', 'junit'], {
      cwd: p.dir.path,
      env: p.emu.env,
      signal: ac.signal,
      watchStderr: (soFar) => (/^target: /m.test(soFar) && !ac.signal.aborted ? ac.abort() : undefined),
    });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^error: \d+ errors? in prompts: nothing was tested$/m);
    expect(r.stdout).toContain('classname="promptctl.validate" name="prompts/tests/broken.yaml:');
  });

  it('while the files load, with a name no test has (or versions no test compares): the interrupt wins, exit 130, the problem still said', async () => {
    p = await evalsProject({ 'many.yaml': MANY_TEST });
    const cases = [
      [['no-such-test'], 'text', /^error: no PromptTest named "no-such-test" in prompts; its tests: /m],
      [['no-such-test'], 'json', /^error: no PromptTest named "no-such-test" in prompts; its tests: /m],
      [['--compare', '9.9.8,9.9.9'], 'text', /^error: --compare 9\.9\.8,9\.9\.9: no PromptTest targets a template that declares both versions/m],
    ] as const;
    for (const [args, format, problem] of cases) {
      const ac = new AbortController();
      const r = await runCliInProcess(['test', ...args, '--format', format], {
        cwd: p.dir.path,
        env: p.emu.env,
        signal: ac.signal,
        watchStderr: (soFar) => (/^target: /m.test(soFar) && !ac.signal.aborted ? ac.abort() : undefined),
      });
      const what = `${args.join(' ')} ${format}`;
      expect(ac.signal.aborted, what).toBe(true);
      expect(r.code, `${what}: ${r.stderr}`).toBe(130);
      expect(r.stderr, what).toMatch(/^interrupted: no test will run; finishing reading the files \(interrupt again to stop at once\)$/m);
      expect(r.stderr, what).toMatch(problem);
      if (format === 'json') expect(JSON.parse(r.stdout).error, what).toMatch(/^no PromptTest named "no-such-test"/);
    }
    expect(await p.invocations()).toBe(0);
    // Not interrupted, the same name is refused with exit 1.
    const plain = await runCliInProcess(['test', 'no-such-test'], { cwd: p.dir.path, env: p.emu.env });
    expect(plain.code, plain.stderr).toBe(1);
    expect(plain.stderr).toMatch(/^error: no PromptTest named "no-such-test"/m);
  });

  it('markdown: says it was interrupted in its heading and per test', async () => {
    p = await evalsProject({ 'many.yaml': MANY_TEST }, { latencyMs: 60 });
    const m = await interruptedTest(['--format', 'markdown']);
    expect(m.code, m.stderr).toBe(130);
    const { casesFinished } = { casesFinished: (m.stderr.match(new RegExp(PROGRESS.source, 'gm')) ?? []).length };
    expect(m.stdout.split('\n')[0]).toBe(`### ⏹️ promptctl test: interrupted, ${casesFinished} of ${CASES} cases finished, ${CASES - casesFinished} did not run`);
    expect(m.stdout).toMatch(/\| ⏹️ \| `faq-many` \| faq-bot@1\.1\.0 \| 100 % \(\d+\/\d+\) \| 100 % \|/);
  });
});

describe('an interrupted promptctl run', () => {
  it('keeps what it printed, ends it with a newline, says so on stderr and exits 130', async () => {
    p = await evalsProject({}, { streamDelayMs: 40 });
    const ac = new AbortController();
    const r = await runCliInProcess(['run', 'faq-bot@1.1.0', '--var', 'question=How long does a refund take?'], {
      cwd: p.dir.path,
      env: p.emu.env,
      signal: ac.signal,
      watchStdout(soFar) {
        if (soFar.length > 0 && !ac.signal.aborted) ac.abort();
      },
    });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const text = r.stdout.slice(0, -1);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(REFUND_ANSWER.length);
    expect(REFUND_ANSWER.startsWith(text)).toBe(true);
    expect(r.stderr).toMatch(/^interrupted: the answer above is incomplete \(\d+ characters shown\)$/m);
    expect(r.stderr).not.toMatch(/^tokens /m);
  });

  it('once the done event has arrived (the answer whole, the run not ended): prints it all, says so, and still exits 130, in both formats', async () => {
    p = await evalsProject({});
    for (const format of ['text', 'json'] as const) {
      const ac = new AbortController();
      const r = await runCliInProcess(['run', 'faq-bot@1.1.0', '--format', format, '--var', 'question=How long does a refund take?'], {
        cwd: p.dir.path,
        env: p.emu.env,
        signal: ac.signal,
        // The summary's first line: the done event has arrived, the command has not returned.
        watchStderr: (soFar) => (/^version 1\.1\.0 · model /m.test(soFar) ? ac.abort() : undefined),
      });
      expect(ac.signal.aborted, format).toBe(true);
      expect(r.code, `${format}: ${r.stderr}`).toBe(130);
      expect(format === 'json' ? JSON.parse(r.stdout).output.text : r.stdout).toBe(format === 'json' ? REFUND_ANSWER : `${REFUND_ANSWER}\n`);
      expect(r.stderr, format).toMatch(/^tokens \d+ .*\nfilters: .*\ninterrupted: the whole answer had arrived, so the result above is complete$/m);
    }
  });

  it('while the target closes, after the result was printed: says the result above is complete, exit 130, in both formats', async () => {
    p = await evalsProject({});
    // The embedded emulator (no target in the environment): its close writes the state's snapshot.
    const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd: p.dir.path });
    expect(applied.code, applied.stderr).toBe(0);
    const { run } = await import('../../src/cli/main.js');
    for (const format of ['text', 'json'] as const) {
      const out = { text: '', write(c: string) { this.text += c; } };
      let listening: (() => void) | undefined;
      let fired = false;
      const err = {
        text: '',
        write(c: string) {
          this.text += c;
          // The summary's last line: the command then returns and closes the target, whose
          // snapshot takes several turns of the event loop; the interrupt comes on the next one.
          if (fired || !/^filters: /m.test(this.text)) return;
          fired = true;
          setImmediate(() => listening?.());
        },
      };
      const code = await run(['run', 'faq-bot@1.1.0', '--format', format, '--var', 'question=How long does a refund take?'], {
        stdout: out,
        stderr: err,
        stdin: Object.assign(Readable.from([]), { isTTY: false }),
        env: cleanEnv(),
        cwd: p.dir.path,
        color: false,
        onInterrupt(listener) {
          listening = listener;
          return () => (listening = undefined);
        },
      });
      expect(fired, format).toBe(true);
      expect(code, `${format}: ${err.text}`).toBe(130);
      expect(format === 'json' ? JSON.parse(out.text).output.text.length : out.text.trim().length, format).toBeGreaterThan(0);
      expect(err.text, format).toMatch(/^filters: .*\ninterrupted: the whole answer had arrived, so the result above is complete\n$/m);
      expect(err.text, format).not.toMatch(/^interrupted$/m);
    }
  });

  it('while the target closes, after the target answered an error: the error is said, then the interrupt, exit 130, in both formats', async () => {
    p = await evalsProject({});
    // The embedded emulator (no target in the environment): its close writes the state's snapshot.
    const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd: p.dir.path });
    expect(applied.code, applied.stderr).toBe(0);
    const { run } = await import('../../src/cli/main.js');
    for (const format of ['text', 'json'] as const) {
      const out = { text: '', write(c: string) { this.text += c; } };
      const err = { text: '', write(c: string) { this.text += c; } };
      let listening: (() => void) | undefined;
      let fired = false;
      // The snapshot's temp file appears once the call has failed and the target is closing: interrupted then.
      const snapshots = watch(join(p.dir.path, '.promptctl'), (_event, name) => {
        if (fired || !/^\.local-state\.json\.\d+\.\d+\.tmp$/.test(String(name)) || !listening) return;
        fired = true;
        listening();
      });
      let code: number;
      try {
        // The emulator refuses a routing key past 256 characters with a 400 (no retry, not a refusal run words itself).
        code = await run(['run', 'faq-bot@1.1.0', '--format', format, '--var', 'question=How long does a refund take?', '--routing-key', 'k'.repeat(300)], {
          stdout: out,
          stderr: err,
          stdin: Object.assign(Readable.from([]), { isTTY: false }),
          env: cleanEnv(),
          cwd: p.dir.path,
          color: false,
          onInterrupt(listener) {
            listening = listener;
            return () => (listening = undefined);
          },
        });
      } finally {
        snapshots.close();
      }
      expect(fired, format).toBe(true);
      expect(code, `${format}: ${err.text}`).toBe(130);
      expect(err.text, format).toMatch(/^error: POST \/api\/v2\/llmgateway\/invocations failed: 400 invalid\.value: routingKey must NOT have more than 256 characters .*\ninterrupted: the run had already failed \(the error above\); nothing more was done\n$/m);
      if (format === 'json') expect(JSON.parse(out.text).error, format).toMatch(/^POST \/api\/v2\/llmgateway\/invocations failed: 400 invalid\.value: routingKey/);
      else expect(out.text, format).toBe('');
    }
  });

  /**
   * `promptctl ARGS` interrupted as soon as the command listens (here: while it looks up the
   * template), `times` times in a row; `exited`: the codes it asked the process to exit with.
   * `after`: interrupted instead once stderr matches it.
   */
  async function interruptedAtOnce(args: string[], times = 1, after?: RegExp): Promise<CliResult & { exited: number[] }> {
    const exited: number[] = [];
    const { run } = await import('../../src/cli/main.js');
    const out = { text: '', write(c: string) { this.text += c; } };
    let pending: (() => void) | undefined;
    const err = {
      text: '',
      write(c: string) {
        this.text += c;
        if (!pending || !after?.test(this.text)) return;
        const fire = pending;
        pending = undefined;
        fire();
      },
    };
    const code = await run(args, {
      stdout: out,
      stderr: err,
      stdin: Object.assign(Readable.from([]), { isTTY: false }),
      env: cleanEnv(p!.emu.env),
      cwd: p!.dir.path,
      color: false,
      onInterrupt(listener) {
        const fire = (): void => {
          for (let i = 0; i < times; i++) listener();
        };
        if (after) pending = fire;
        else queueMicrotask(fire);
        return () => (pending = undefined);
      },
      exitNow: (c) => exited.push(c),
    });
    return { code, stdout: out.text, stderr: err.text, exited };
  }

  it('at once (during the template lookup): nothing is written, in either format, and no call is made', async () => {
    p = await evalsProject({});
    const j = await interruptedAtOnce(['run', 'faq-bot@1.1.0', '--format', 'json', '--var', 'question=How long does a refund take?']);
    expect(j.code, j.stderr).toBe(130);
    expect(j.stdout).toBe('');
    expect(j.stderr).toMatch(/^interrupted while looking up template "faq-bot": no call was made; nothing was written$/m);
    const t = await interruptedAtOnce(['run', 'faq-bot@1.1.0', '--var', 'question=How long does a refund take?']);
    expect(t.code, t.stderr).toBe(130);
    expect(t.stdout).toBe('');
    expect(t.stderr).toMatch(/^interrupted while looking up template "faq-bot": no call was made$/m);
    expect(t.exited).toEqual([]);
    // Nothing was answered: the emulator counted no invocation.
    expect(await p.invocations()).toBe(0);
  });

  it('during the template lookup (before the call): ends at once, in both formats', async () => {
    p = await evalsProject({});
    // The template lookup is held and the command interrupted when it arrives.
    const proxy = await listingHoldingProxy(p.emu.url);
    try {
      const env = { ...p.emu.env, GENESYSCLOUD_API_URL: proxy.url };
      for (const [format, said] of [['text', /^interrupted while looking up template "faq-bot": no call was made$/m], ['json', /^interrupted while looking up template "faq-bot": no call was made; nothing was written$/m]] as const) {
        const signal = proxy.arm();
        const r = await runCliInProcess(['run', 'faq-bot@1.1.0', '--format', format, '--var', 'question=How long does a refund take?'], { cwd: p.dir.path, env, signal });
        expect(proxy.interruptedAt(), format).toBeGreaterThan(0);
        expect(Date.now() - proxy.interruptedAt(), format).toBeLessThan(5_000);
        expect(r.code, r.stderr).toBe(130);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(said);
      }
      expect(await p.invocations()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('during the call, before any answer: cut off, in both formats', async () => {
    p = await evalsProject({});
    // A proxy that holds the invocation (no answer) and interrupts the command when it arrives.
    const upstream = new URL(p.emu.url);
    let ac = new AbortController();
    const proxy = http.createServer((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').includes('/invocations')) {
        req.resume();
        ac.abort();
        return;
      }
      forwardTo(upstream, req, res);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as { port: number };
      const env = { ...p.emu.env, GENESYSCLOUD_API_URL: `http://127.0.0.1:${port}` };
      for (const [format, said] of [['text', /^interrupted: the call was cut off before any of the answer arrived$/m], ['json', /^interrupted: the call was cut off; nothing was written$/m]] as const) {
        ac = new AbortController();
        const r = await runCliInProcess(['run', 'faq-bot@1.1.0', '--format', format, '--var', 'question=How long does a refund take?'], { cwd: p.dir.path, env, signal: ac.signal });
        expect(r.code, r.stderr).toBe(130);
        expect(r.stdout.trim()).toBe('');
        expect(r.stderr).toMatch(said);
      }
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('a second interrupt exits at once, with 130 (run and test alike)', async () => {
    p = await evalsProject({ 'many.yaml': MANY_TEST });
    const r = await interruptedAtOnce(['run', 'faq-bot@1.1.0', '--var', 'question=How long does a refund take?'], 2);
    expect(r.exited).toEqual([130]);
    expect(r.stderr).toMatch(/^interrupted again: exiting now$/m);
    // test listens from before its files load: interrupted there, twice.
    const t = await interruptedAtOnce(['test'], 2);
    expect(t.exited).toEqual([130]);
    expect(t.stderr).toMatch(/^interrupted: no test will run; finishing reading the files \(interrupt again to stop at once\)\ninterrupted again: exiting now \(no test had run\)$/m);
    // In-process nothing ends the process: the run then ends as after one interrupt, nothing run.
    expect(t.code).toBe(130);
    expect(t.stderr).toMatch(/^interrupted before any test ran: no call was made$/m);
    expect(t.stdout).toBe('');
    // Twice once the calls have started: says what was kept.
    const c = await interruptedAtOnce(['test'], 2, PROGRESS);
    expect(c.exited).toEqual([130]);
    expect(c.stderr).toMatch(/^interrupted: no new call is started and the calls in flight are cut off \(interrupt again to stop at once\)\ninterrupted again: exiting now \(the results of the calls that completed are cached\)$/m);
  });
});
