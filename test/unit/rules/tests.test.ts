import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { DesiredState } from '../../../src/model/types.js';
import { checkTests } from '../../../src/rules/tests.js';
import type { RuleContext } from '../../../src/rules/util.js';
import { filter, guide, guideVariable, promptTest, split, state, template, testCase, variable, version } from './build.js';

const short = (ds: Diagnostic[]) => ds.map((d) => `${d.rule} ${d.message}`);

/** billing: 1.0.0 (account, question) and 1.1.0 (account, plan enum, question), split 80/20. */
function billing(extra: Partial<DesiredState> = {}): DesiredState {
  const vars = [variable('account', { maxLength: 5 }), variable('question')];
  return state({
    templates: [template('billing')],
    versions: [
      version('billing', '1.0.0', { userTemplate: '{{account}} {{question}}', variables: vars }),
      version('billing', '1.1.0', {
        userTemplate: '{{account}} {{plan}} {{question}}',
        variables: [vars[0]!, variable('plan', { type: 'enum', values: ['basic', 'plus'], required: false, default: 'basic' }), vars[1]!],
      }),
    ],
    splits: [split('billing', [['1.0.0', 80], ['1.1.0', 20]])],
    ...extra,
  });
}

const run = (s: DesiredState, ctx: RuleContext = {}) => checkTests(s, ctx);

describe('PromptTest targets', () => {
  it('an unknown template, guide or version is an error at that line, with a did-you-mean', () => {
    const s = billing({
      guides: [guide('Returns')],
      tests: [
        promptTest('a', { template: 'biling' }, [testCase('c')]),
        promptTest('b', { template: 'billing', version: '1.2.0' }, [testCase('c')]),
        promptTest('c', { guide: 'Retruns' }, [testCase('c', {}, undefined, { messages: [{ role: 'user', content: 'hi' }] })]),
      ],
    });
    const ds = run(s);
    const [a, b, c] = s.tests;
    expect(ds).toEqual([
      expect.objectContaining({ line: a!.locations['spec.target.template']!.line, rule: 'tests/unknown-target', message: 'template "biling" is not defined by any PromptTemplate (did you mean "billing"?)' }),
      expect.objectContaining({
        line: b!.locations['spec.target.version']!.line,
        rule: 'tests/unknown-version',
        message: 'version 1.2.0 of template "billing" is not declared by any PromptVersion (did you mean "1.0.0"?); declared: 1.0.0, 1.1.0',
      }),
      expect.objectContaining({ line: c!.locations['spec.target.guide']!.line, rule: 'tests/unknown-target', message: 'guide "Retruns" is not defined by any Guide (did you mean "Returns"?)' }),
    ]);
  });

  it('says of a guide named in another Unicode form (NFD é) than the Guide what tells the two apart', () => {
    // The suggestion read like the name it rejected: guide "Café guide" … (did you mean "Café guide"?).
    const s = state({ guides: [guide('Caf\u00e9 guide')], tests: [promptTest('g', { guide: 'Cafe\u0301 guide' }, [testCase('c', {}, undefined, { messages: [{ role: 'user', content: 'hi' }] })])] });
    expect(short(run(s))).toEqual([
      'tests/unknown-target guide "Cafe\u0301 guide" is not defined by any Guide (did you mean "Caf\u00e9 guide"?) (it writes "\u00e9" as U+0065 U+0301 (NFD), that one as U+00E9 (NFC): one letter in two Unicode forms)',
    ]);
  });

  it('says nothing about targets that failed to load', () => {
    const s = billing({ tests: [promptTest('a', { template: 'gone' }, [testCase('c')]), promptTest('b', { guide: 'Gone' }, [testCase('c', {}, undefined, { messages: [{ role: 'user', content: 'x' }] })])] });
    expect(run(s, { unloadedTemplates: new Set(['gone']), unloadedGuides: new Set(['Gone']) })).toEqual([]);
  });

  it('a template with no versions here cannot be tested', () => {
    const s = state({ templates: [template('empty')], tests: [promptTest('a', { template: 'empty' }, [testCase('c')])] });
    expect(short(run(s))).toEqual(['tests/no-version template "empty" has no PromptVersion here to test']);
  });
});

