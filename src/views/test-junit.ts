// `promptctl test` results as JUnit XML, the file CI systems render: a testsuite per PromptTest,
// a testcase per case and version plus one for the pass rate, named the same on every run (a CI
// reporter keys a testcase's history on classname + name); and the document that stands for a run
// that failed before its report (one <error>). Pure: data in, a string out.
import type { TestOutcome, TestReport, TestRun } from '../evals/types.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { visibleName, xmlAttr as attr, xmlEscape } from '../util/escapes.js';
import { atVersion, casesFinished, describeAssertion, NO_VERSION, notLiveNote, verdictWord, versionOf } from './test-cells.js';
import { rateLine } from './test-rate.js';
import { formatText } from './diagnostics.js';

// XML text and attribute values are escaped where masking knows their forms (util/escapes.ts).
export { xmlEscape } from '../util/escapes.js';

const seconds = (msValue: number): string => (msValue / 1000).toFixed(3);

/**
 * One <testsuite> per PromptTest, one <testcase> per call (case, version, repetition), plus one
 * <testcase> for the pass rate against the threshold (the verdict that decides the exit code).
 * A failed assertion is a <failure>; a call that got no answer at all (not run, or an error
 * other than a block) is an <error>; a call's failure or error within a threshold its test met is
 * a passing testcase holding a <flakyFailure> or <flakyError> (withinThreshold); a case whose target is not on the target yet is <skipped>
 * (an <error> under --require-live), and so is a call with nothing checked (--compare, routedTo alone).
 *
 * Each call's testcase carries its file and its case's line (where known), which CI reporters place annotations by.
 *
 * Names are stable: a call's is its case, the version only when the user chose it (pinned in
 * the test, or one side of --compare), and `#N` for its repetition; the version a split routed
 * it to (or a guide's version) is the testcase's `version` property, and in its failure's text.
 * The verdict is `pass rate vs threshold`; the measured rate is its output, or its failure's message;
 * it is <skipped> when no verdict was reached (no case ran yet, or nothing that ran was checked).
 */
