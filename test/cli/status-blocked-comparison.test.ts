// `promptctl status` on a split where one version's answers a block_and_log filter blocks: its
// callers get no answer, yet the comparison counted only errors (refusals other than blocks), so
// a candidate blocked on every call read "errors not different yet: keep collecting". The blocked
// rates are now compared on their own (Newcombe's interval, as errors are), on a line of their own
// in text and markdown and as `blocked` in JSON, and a candidate blocked significantly more often
// is told to route back; `errors` keeps its meaning. In-process against a real emulator on port 0.
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, PHISHING, RESPONSES, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** Six pinned runs to each version; 1.1.0 answers with a credential lure, which faq-phishing-block blocks on the output. */
async function runs(project: EvalsProject): Promise<void> {
  for (const v of ['1.0.0', '1.1.0']) {
    for (let i = 0; i < 6; i++) {
      const r = await project.cli(['run', `faq-bot@${v}`, '--var', `question=Where is my parcel (${i})?`]);
      expect(r.code, r.stderr).toBe(v === '1.1.0' ? 1 : 0);
      if (v === '1.1.0') expect(r.stderr).toMatch(/blocked by safety filter faq-phishing-block/);
    }
  }
}

describe('status: a split version blocked far more often than the baseline', () => {
  it('compares the blocked rates apart from errors and tells the candidate to route back, in JSON, text and markdown', async () => {
    p = await evalsProject({}, { responses: [{ match: { template: 'faq-bot', version: '1.1.0' }, output: PHISHING }, ...RESPONSES] });
    await runs(p);

    const json = await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h']);
    expect(json.code, json.stderr).toBe(0);
    const c = JSON.parse(json.stdout).templates[0].comparison;
    expect(c).toMatchObject({ baseline: '1.0.0', candidate: '1.1.0' });
    // Errors keep their meaning: no call failed other than by a block.
    expect(c.errors).toMatchObject({ estimate: 0, baselineRate: 0, candidateRate: 0, significant: false });
    expect(c.blocked).toMatchObject({ estimate: 1, baselineRate: 0, candidateRate: 1, high: 1, significant: true });
    expect(c.blocked.low).toBeGreaterThan(0);
    expect(c.verdict).toBe(
      '1.1.0 vs 1.0.0: too few calls the model ran for to compare tokens (6 for 1.1.0, 6 for 1.0.0; 30 each needed), errors not different yet, blocked more often by safety filters (100 % vs 0 %): consider routing traffic back to 1.0.0',
    );

    const text = await p.cli(['status', 'faq-bot', '--since', '1h']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ {4}error rate: 0 % vs 0 %, difference 0\.0 points, 95 % interval −\d+\.\d to \+\d+\.\d\n {4}blocked rate: 100 % vs 0 %, difference \+100\.0 points, 95 % interval \+\d+\.\d to \+100\.0$/m);
    expect(text.stdout).toContain(`  verdict: ${c.verdict}`);
    expect(text.stdout).toMatch(/error rates and blocked rates \(blocks are not errors: each is compared on its own\) by Newcombe's/);

    const md = await p.cli(['status', 'faq-bot', '--format', 'markdown', '--since', '1h']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^\*\*Verdict:\*\* .*blocked more often by safety filters \(100 % vs 0 %\): consider routing traffic back to 1\.0\.0$/m);
    expect(md.stdout).toMatch(/^- blocked rate: 100 % vs 0 %, difference \+100\.0 points, 95 % interval \+\d+\.\d to \+100\.0$/m);
  });
});