describe('PromptTest vars against a template', () => {
  it('pinned: a wrong name is an error at the var name, with a did-you-mean; a wrong type at the value', () => {
    const t = promptTest('a', { template: 'billing', version: '1.1.0' }, [testCase('c', { acount: 'A1', question: 42, plan: 'gold' })]);
    const ds = run(billing({ tests: [t] }));
    expect(ds.map((d) => [d.rule, d.line])).toEqual([
      ['tests/unknown-var', t.keyLocations['spec.cases.0.vars.acount']!.line],
      ['tests/var-type', t.locations['spec.cases.0.vars.question']!.line],
      ['tests/var-value', t.locations['spec.cases.0.vars.plan']!.line],
      ['tests/missing-var', t.keyLocations['spec.cases.0.vars']!.line],
    ]);
    expect(short(ds)).toEqual([
      'tests/unknown-var var "acount" is not a variable of billing@1.1.0 (did you mean "account"?); its variables: account, plan, question',
      'tests/var-type var "question" is a number (42), but variable "question" is of type string: give a string (quote it) (billing@1.1.0)',
      'tests/var-value var "plan" is "gold", not one of the values of variable "plan": basic, plus (billing@1.1.0)',
      'tests/missing-var case "c" does not set variable "account", which billing@1.1.0 requires',
    ]);
  });

  it('names a version once when it declares a variable twice (its own error says so)', () => {
    const twice = version('twice', '1.0.0', { userTemplate: '{{q}}', variables: [variable('q'), variable('q')] });
    const t = promptTest('a', { template: 'twice', version: '1.0.0' }, [testCase('c', {})]);
    const ds = run(state({ templates: [template('twice')], versions: [twice], tests: [t] })).filter((d) => d.rule === 'tests/missing-var');
    expect(short(ds)).toEqual(['tests/missing-var case "c" does not set variable "q", which twice@1.0.0 requires']);
  });

  it('maxLength, numbers and booleans: the value must fit the declaration', () => {
    const s = state({
      templates: [template('t')],
      versions: [
        version('t', '1.0.0', {
          userTemplate: '{{n}} {{b}} {{s}}',
          variables: [variable('n', { type: 'number' }), variable('b', { type: 'boolean' }), variable('s', { maxLength: 3 })],
        }),
      ],
      tests: [promptTest('a', { template: 't', version: '1.0.0' }, [testCase('c', { n: '5', b: 'true', s: 'toolong' }), testCase('d', { n: 5, b: false, s: 'ok' })])],
    });
    expect(short(run(s))).toEqual([
      'tests/var-type var "n" is a string ("5"), but variable "n" is of type number: give a number (remove the quotes) (t@1.0.0)',
      'tests/var-type var "b" is a string ("true"), but variable "b" is of type boolean: give true or false (remove the quotes) (t@1.0.0)',
      'tests/var-value var "s" is 7 characters long, more than the maxLength 3 of variable "s" (t@1.0.0)',
    ]);
  });

  it('no version: checked against every version the split routes, naming the one that lacks a var', () => {
    const t = promptTest('a', { template: 'billing' }, [testCase('c', { account: 'A1', question: 'q', plan: 'plus' }), testCase('d', { account: 'A1', question: 'q', acount: 'x' })]);
    expect(short(run(billing({ tests: [t] })))).toEqual([
      'tests/unknown-var var "plan" is not a variable of billing@1.0.0, which its split routes 80% of calls to: pin target.version, or declare it in every routed version',
      'tests/unknown-var var "acount" is not a variable of billing@1.0.0 or 1.1.0, which its split routes 80% and 20% of calls to (did you mean "account"?); its variables: account, question, plan',
    ]);
  });

  it('no version and a route at 0%: that version is not checked', () => {
    const s = billing({ tests: [promptTest('a', { template: 'billing' }, [testCase('c', { account: 'A1', question: 'q', plan: 'plus' })])] });
    s.splits = [split('billing', [['1.0.0', 0], ['1.1.0', 100]])];
    expect(run(s)).toEqual([]);
  });

  it('no version and no split: checked against the latest version, and the message says so', () => {
    const s = billing({ tests: [promptTest('a', { template: 'billing' }, [testCase('c', { account: 'A1', question: 'q', extra: 1 })])] });
    s.splits = [];
    expect(short(run(s))).toEqual([
      'tests/unknown-var var "extra" is not a variable of billing@1.1.0 (its latest version: "billing" has no TrafficSplit here, so a test without target.version runs on it); its variables: account, plan, question',
    ]);
  });
});