export function renderJunit(report: TestReport): string {
  let tests = 0;
  let fails = 0;
  let errors = 0;
  let skipped = 0;
  let time = 0;
  const suites: string[] = [];
  for (const t of report.tests) {
    const cases: string[] = [];
    let sFails = 0;
    let sErrors = 0;
    let sSkipped = 0;
    let sTime = 0;
    for (const r of t.runs) {
      const reps = t.repeat > 1 ? ` #${r.repetition}` : '';
      const name = `${r.case}${r.requested !== undefined ? atVersion(r.requested) : ''}${reps}`;
      const took = r.cached || r.notRun ? 0 : r.observation.wallMs;
      sTime += took;
      // Where the call went, when the user did not choose it: the split's route, a guide's version.
      const routed = r.requested === undefined && versionOf(r) !== NO_VERSION ? versionOf(r) : undefined;
      const props = routed !== undefined ? `\n      <properties>\n        <property name="version" value="${attr(routed)}"/>\n      </properties>` : '';
      const answeredBy = routed !== undefined ? `version ${routed} answered\n` : '';
      const open = `    <testcase classname="${attr(t.address)}" name="${attr(name)}" time="${seconds(took)}" file="${attr(t.source.replace(/:\d+$/, ''))}"${r.line !== undefined ? ` line="${r.line}"` : ''}>${props}`;
      if (r.passed) {
        cases.push(props ? `${open}\n    </testcase>` : `${open.slice(0, -1)}/>`);
        continue;
      }
      if (r.notChecked !== undefined) {
        // Made, and nothing of it checked: neither a pass nor a failure.
        sSkipped++;
        cases.push(`${open}\n      <skipped message="${attr(`not checked: ${r.notChecked}`)}"/>\n    </testcase>`);
        continue;
      }
      if (r.notLive !== undefined && !report.requireLive) {
        sSkipped++;
        cases.push(`${open}\n      <skipped message="${attr(`not run: ${r.notLive}`)}"/>\n    </testcase>`);
        continue;
      }
      if (r.notLive !== undefined) {
        sErrors++;
        const message = `not run: ${r.notLive}`;
        cases.push(`${open}\n      <error message="${attr(message)}" type="not.live">${xmlEscape(`${message}; --require-live makes it an error`)}</error>\n    </testcase>`);
        continue;
      }
      // A call's failure within a threshold its rate met is a flaky pass (withinThreshold); a case not run as written is not a call's chance.
      const flaky = r.notRun === undefined && withinThreshold(t, r);
      if (r.notRun !== undefined || r.observation.outcome === 'error') {
        const e = r.observation.error;
        const message = r.notRun !== undefined ? `not run: ${r.notRun}` : `${e?.code ?? 'error'}: ${e?.message ?? 'the call failed'}`;
        const type = r.notRun !== undefined ? 'not.run' : (e?.code ?? 'error');
        if (flaky) cases.push(`${open}\n${flakyElement('flakyError', message, type, answeredBy + message)}\n    </testcase>`);
        else {
          sErrors++;
          cases.push(`${open}\n      <error message="${attr(message)}" type="${attr(type)}">${xmlEscape(answeredBy + message)}</error>\n    </testcase>`);
        }
        continue;
      }
      const failed = r.assertions.filter((a) => !a.passed);
      const message = failed.map((a) => describeAssertion(a)).join('; ');
      const body = answeredBy + failed.map((a) => `${describeAssertion(a)}: ${a.detail}`).join('\n');
      const output = r.observation.output ? `\n      <system-out>${xmlEscape(r.observation.output)}</system-out>` : '';
      if (flaky) {
        cases.push(`${open}\n${flakyElement('flakyFailure', message, 'assertion', body)}${output}\n    </testcase>`);
        continue;
      }
      sFails++;
      cases.push(`${open}\n      <failure message="${attr(message)}" type="assertion">${xmlEscape(body)}</failure>${output}\n    </testcase>`);
    }
    // The measured rate is not in the name: it changes from run to run.
    const rateOpen = `    <testcase classname="${attr(t.address)}" name="pass rate vs threshold" time="0.000">`;
    if (t.casesNotRun) {
      // Interrupted: the verdict could not be reached, an error (not a pass, not a failed threshold).
      sErrors++;
      const message = `interrupted: ${t.casesNotRun} of ${casesFinished(t) + t.casesNotRun} cases did not run; the threshold was not checked`;
      cases.push(`${rateOpen}\n      <error message="${attr(message)}" type="interrupted">${xmlEscape(message)}</error>\n    </testcase>`);
    } else if (t.met && verdictWord(t, report.requireLive === true) !== 'met') {
      // No case ran yet (its target not applied) or nothing that ran was checked: no verdict was
      // reached, so skipped, as the text and markdown say "not run", never a green pass.
      sSkipped++;
      const message = `${verdictWord(t, report.requireLive === true)}: ${rateLine(t)}`;
      cases.push(`${rateOpen}\n      <skipped message="${attr(message)}"/>\n    </testcase>`);
    } else if (t.met) cases.push(`${rateOpen}\n      <system-out>${xmlEscape(rateLine(t))}</system-out>\n    </testcase>`);
    else {
      sFails++;
      // What the rate left out, as the text says it: under --require-live, the cases not on the target.
      const message = `below the threshold: ${rateLine(t)}${notLiveNote(t, report.requireLive === true)}`;
      cases.push(`${rateOpen}\n      <failure message="${attr(message)}" type="threshold">${xmlEscape(message)}</failure>\n    </testcase>`);
    }
    const n = t.runs.length + 1;
    tests += n;
    fails += sFails;
    errors += sErrors;
    skipped += sSkipped;
    time += sTime;
    const props = [
      ['target', t.target],
      ['threshold', String(t.threshold)],
      // No rate when no case ran (each was not on the target yet): 0 would read as all failed.
      ...(t.rate.total > 0 ? [['passRate', String(t.rate.rate)] as [string, string]] : []),
      // Under --compare, each version's too (passRate@1.1.0).
      ...t.byVersion.filter((b) => b.total > 0).map((b) => [`passRate@${b.version!}`, String(b.rate)] as [string, string]),
      ['repeat', String(t.repeat)],
      ...t.notes.map((note) => ['note', note] as [string, string]),
    ]
      .map(([k, v]) => `      <property name="${attr(k!)}" value="${attr(v!)}"/>`)
      .join('\n');
    suites.push(
      `  <testsuite name="${attr(t.address)}" tests="${n}" failures="${sFails}" errors="${sErrors}" skipped="${sSkipped}" time="${seconds(sTime)}">\n    <properties>\n${props}\n    </properties>\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="promptctl test" tests="${tests}" failures="${fails}" errors="${errors}" skipped="${skipped}" time="${seconds(time)}">`,
    ...suites,
    '</testsuites>',
  ].join('\n');
}

/**
 * Whether a run's failure is within the threshold: the pass rate it counts in (its version's under
 * --compare) met it, and every case finished. CI reporters fail a build on any <failure> or <error>,
 * where the threshold is there to tolerate a share of bad answers and promptctl exits 0.
 */
function withinThreshold(t: TestOutcome, r: TestRun): boolean {
  if (t.casesNotRun) return false;
  const rate = t.byVersion.length > 0 ? t.byVersion.find((b) => b.version === r.requested) : t.rate;
  return rate !== undefined && rate.total > 0 && rate.met;
}

/**
 * A failure tolerated by the threshold, as Maven Surefire writes a test that failed and passed on a
 * rerun: the testcase passes, and what failed is kept in it (Jenkins shows it as flaky; other
 * readers pass over an element they do not know).
 */
function flakyElement(tag: 'flakyFailure' | 'flakyError', message: string, type: string, body: string): string {
  return `      <${tag} message="${attr(message)}" type="${attr(type)}">\n        <stackTrace>${xmlEscape(body)}</stackTrace>\n      </${tag}>`;
}

/**
 * The JUnit file of a run that ended in an error before its report (the target unreachable, the
 * sign-in refused, the files invalid): one testcase holding the error, `message` as stderr says
 * it, so a CI reporter reading the file shows why instead of failing on an empty one. Files
 * refused as invalid add one testcase per error `diagnostics` holds (warnings stop nothing):
 * classname `promptctl.validate`, named `file:line:column`, with the `file` and `line` attributes
 * reporters link by, and an <error> of its rule saying the line stderr says.
 */
export function renderJunitError(message: string, diagnostics: readonly Diagnostic[] = []): string {
  const testcase = (open: string, said: string, type: string): string =>
    [open, `      <error message="${attr(said)}" type="${attr(type)}">${xmlEscape(said)}</error>`, '    </testcase>'].join('\n');
  const cases = [
    testcase('    <testcase classname="promptctl test" name="promptctl test" time="0.000">', message, 'error'),
    ...diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => {
        // Named as stderr's line begins (the path made visible, on one line); the file as found on disk.
        const at = `${visibleName(d.file)}:${d.line}:${d.column}`;
        return testcase(`    <testcase classname="promptctl.validate" name="${attr(at)}" time="0.000" file="${attr(d.file)}" line="${d.line}">`, formatText(d), d.rule);
      }),
  ];
  const counts = `tests="${cases.length}" failures="0" errors="${cases.length}" skipped="0" time="0.000"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="promptctl test" ${counts}>`,
    `  <testsuite name="promptctl test" ${counts}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
