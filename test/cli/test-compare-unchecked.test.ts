// `promptctl test --compare` and a case with nothing checked, from a new-user review: a case whose
// only assertion is routedTo (which --compare does not check: each call names its version) showed
// '✓ pass' on both versions. It is not checked, and left out of the pass rates, in every format.
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, xmlAttributes, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** faq-bot 1.1.0 with a case that checks nothing but where the call went. */
const ROUTED_ONLY_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-where
spec:
  target:
    template: faq-bot
    version: "1.1.0"
  cases:
    - name: goes to 1.1.0
      vars:
        question: "How long does a refund take?"
      expect:
        - routedTo: "1.1.0"
    - name: refund
      vars:
        question: "How long does a refund take?"
      expect:
        - contains: "5 working days"
`;

describe('--compare, a case whose only assertion is routedTo', () => {
  it('is not checked, not a pass, and left out of the pass rates, in every format', async () => {
    p = await evalsProject({ 'where.yaml': ROUTED_ONLY_TEST });
    const r = await p.cli(['test', '--compare', '1.0.0,1.1.0']);
    expect(r.stdout).toMatch(/^ {2}goes to 1\.1\.0\s+– not checked · \d+ ms · \d+ · \$[\d.]+\s+– not checked · /m);
    expect(r.stdout).not.toMatch(/goes to 1\.1\.0\s+✓/);
    expect(r.stdout).toContain('pass rate 1.0.0: 100 % (1/1), 1.1.0: 100 % (1/1), threshold 100 %: met');
    expect(r.stdout).toContain('a case whose only assertion is routedTo is not checked, and left out of the pass rate');

    const md = await p.cli(['test', '--compare', '1.0.0,1.1.0', '--format', 'markdown']);
    // Side by side: one row a case, a column a version.
    expect(md.stdout).toContain('| Case | 1.0.0 | 1.1.0 |');
    expect(md.stdout).toMatch(/^\| goes to 1\.1\.0 \| ➖ not checked · cached · [^|]+ \| ➖ not checked · cached · [^|]+ \|$/m);
    const json = JSON.parse((await p.cli(['test', '--compare', '1.0.0,1.1.0', '--format', 'json'])).stdout);
    const where = json.tests[0].runs.filter((x: { case: string }) => x.case === 'goes to 1.1.0');
    expect(where).toHaveLength(2);
    for (const run of where) expect(run).toMatchObject({ passed: false, notChecked: expect.stringContaining('routedTo') });
    expect(json.tests[0].byVersion.map((b: { total: number }) => b.total)).toEqual([1, 1]);
    const xml = (await p.cli(['test', '--compare', '1.0.0,1.1.0', '--format', 'junit'])).stdout;
    expect(xml).toMatch(/<testcase [^>]*name="goes to 1\.1\.0 @1\.0\.0"[^>]*>\n\s*<skipped message="not checked: /);
    expect(xmlAttributes(xml, 'testsuites')).toMatchObject({ tests: '5', skipped: '2', failures: '0' });
  });
});