describe('PromptTest vars against a guide', () => {
  const g = guide('Returns', {
    variables: [
      guideVariable('order', { type: 'Integer' }),
      guideVariable('when', { type: 'Date', scope: 'InputAndOutput' }),
      guideVariable('items', { type: 'List' }),
      guideVariable('done', { type: 'Boolean', scope: 'Output' }),
    ],
  });
  const user = { messages: [{ role: 'user' as const, content: 'I want to return this.' }] };

  it('input variables only, each with a value of its type', () => {
    const t = promptTest('a', { guide: 'Returns' }, [testCase('c', { order: '12', when: '2025-06-30', items: ['a', 'b'], done: true, ordr: 1 }, undefined, user)]);
    expect(short(run(state({ guides: [g], tests: [t] })))).toEqual([
      'tests/var-type var "order" is a string ("12"), but variable "order" of guide "Returns" is of type Integer: give a whole number (remove the quotes)',
      'tests/var-scope variable "done" of guide "Returns" has scope Output: a test sets only Input or InputAndOutput variables',
      'tests/unknown-var var "ordr" is not a variable of guide "Returns" (did you mean "order"?); its input variables: order, when, items',
    ]);
  });

  it('a guide case must send text, and gateway assertions cannot hold for a guide', () => {
    const t = promptTest('a', { guide: 'Returns' }, [
      testCase('c', { order: 12 }, [
        { type: 'blockedBy', value: 'f', not: false },
        { type: 'contains', value: 'label', not: false },
      ]),
    ]);
    expect(run(state({ guides: [g], tests: [t] })).map((d) => d.rule)).toEqual(['tests/guide-input', 'tests/assertion-target']);
  });
});

