// promptctl test: runs the PromptTests (DESIGN §7) against the target and reports per case and
// version, with a pass rate per test against its threshold. Exit 0 when every threshold is met,
// 1 otherwise, 130 when interrupted (the cases that finished are reported). A case whose version (or guide) git defines and the target does not hold yet is
// not run, and left out of the pass rate (a pull request's new version before its merge applies
// it); --require-live makes it an error. Progress goes to stderr (a bar on a TTY, a line per
// finished case otherwise). With --format junit, a run that ends in an error before its report
// (the target unreachable, invalid files) writes a JUnit file holding that error (and each of
// the invalid files' errors).
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { DesiredState, PromptTest } from '../model/types.js';
import { unlessAborted } from '../util/abort.js';
import { EXIT, InterruptedAfterError, UserError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { checkVersionLabel } from '../util/semver.js';
import { shellWord, visibleName } from '../util/escapes.js';
import { bar } from '../views/apply.js';
import type { TestFormat } from '../views/test-report.js';
import { addDirOption, announceTarget, jsonFailureDocument, loadOrRefuse, refusedDiagnostics, withTarget } from './common.js';
import { FilesRefused } from './refused.js';
import { redrawsInPlace, type CliContext } from './context.js';
import { appendStepSummary } from './step-summary.js';
import { maskStrings } from '../util/secrets.js';
import { locate, where as locationText } from '../rules/util.js';
import { Interrupt } from './interrupt.js';
import { describeTarget } from './target.js';
import { readLiveFacts } from './test-live-facts.js';
import type { LiveFacts } from '../evals/live-facts.js';
import type { PlannedCall } from '../evals/render.js';
import { requestsOf } from '../evals/calls.js';

export const TEST_FORMATS = ['text', 'markdown', 'json', 'junit'] as const;

interface TestFlags {
  dir: string;
  format: TestFormat;
  repeat?: string;
  threshold?: string;
  compare?: string;
  cache: boolean;
  requireLive?: boolean;
}

export function registerTest(program: Command, ctx: CliContext): void {
  addDirOption(
    program
      .command('test')
      .description('run the PromptTests: call each case on its target, check its assertions, and hold each pass rate to its threshold (exit 1 when one is missed)')
      .argument('[names...]', 'PromptTest names (metadata.name) to run; default: all'),
  )
    .addOption(new Option('--format <format>', 'output format').choices([...TEST_FORMATS]).default('text'))
    .option('--repeat <n>', 'run every case N times (overrides each test\'s repeat)')
    .option('--threshold <p>', 'pass rate every test must reach, 0..1 or a percentage such as 90% (overrides each test\'s threshold)')
    .option('--compare <a,b>', 'run every case of the template tests on both versions, side by side')
    .option('--no-cache', 'call the target for every case, even when an unchanged result is cached')
    .option(
      '--require-live',
      'fail (exit 1) when a case cannot run because the version or guide it tests, which git defines, is not on the target yet; by default such a case is not run and left out of the pass rate (it runs once applied)',
    )
    // Heard as the flag is parsed, before --env is chosen: a run that fails from there on (an
    // unknown environment, invalid files, the target unreachable) still writes a JUnit file,
    // holding the error, for the CI step that reads it; invalid files, each of their errors too
    // (masked before it is laid out, as the report is).
    .on('option:format', (format: string) => {
      ctx.failureDocument =
        format === 'junit'
          ? async (message, error) => ({ kind: 'xml', text: (await import('../views/test-junit.js')).renderJunitError(message, await refusedDiagnostics(ctx, error)) })
          : format === 'json'
            ? jsonFailureDocument(ctx)
            : undefined;
    })
    .action(async (names: string[], flags: TestFlags) => {
      ctx.exitCode = await runTest(ctx, names, flags);
    });
}

export function parseRepeat(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 1000) {
    throw new UserError(`--repeat must be a whole number from 1 to 1000, not "${value}"`);
  }
  return n;
}

export function parseThreshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(v);
  const n = pct ? Number(pct[1]) / 100 : /^\d*\.?\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!(n >= 0 && n <= 1)) throw new UserError(`--threshold must be a pass rate from 0 to 1 (or 0% to 100%), not "${value}"`);
  return n;
}

