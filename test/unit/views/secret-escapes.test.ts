// Output is masked after it is rendered: a secret a view escapes must still be found in every form
// the view gives it. Each renderer gets a secret with a line break and every character some view
// escapes, in each field it escapes; the masked output holds neither the value nor any form of it.
import { describe, expect, it } from 'vitest';
import type { StatusReport, TestOutcome, TestReport, TestRun } from '../../../src/evals/types.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { DriftEntry } from '../../../src/plan/drift.js';
import type { Plan } from '../../../src/plan/types.js';
import * as escapes from '../../../src/util/escapes.js';
import { maskSecrets } from '../../../src/util/secrets.js';
import { withEscapedForms } from '../../../src/util/secret-forms.js';
import { renderDiagnostics } from '../../../src/views/diagnostics.js';
import { renderDrift } from '../../../src/views/drift.js';
import { renderJson } from '../../../src/views/plan-json.js';
import { renderMarkdown } from '../../../src/views/plan-markdown.js';
import { renderText } from '../../../src/views/plan-text.js';
import { renderStatus } from '../../../src/views/status.js';
import { renderJunit } from '../../../src/views/test-junit.js';
import { renderTestMarkdown } from '../../../src/views/test-markdown.js';
import { renderTestJson, renderTestText } from '../../../src/views/test-results.js';
import { answered } from '../../helpers/observations.js';

const NAME = 'SOME_API_TOKEN';
const MASK = `[redacted: ${NAME}]`;
/** Letters on each side of the line break: no escape changes them, so any form of the value, or of either line, holds them. */
const FIRST = `k1${Math.random().toString(36).slice(2, 8)}`;
const SECOND = `k2${Math.random().toString(36).slice(2, 8)}`;
const SECRET = `${FIRST} | < > & " ' \\ \` * _ [ ] # % : ,\n${SECOND} end`;
const FORMS = withEscapedForms([{ name: NAME, value: SECRET }]);
const mask = (text: string): string => maskSecrets(text, FORMS);

/** The masked output carries no trace of the value, and says what was masked. */
function expectMasked(out: string, what: string): void {
  expect(out, `${what}: the view renders the value`).toMatch(new RegExp(`${FIRST}|${SECOND}`));
  const masked = mask(out);
  expect(masked, what).not.toContain(SECRET);
  for (const escape of escapes.ESCAPES) expect(masked, `${what}: ${escape.name}`).not.toContain(escape(SECRET));
  expect(masked, what).not.toContain(FIRST);
  expect(masked, what).not.toContain(SECOND);
  expect(masked, what).toContain(MASK);
}

const plan: Plan = {
  formatVersion: 2,
  id: 'p-1',
  createdAt: '2026-12-02T00:00:00.000Z',
  target: `target ${SECRET}`,
  git: { commit: 'abc1234def56', branch: 'main' },
  prune: false,
  summary: { create: 0, update: 0, delete: 0, noop: 0 },
  actions: [],
  problems: [{ address: `Guide/${SECRET}`, rule: 'name-differs-in-case', message: `the org has "${SECRET}"`, file: `prompts/${SECRET}.yaml`, line: 3, column: 1 }],
  warnings: [{ address: 'Guide/g', rule: 'promotion-gap', message: `warned about ${SECRET}` }],
  unmanaged: [{ address: `Guide/${SECRET}`, reason: `left alone: ${SECRET}` }],
  fingerprint: '0'.repeat(64),
};

describe('plan and drift views', () => {
  it('text, markdown and JSON: every escaped form is masked', () => {
    expectMasked(renderText(plan), 'plan text');
    expectMasked(renderMarkdown(plan), 'plan markdown');
    expectMasked(renderJson(plan), 'plan json');
    const entries: DriftEntry[] = [{ address: `Guide/${SECRET}`, action: 'update', modifiedBy: SECRET, dateModified: null, message: `differs from git: ${SECRET}` }];
    for (const format of ['text', 'markdown', 'json'] as const) {
      const rendered = format === 'markdown' ? renderMarkdown(plan) : format === 'json' ? renderJson(plan) : renderText(plan);
      expectMasked(renderDrift(plan, entries, format, rendered), `drift ${format}`);
      // The drift table alone (its cells: code spans and escaped text).
      if (format !== 'json') expectMasked(renderDrift(plan, entries, format, ''), `drift ${format} table`);
    }
  });
});