describe('PromptTest assertions', () => {
  const ok = { account: 'A1', question: 'q' };

  it('a regex must compile; a JSON Schema must be one (at the node inside it)', () => {
    const t = promptTest('a', { template: 'billing', version: '1.0.0' }, [
      testCase('c', ok, [
        { type: 'regex', value: '(open', not: false },
        { type: 'regex', value: '\\d+ days', not: false },
        { type: 'jsonSchema', value: { type: 'objekt' }, not: false },
      ]),
    ]);
    const problem = (schema: unknown) => ((schema as { type?: string }).type === 'objekt' ? { segments: ['type'], message: 'not a valid JSON Schema at type: bad' } : undefined);
    const ds = run(billing({ tests: [t] }), { jsonSchemaProblem: problem });
    expect(ds.map((d) => [d.rule, d.line])).toEqual([
      ['tests/invalid-regex', t.locations['spec.cases.0.expect.0.regex']!.line],
      ['tests/invalid-json-schema', t.locations['spec.cases.0.expect.2.jsonSchema.type']!.line],
    ]);
    expect(ds[0]!.message).toBe('regex does not compile: /(open/: Unterminated group');
  });

  it('a regex written /…/flags, as a canned answer takes it, is a warning: an assertion\'s is the pattern alone', () => {
    const t = promptTest('a', { template: 'billing', version: '1.0.0' }, [
      testCase('c', ok, [
        { type: 'regex', value: '/days/i', not: false },
        { type: 'regex', value: '/\\d+ days?\\/week/gi', not: false },
        // The slashes of a path, not flags: no warning.
        { type: 'regex', value: '/orders/', not: false },
        { type: 'regex', value: '/account/settings', not: false },
        { type: 'regex', value: '/billing/refunds', not: false },
        { type: 'regex', value: '/help/refunds/i', not: false },
        { type: 'regex', value: '/x/ii', not: false },
        { type: 'regex', value: 'and/or', not: false },
        { type: 'regex', value: '/', not: false },
        { type: 'regex', value: '/^days$/m', not: false },
      ]),
    ]);
    const ds = run(billing({ tests: [t] }));
    expect(ds.map((d) => [d.rule, d.severity, d.line])).toEqual([
      ['tests/regex-slashes', 'warning', t.locations['spec.cases.0.expect.0.regex']!.line],
      ['tests/regex-slashes', 'warning', t.locations['spec.cases.0.expect.1.regex']!.line],
      ['tests/regex-slashes', 'warning', t.locations['spec.cases.0.expect.9.regex']!.line],
    ]);
    // The i flag kept as the (?i) an assertion reads: "days" alone would fail on "Days".
    expect(ds[0]!.message).toBe('regex "/days/i" is read as a pattern that starts and ends with a slash: an assertion\'s regex is the pattern alone, without /…/ or flags (write "(?i)days")');
    expect(ds[1]!.message).toMatch(/\(write "\(\?i\)\\\\d\+ days\?\\\\\/week"\)$/);
    expect(ds[2]!.message).toMatch(/\(write "\^days\$"; the m flag cannot be given\)$/);
  });

  it('blockedBy names a filter that exists and can block the target; redacts needs a redacting filter', () => {
    const filters = [
      filter('blocker', 1, { action: 'block_and_log', categories: ['phishing'], thresholds: { phishing: 0.5 } }),
      filter('elsewhere', 2, { action: 'block_and_log', appliesTo: { templates: ['other'] } }),
      filter('off', 3, { enabled: false }),
      filter('redactor', 4, { action: 'redact_and_log', categories: ['pii'], thresholds: { pii: 0.5 }, appliesTo: { labels: { team: 'billing' } } }),
    ];
    const t = promptTest('a', { template: 'billing', version: '1.0.0' }, [
      testCase('c', ok, [
        { type: 'blockedBy', value: 'blocker', not: false },
        { type: 'blockedBy', value: 'blockr', not: false },
        { type: 'blockedBy', value: 'elsewhere', not: false },
        { type: 'blockedBy', value: 'off', not: false },
        { type: 'blockedBy', value: 'off', not: true },
        { type: 'redacts', value: 'pii', not: false },
        { type: 'redacts', value: 'phishing', not: false },
      ]),
    ]);
    const s = billing({ filters, tests: [t] });
    s.templates = [template('billing', 'billing.yaml', { labels: { team: 'billing' } })];
    expect(short(run(s))).toEqual([
      'tests/unknown-filter safety filter "blockr" is not defined by any SafetyFilter (did you mean "blocker"?)',
      'tests/filter-cannot-block safety filter "elsewhere" cannot block this call: its appliesTo does not cover template "billing", so the assertion can only fail',
      'tests/filter-cannot-block safety filter "off" cannot block this call: it is disabled (enabled: false), so the assertion can only fail',
      'tests/no-redacting-filter no enabled SafetyFilter with action redact_and_log covers phishing for template "billing", so nothing redacts it and the assertion can only fail',
    ]);
    expect(run(s, { unloadedFilters: new Set(['blockr']) }).map((d) => d.rule)).not.toContain('tests/unknown-filter');
  });

  it('routedTo names a version of the target template that its split routes', () => {
    const t = promptTest('a', { template: 'billing' }, [
      testCase('c', ok, [
        { type: 'routedTo', value: '1.1.0', not: false },
        { type: 'routedTo', value: '1.2.0', not: false },
      ]),
    ]);
    const pinned = promptTest('b', { template: 'billing', version: '1.0.0' }, [testCase('c', ok, [{ type: 'routedTo', value: '1.0.0', not: false }])]);
    const s = billing({ tests: [t, pinned] });
    expect(short(run(s))).toEqual([
      'tests/unknown-version version 1.2.0 of template "billing" is not declared by any PromptVersion (did you mean "1.0.0"?); declared: 1.0.0, 1.1.0',
      'tests/routed-pinned target.version pins 1.0.0, so the split is bypassed: routedTo tests the split, drop target.version',
    ]);
    s.splits = [split('billing', [['1.0.0', 100], ['1.1.0', 0]])];
    expect(short(run(s))).toContain('tests/unrouted-version the split of template "billing" routes no calls to 1.1.0, so the assertion can only fail');
  });

  it('without a split, routedTo the newest version holds (it answers every call); another version can only fail', () => {
    const t = promptTest('a', { template: 'billing' }, [
      testCase('c', ok, [
        { type: 'routedTo', value: '1.1.0', not: false },
        { type: 'routedTo', value: '1.0.0', not: false },
      ]),
    ]);
    const s = billing({ tests: [t], splits: [] });
    expect(short(run(s))).toEqual([
      'tests/unrouted-version template "billing" has no TrafficSplit here, so its newest version 1.1.0 answers every call and none goes to 1.0.0: the assertion can only fail',
    ]);
    // A version that failed to load may be the newest: nothing is said.
    expect(short(run(s, { unloadedVersions: new Set(['billing@1.2.0']) }))).toEqual([]);
  });

  it('case names are unique within a test', () => {
    const t = promptTest('a', { template: 'billing', version: '1.0.0' }, [testCase('same', ok), testCase('same', ok)]);
    expect(run(billing({ tests: [t] }))).toEqual([
      expect.objectContaining({ rule: 'tests/duplicate-case', line: t.locations['spec.cases.1.name']!.line }),
    ]);
  });

  it('a control character in a case name is an error at the name (reports escape it, but an ESC, a bell or a lone CR there is a slip)', () => {
    const names = ['colour \u001b[31mred', 'ding\u0007', 'one\rtwo', 'fine name'];
    const t = promptTest('a', { template: 'billing', version: '1.0.0' }, names.map((n) => testCase(n, ok)));
    const ds = run(billing({ tests: [t] }));
    expect(ds.map((d) => [d.rule, d.severity, d.line, d.message])).toEqual(
      ['U+001B', 'U+0007', 'U+000D'].map((code, i) => [
        'tests/control-character',
        'error',
        t.locations[`spec.cases.${i}.name`]!.line,
        `case name contains a control character (${code}): case names are printed in reports, JUnit files and terminals; remove it`,
      ]),
    );
  });
});