export function parseCompare(value: string | undefined): [string, string] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UserError(`--compare takes two versions separated by a comma (e.g. 1.0.0,1.1.0), not "${visibleName(value)}"`);
  if (parts[0] === parts[1]) throw new UserError(`--compare needs two different versions, not ${parts[0]} twice`);
  return [parts[0], parts[1]];
}

/**
 * validate's own check of the --compare labels: one no PromptVersion may declare (1.0, 01.0.0).
 * Made once the tests are known (compareRefused), not while parsing: when every test run is a
 * guide's, no label would do, and "did you mean 1.0.0" sent the user to a fix that fails next.
 */
function compareLabelProblem(pair: readonly [string, string]): string | undefined {
  for (const label of pair) {
    const problem = checkVersionLabel(label, undefined);
    if (problem) return `--compare: ${visibleName(problem.message)}`;
  }
  return undefined;
}

/**
 * Why --compare cannot run on these tests before any is planned: every one targets a guide (Genesys
 * numbers a guide's versions: nothing to compare), said first, or a label no version may carry.
 */
export function compareRefused(compare: readonly [string, string], tests: readonly PromptTest[], named: boolean): string | undefined {
  if (tests.length > 0 && tests.every((t) => 'guide' in t.target)) {
    const which = tests.length === 1 ? `PromptTest/${visibleName(tests[0]!.name)} targets a guide` : `every ${named ? 'named ' : ''}PromptTest targets a guide`;
    return `--compare ${visibleName(compare.join(','))}: ${which}, and a guide has no versions to compare (Genesys numbers them); --compare compares two versions of a template`;
  }
  return compareLabelProblem(compare);
}

export async function runTest(ctx: CliContext, names: readonly string[], flags: TestFlags): Promise<number> {
  // Flags first: bad input is refused before anything is loaded or called (--compare's labels once
  // the tests are known, before any call: compareRefused).
  const repeat = parseRepeat(flags.repeat);
  const threshold = parseThreshold(flags.threshold);
  const compare = parseCompare(flags.compare);
  // Heard from before the files load to the end of the report: the first interrupt starts no new
  // call and cuts off the calls in flight (the cases that finished are reported, exit 130); one
  // that comes before the calls ends the run once the files are read, no test run. A second one
  // exits at once.
  const phase = { calling: false };
  const interrupt = new Interrupt(ctx, {
    first: () => {
      if (!phase.calling) return 'interrupted: no test will run; finishing reading the files (interrupt again to stop at once)';
      // The bar is not drawn again under it: the cases still in flight are being cut off.
      ctx.inPlace(undefined);
      return 'interrupted: no new call is started and the calls in flight are cut off (interrupt again to stop at once)';
    },
    again: () => (phase.calling ? 'interrupted again: exiting now (the results of the calls that completed are cached)' : 'interrupted again: exiting now (no test had run)'),
  });
  return interrupt.during((signal) => testRun(ctx, names, flags, { repeat, threshold, compare }, signal, phase));
}