function failedRun(caseName: string): TestRun {
  return {
    case: caseName,
    caseIndex: 0,
    requested: '1.1.0',
    version: '1.1.0',
    repetition: 1,
    cached: false,
    observation: answered(`The answer is ${SECRET} indeed.`),
    assertions: [{ type: 'notContains', not: false, value: SECRET, passed: false, detail: `found in "${SECRET}"` }],
    passed: false,
  };
}

function outcomeOf(name: string, runs: TestRun[]): TestOutcome {
  const rate = { passed: 0, total: runs.length, rate: 0, met: false };
  return { name, address: `PromptTest/${name}`, target: `bot@1.1.0 ${SECRET}`, kind: 'template', threshold: 1, repeat: 1, runs, rate, byVersion: [], met: false, notes: [`note ${SECRET}`], source: 'prompts/tests/t.yaml:3' };
}

const report: TestReport = {
  target: `http://127.0.0.1:1 ${SECRET}`,
  tests: [outcomeOf(`t ${SECRET}`, [failedRun(`case ${SECRET}`)])],
  invocations: 1,
  cached: 0,
  ok: false,
  durationMs: 10,
};

describe('test result views', () => {
  it('text, markdown, JSON and JUnit: every escaped form is masked', () => {
    expectMasked(renderTestText(report), 'test text');
    expectMasked(renderTestMarkdown(report), 'test markdown');
    expectMasked(renderTestJson(report), 'test json');
    expectMasked(renderJunit(report), 'junit');
  });
});

describe('status views', () => {
  it('text, markdown and JSON: every escaped form is masked', () => {
    const status: StatusReport = {
      target: `target ${SECRET}`,
      interval: '2026-12-01T00:00:00Z/2026-12-02T00:00:00Z',
      since: `since ${SECRET}`,
      templates: [
        {
          template: `bot ${SECRET}`,
          templateId: 't-1',
          split: { strategy: 'weighted', routes: [{ version: SECRET, weight: 100 }] },
          invocations: 0,
          versions: [],
          notes: [`note ${SECRET}`],
        },
      ],
      method: [`method ${SECRET}`],
    };
    for (const format of ['text', 'markdown', 'json'] as const) expectMasked(renderStatus(status, format), `status ${format}`);
  });
});

describe('diagnostics', () => {
  it('text, JSON and GitHub annotations: every escaped form is masked', () => {
    const d: Diagnostic = { file: `prompts/${SECRET}.yaml`, line: 2, column: 3, severity: 'error', rule: `rule ${SECRET}`, message: `quoted ${SECRET}` };
    for (const format of ['text', 'json', 'github'] as const) expectMasked(renderDiagnostics([d], format), `diagnostics ${format}`);
  });
});

describe('a multi-line value the plan views split into lines', () => {
  it('a structured value as YAML lines and prompt text as diff lines: each line of the value is masked', async () => {
    const { buildPlan } = await import('../../../src/plan/build.js');
    const { desiredState, filter, liveAfterApply, opts, template, version } = await import('../plan/fixtures.js');
    const d = desiredState({ templates: [template('bot')], versions: [version('bot', '1.0.0', { systemInstruction: 'You answer questions.\nBe brief.\n' })], filters: [filter('guard', 10)] });
    const live = liveAfterApply(d);
    // Changed by hand on the target: a label holding the value, and the published version's text.
    live.filters[0]!.appliesTo = { labels: { team: SECRET } };
    live.templates[0]!.versions![0]!.systemInstruction = `You answer questions.\n${SECRET}\nBe brief.\n`;
    const p = buildPlan(d, live, opts());
    for (const [what, out] of [
      ['plan text', renderText(p)],
      ['plan markdown', renderMarkdown(p)],
    ] as const) {
      const masked = mask(out);
      expect(out, `${what}: renders the value`).toContain(FIRST);
      expect(masked, what).not.toContain(FIRST);
      expect(masked, what).not.toContain(SECOND);
      expect(masked, what).toContain(MASK);
    }
  });
});