describe('PromptTest responses (canned answers for the embedded emulator)', () => {
  const ok = { account: 'A1', question: 'q' };

  it('a response an earlier one of its own test always beats is a warning at its match: the first of the test\'s own that holds answers', () => {
    const one = promptTest('one', { template: 'billing', version: '1.0.0' }, [testCase('c', ok)], {
      responses: [
        { match: { contains: 'conflict', version: '1.1.0' }, output: 'only on 1.1.0' },
        { match: { contains: 'conflict' }, output: 'one' },
      ],
    });
    const two = promptTest('two', { template: 'billing', version: '1.0.0' }, [testCase('c', ok)], {
      responses: [
        // one's broader answer comes first in file order, but two's own calls try two's first: no warning.
        { match: { contains: 'a conflict here' }, output: 'two' },
        { match: { contains: 'another thing' }, output: 'fine' },
        { match: {}, output: 'every call' },
        { match: { regex: '(?i)x' }, output: 'after a catch-all' },
        // The same answer as the catch-all before it: nothing is lost, no warning.
        { match: { contains: 'conflict' }, output: 'every call' },
        { match: { contains: 'conflict' }, output: 'another answer' },
      ],
    });
    const ds = run(billing({ tests: [one, two] })).filter((d) => d.rule === 'tests/response-shadowed');
    expect(ds.map((d) => [d.file, d.line])).toEqual([
      ['two.test.yaml', two.locations['spec.responses.3.match']!.line],
      ['two.test.yaml', two.locations['spec.responses.5.match']!.line],
    ]);
    expect(ds[0]!.severity).toBe('warning');
    expect(ds[0]!.message).toBe(
      `responses[3] never answers: responses[2] above (two.test.yaml:${two.locations['spec.responses.2.match']!.line}:${two.locations['spec.responses.2.match']!.column}) holds for every call it would, and the embedded emulator takes the first of the test's own responses that holds; narrow the earlier match or give this one another`,
    );
    expect(ds[1]!.message).toMatch(/^responses\[5\] never answers: responses\[2\] above \(two\.test\.yaml:\d+:\d+\)/);
    // The order of the tests changes nothing: only a test's own responses hide one another.
    expect(run(billing({ tests: [two, one] })).filter((d) => d.rule === 'tests/response-shadowed').map((d) => d.line)).toEqual(ds.map((d) => d.line));
  });

  it('an earlier test\'s catch-all does not hide a later test\'s own answer (its own calls try it first): no warning', () => {
    const broad = promptTest('broad', { template: 'billing', version: '1.0.0' }, [testCase('c', ok)], { responses: [{ match: {}, output: 'every call' }] });
    const own = promptTest('own', { template: 'billing' }, [testCase('c', ok)], { responses: [{ match: { version: '1.1.0' }, output: 'Refunds take 5 to 10 days.' }] });
    expect(run(billing({ tests: [broad, own] })).filter((d) => d.rule === 'tests/response-shadowed')).toEqual([]);
  });

  it('a match regex compiles as the emulator reads it ((?i) and /pattern/flags too), else an error at the regex', () => {
    const t = promptTest('a', { template: 'billing', version: '1.0.0' }, [testCase('c', ok)], {
      responses: [
        { match: { regex: '(?i)refund' }, output: 'x' },
        { match: { regex: '/card (number|no)/i' }, output: 'x' },
        { match: { regex: '(open' }, output: 'x' },
        { match: { regex: '/x/q' }, output: 'x' },
        { match: {}, output: 'every call' },
      ],
    });
    const ds = run(billing({ tests: [t] }));
    expect(ds.map((d) => [d.rule, d.severity, d.file, d.line])).toEqual([
      ['tests/invalid-regex', 'error', 'a.test.yaml', t.locations['spec.responses.2.match.regex']!.line],
      ['tests/invalid-regex', 'error', 'a.test.yaml', t.locations['spec.responses.3.match.regex']!.line],
    ]);
    expect(ds[0]!.message).toBe('responses[2].match.regex does not compile: /(open/: Unterminated group');
    expect(ds[1]!.message).toMatch(/^responses\[3\]\.match\.regex does not compile: .*flags/i);
  });

  it('a match version the test never runs on can never answer: a warning', () => {
    const pinned = promptTest('a', { template: 'billing', version: '1.0.0' }, [testCase('c', ok)], {
      responses: [
        { match: { version: '1.0.0' }, output: 'x' },
        { match: { version: '1.1.0', contains: 'only a' }, output: 'x' },
      ],
    });
    const routed = promptTest('b', { template: 'billing' }, [testCase('c', ok)], {
      responses: [
        { match: { version: '1.1.0', contains: 'only b' }, output: 'x' },
        { match: { version: '9.9.9' }, output: 'x' },
      ],
    });
    const onGuide = promptTest('g', { guide: 'Returns' }, [testCase('c', {}, undefined, { messages: [{ role: 'user', content: 'hi' }] })], {
      // A guide's turns run its latest or its production version (which labels the target says);
      // only the embedded emulator answers from responses:, and it labels no version 2.5.
      responses: [{ match: { version: '2.0' }, output: 'x' }, { match: { version: '2.5', contains: 'hi' }, output: 'x' }, { output: 'x', match: { contains: 'hi' } }],
    });
    const ds = run(billing({ guides: [guide('Returns')], tests: [pinned, routed, onGuide] }));
    expect(ds.map((d) => [d.rule, d.severity, d.line, d.message])).toEqual([
      [
        'tests/response-version',
        'warning',
        pinned.locations['spec.responses.1.match.version']!.line,
        'responses[1] answers only calls on version 1.1.0, which this test never runs on (it runs on billing@1.0.0), so it never answers',
      ],
      [
        'tests/response-version',
        'warning',
        routed.locations['spec.responses.1.match.version']!.line,
        'responses[1] answers only calls on version 9.9.9, which this test never runs on (it runs on billing@1.0.0 or 1.1.0), so it never answers',
      ],
      [
        'tests/response-version',
        'warning',
        onGuide.locations['spec.responses.1.match.version']!.line,
        'responses[1] answers only turns on guide version 2.5, a label the embedded emulator (the only target that answers from responses:) gives no version: it numbers them 1.0, 2.0, …, so it never answers',
      ],
    ]);
  });
});