/** What `test` does once its flags are read, hearing interrupts on `signal`; `phase` says what an interrupt stops. */
async function testRun(
  ctx: CliContext,
  names: readonly string[],
  flags: TestFlags,
  { repeat, threshold, compare }: { repeat: number | undefined; threshold: number | undefined; compare: [string, string] | undefined },
  signal: AbortSignal,
  phase: { calling: boolean },
): Promise<number> {
  const label = await announceTarget(ctx, flags.dir, { use: 'tests' });
  const { state, union } = await loadOrRefuse(ctx, flags.dir, 'tested').catch((err: unknown) => {
    // Interrupted while invalid files were read: their errors stand (and the JUnit file's), and the exit is the interrupt's.
    throw signal.aborted && err instanceof FilesRefused ? new FilesRefused(err.message, err.diagnostics, EXIT.interrupted) : err;
  });
  const [{ selectTests, planTests }, { emulatorResponses, responsesUnusedLine }, { runTests }, { fileResultCache, readAhead, removeKilledWrites, TEST_CACHE_DIR }, { testProgressLine, notComparedLine }, phrases, { renderTestReport }] = await Promise.all([
    import('../evals/render.js'),
    import('../evals/responses.js'),
    import('../evals/runner.js'),
    import('../evals/cache.js'),
    import('../views/test-results.js'),
    import('../views/test-cells.js'),
    import('../views/test-report.js'),
  ]);

  // Interrupted while the files were read: a name or --compare problem is still said, and the exit is the interrupt's.
  const refused = (message: string): UserError => new UserError(message, signal.aborted ? EXIT.interrupted : EXIT.error);
  const { tests, unknown } = selectTests(state, names);
  // Defined, but its metadata.environments leave this environment out: say that, not a near name.
  const elsewhere = ctx.environment ? union.tests.find((t) => unknown.includes(t.name)) : undefined;
  if (elsewhere) {
    const at = visibleName(locationText(locate(elsewhere, 'metadata.environments')));
    throw refused(
      `PromptTest "${elsewhere.name}" is limited to ${elsewhere.environments?.join(', ') ?? 'other environments'} by its metadata.environments at ${at}, so environment ${ctx.environment!.name} does not run it`,
    );
  }
  if (unknown.length > 0) {
    const known = state.tests.map((t) => t.name);
    throw refused(
      `no PromptTest named ${unknown.map((n) => `"${n}"${didYouMean(n, known)}`).join(', ')} in ${visibleName(flags.dir)}${known.length ? `; its tests: ${known.join(', ')}` : ' (it has no PromptTest)'}`,
    );
  }
  const notComparable = compare ? compareRefused(compare, tests, names.length > 0) : undefined;
  if (notComparable) throw refused(notComparable);
  // A test's `responses:` answer on the embedded emulator only: a real org's model answers for itself.
  const embedded = describeTarget(ctx.env, ctx.environment).target.kind === 'embedded';
  const responses = embedded ? emulatorResponses(state.tests) : [];
  const { applyFirst, planAgain, targetFlags } = await import('./next-commands.js');
  const planOptions = {
    targetLabel: label,
    // A note on an edited published version names the plan of this run's --env and --dir.
    planCommand: planAgain(ctx, flags.dir, false),
    ...(responses.length ? { responses } : {}),
    // Elsewhere they answer nothing: said once here, and in each such test's notes.
    ...(embedded ? {} : { responsesUnused: true as const }),
    // The embedded emulator prices its answers with this build's registry: a cached cost must not outlive those prices.
    ...(embedded ? { localPrices: true as const } : {}),
    ...(repeat !== undefined ? { repeat } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(compare ? { compare } : {}),
  };
  const planned = planTests(state, tests, planOptions);
  // Test, case and var names are the YAML's: made visible, as in the report.
  for (const p of planned) if (p.skip) ctx.info(notComparedLine(p.test.name, p.skip));
  const running = planned.filter((p) => !p.skip);
  const unused = embedded ? 0 : running.filter((p) => p.test.responses.length > 0).length;
  if (unused > 0) ctx.info(`note: ${responsesUnusedLine(unused)}`);
  if (compare && running.length === 0) {
    if (planned.some((p) => p.skipCase)) throw refused(`--compare ${compare.join(',')}: no ${names.length ? 'named ' : ''}PromptTest can be compared (each is left out: see the notes above)`);
    throw refused(`--compare ${compare.join(',')}: no ${names.length ? 'named ' : ''}PromptTest targets a template that declares both versions${templatesWith(state, compare)}`);
  }
  // Said once: in text, by the report on stdout (where its tally goes); the other formats' stdout
  // is a document, so the words go to stderr.
  if (state.tests.length === 0 && flags.format !== 'text') ctx.info(`no PromptTest in ${visibleName(flags.dir)}: nothing to run`);

  const calls = running.reduce((n, p) => n + p.calls.length, 0);
  const cacheDir = join(ctx.cwd, TEST_CACHE_DIR);
  const tty = redrawsInPlace(ctx.io.stderr, ctx.env);
  // Each tagged with its test: a call names its test (below), and the test's own answer it first.
  // And for its own kind of target: a guide's answers never answer a template of the same name.
  const fixtures = responses.map(({ target, targetKind, test, response: r }) => ({
    match: { template: target, ...r.match },
    output: r.output,
    ...(r.finishReason ? { finishReason: r.finishReason } : {}),
    test,
    targetKind,
  }));
  // Interrupted while the files were read: nothing was sent, and the target is not opened.
  if (signal.aborted) return interruptedBeforeTests(ctx);
  phase.calling = true;
  const report = await withTarget(ctx, async (target) => {
    // The target answers from what it holds, not from git: results are keyed by that too, and a
    // case on what it does not hold yet is not run.
    // An interrupt during the read cuts it off like a call in flight: nothing then runs (the
    // read ends when the target is closed, without a word); one while the target opened starts none.
    const reading = calls > 0 && !signal.aborted ? unlessAborted(readLiveFacts(ctx, target, running, signal, state), signal) : Promise.resolve<LiveFacts>({});
    const live = await reading.catch((err: unknown): LiveFacts => {
      if (signal.aborted) return {};
      throw err;
    });
    const keyed = planTests(state, running.map((p) => p.test), { ...planOptions, live });
    const sendable = keyed.flatMap((p) => p.calls.filter((c) => c.notLive === undefined && c.notRun === undefined));
    // Read before the line that counts them, so it can say what the cache answers.
    // A run killed mid-write left temp files beside the entries: removed meanwhile, once a run.
    const [{ cache, answered }] = await Promise.all([
      readAhead(fileResultCache(cacheDir, { read: flags.cache }), [...new Set(sendable.filter((c) => !c.uncached).map((c) => c.key))]),
      removeKilledWrites(cacheDir),
    ]);
    // A guide listing refused (403) refuses each guide case's lookup too: their turns are never
    // sent, and a count of them would be contradicted by the tally's "0 calls made".
    const sent = live.guidesRefused ? sendable.filter((c) => c.call.kind !== 'guide') : sendable;
    const hits = answeredWithoutCall(sent, answered, flags.cache);
    // Counted as the report's tally counts: requests (a guide case's every turn), not cases.
    const requests = sent.reduce((n, c) => n + requestsOf(c), 0);
    const unsent = sent.length < sendable.length ? '; none for the guide tests, whose cases cannot run with this client' : '';
    if (sent.length > 0 && !signal.aborted) ctx.info(callsAnnounced(requests, hits, running.length, flags.cache) + unsent);
    return runTests(
      keyed,
      {
        gateway: target.api,
        guides: target.aistudio,
        cache,
        sharesIdenticalCalls: flags.cache,
        countTokens: (text, encoding) => ctx.tokenMemo.count(text, encoding),
        mask: (text) => ctx.mask(text),
        signal,
        // The embedded emulator only: a guide's turns (real Genesys) name their test there alone; a
        // gateway call always names it (evals/calls.ts callOptions).
        ...(embedded ? { namesTests: true } : {}),
        // A call's error on what the target lacks names the apply of this run's --env and --dir.
        applyFirst: applyFirst(ctx, flags.dir),
        onCaseDone(e) {
          // Drawn in place, so that a notice meanwhile (a retry, a rate-limit wait) goes above it.
          if (tty) ctx.inPlace(e.done < e.of ? `${bar(e.done, e.of, 30)} cases` : undefined);
          else ctx.info(testProgressLine(e, ctx.style));
        },
      },
      { target: label, ...(compare ? { compare } : {}), ...(flags.requireLive ? { requireLive: true } : {}) },
    ).finally(() => ctx.inPlace(undefined));
  }, { readOnlyWhileAbsent: true, ...(fixtures.length ? { responses: fixtures } : {}), ...(embedded ? { models: state.config.models } : {}) }).catch((err: unknown) => {
    // An error met in the run (the target refusing a call: a 401, a 403, unreachable) and an
    // interrupt (one while the target then closed): the error is still said, then the interrupt,
    // whose exit code wins (DESIGN §5), as for run.
    throw signal.aborted ? new InterruptedAfterError(err, 'interrupted: the test run had already failed (the error above); nothing more was done') : err;
  });

  // Masked before it is laid out (output is masked again): a secret masked after would leave the text table's columns askew.
  // The whole report of this run (its target, tests and flags), where markdown cut to fit points: bare, it reads another target or directory.
  const shaping = [
    ...names.map((n) => shellWord(n)),
    ...(flags.repeat !== undefined ? [`--repeat ${shellWord(flags.repeat)}`] : []),
    ...(flags.threshold !== undefined ? [`--threshold ${shellWord(flags.threshold)}`] : []),
    ...(flags.compare !== undefined ? [`--compare ${shellWord(flags.compare)}`] : []),
    ...(flags.requireLive ? ['--require-live'] : []),
  ];
  const full = `promptctl test${targetFlags(ctx, flags.dir)}${shaping.map((w) => ` ${w}`).join('')} --format json`;
  const text = renderTestReport(maskStrings(report, (t) => ctx.mask(t)), flags.format, ctx.style, flags.dir, full);
  // The report is the document now: an error after it adds none.
  ctx.failureDocument = undefined;
  ctx.outAs(flags.format, text);
  if (flags.format === 'markdown') await appendStepSummary(ctx, text);
  if (report.interrupted) {
    // Text says it at the end of its report; the other formats are documents: said here too.
    if (flags.format !== 'text') ctx.info(`interrupted: ${phrases.interruptedPhrase(report.interrupted)}`);
    return EXIT.interrupted;
  }
  // With no PromptTest, the line before the run said so (naming the directory): not said twice on stderr.
  if (flags.format !== 'text' && state.tests.length > 0) {
    // Counted as the report counts: a test none of whose cases ran yet did not meet its threshold.
    const t = phrases.tally(report);
    ctx.info(`${t.charAt(0).toUpperCase()}${t.slice(1)}; ${report.invocations} call${report.invocations === 1 ? '' : 's'} made, ${report.cached} from the cache`);
    // Said alone on its line: the PR workflow reads it (the comment shows these cases as waiting).
    const waiting = phrases.notLiveLine(report);
    if (waiting) ctx.info(waiting);
  }
  if (signal.aborted) {
    // Every case finished before the interrupt could stop one: the report is whole, and still the
    // run exits 130 (DESIGN §4), as apply does: a cancelled CI job must not look like a finished one.
    ctx.info('interrupted: every case had finished, so the report is complete');
    return EXIT.interrupted;
  }
  return report.ok ? EXIT.ok : EXIT.error;
}

/**
 * An interrupt before any call (while the files were read): said on stderr, and, for a format a
 * machine reads (json, junit), as the document a run that ends before its report writes. Exit 130.
 */
async function interruptedBeforeTests(ctx: CliContext): Promise<number> {
  const said = 'interrupted before any test ran: no call was made';
  ctx.info(said);
  if (ctx.failureDocument) ctx.outDocument(await ctx.failureDocument(said, undefined));
  ctx.failureDocument = undefined;
  return EXIT.interrupted;
}

/**
 * The calls the run expects to answer without making them: those the cache holds and, unless
 * --no-cache, each repeat of a call already counted (it waits for the first one's answer).
 * Counted in requests, as the report's tally is: a guide case's every turn.
 */
export function answeredWithoutCall(calls: readonly PlannedCall[], cached: ReadonlySet<string>, shares: boolean): number {
  const seen = new Set<string>();
  let n = 0;
  for (const c of calls) {
    if (c.uncached) continue;
    if (cached.has(c.key) || (shares && seen.has(c.key))) n += requestsOf(c);
    seen.add(c.key);
  }
  return n;
}

/**
 * The line before the calls: "running 6 calls of 3 tests", with what the cache answers of them
 * ("running 2 calls of 3 tests; 4 more answered from the cache"), or "6 calls of 3 tests, all
 * answered from the cache" (none is made).
 */
export function callsAnnounced(calls: number, cached: number, tests: number, cache: boolean): string {
  const ofTests = `of ${tests} test${tests === 1 ? '' : 's'}`;
  if (!cache) return `running ${calls} call${calls === 1 ? '' : 's'} ${ofTests} (--no-cache: every call is made)`;
  if (cached === 0) return `running ${calls} call${calls === 1 ? '' : 's'} ${ofTests}`;
  if (cached >= calls) return `${calls} call${calls === 1 ? '' : 's'} ${ofTests}, ${calls === 1 ? '' : 'all '}answered from the cache`;
  const made = calls - cached;
  return `running ${made} call${made === 1 ? '' : 's'} ${ofTests}; ${cached} more answered from the cache`;
}

function templatesWith(state: DesiredState, [a, b]: [string, string]): string {
  const both = state.templates.filter((t) => [a, b].every((v) => state.versions.some((x) => x.template === t.name && x.version === v))).map((t) => t.name);
  return both.length ? ` (templates that do: ${both.join(', ')}; add a PromptTest for one)` : ` (no template here declares both ${a} and ${b})`;
}
