// `promptctl status` on a split of three routes (what `promote` leaves routinely: 72/18/10):
// each other version is compared with the baseline (the largest weight), each comparison with its
// 95 % intervals and a verdict, in text, markdown and JSON. Before, a split of more than two
// routes got no comparison and no verdict, even with one version failing every call.
// In-process against a real emulator on port 0.
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/**
 * Adds faq-bot 1.2.0, whose question may be 3 tokens at most (so every call below to it fails: a
 * limit the gateway judges, with the model's tokenizer), and routes the split over three versions.
 */
async function threeRoutes(project: EvalsProject, weights: [number, number, number]): Promise<void> {
  const api = project.emu.api;
  const t = (await api.listTemplates({ name: 'faq-bot' }))[0]!;
  await api.createVersion(t.id, {
    version: '1.2.0',
    systemInstruction: 'You answer questions about Acme orders, by plan.',
    userTemplate: 'Question: {{question}}',
    variables: [{ name: 'question', type: 'string', maxLength: 500, maxTokens: 3 }],
    maxTokens: 100,
  });
  await api.publishVersion(t.id, '1.2.0');
  const current = await api.getTraffic(t.id);
  await api.putTraffic(t.id, {
    strategy: 'random',
    routes: [
      { version: '1.0.0', weight: weights[0] },
      { version: '1.1.0', weight: weights[1] },
      { version: '1.2.0', weight: weights[2] },
    ],
    version: current?.version ?? 0,
  });
}

/** A dozen pinned runs, four to each version; those to 1.2.0 fail (their question is past its maxTokens). */
async function dozenRuns(project: EvalsProject): Promise<void> {
  for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
    for (let i = 0; i < 4; i++) {
      const r = await project.cli(['run', `faq-bot@${v}`, '--var', `question=How long does a refund take (${i})?`]);
      expect(r.code, r.stderr).toBe(v === '1.2.0' ? 1 : 0);
    }
  }
}

describe('promptctl status with a split of three routes', () => {
  it('compares each other version with the baseline: the failing one is told to route back, in JSON, text and markdown', async () => {
    p = await evalsProject();
    await threeRoutes(p, [34, 33, 33]);
    await dozenRuns(p);

    const json = await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h']);
    expect(json.code, json.stderr).toBe(0);
    const t = JSON.parse(json.stdout).templates[0];
    expect(t.invocations).toBe(12);
    // Two routes keep their one `comparison`; three or more have only `comparisons`.
    expect(t.comparison).toBeUndefined();
    expect(t.comparisons.map((c: { baseline: string; candidate: string }) => [c.baseline, c.candidate])).toEqual([
      ['1.0.0', '1.1.0'],
      ['1.0.0', '1.2.0'],
    ]);
    const [same, failing] = t.comparisons;
    expect(same.errors).toMatchObject({ estimate: 0, significant: false });
    expect(same.verdict).toMatch(/^1\.1\.0 vs 1\.0\.0: too few calls the model ran for to compare tokens \(4 for 1\.1\.0, 4 for 1\.0\.0; 30 each needed\), errors not different yet: keep collecting$/);
    expect(failing.errors).toMatchObject({ baselineRate: 0, candidateRate: 1, significant: true });
    expect(failing.errors.low).toBeGreaterThan(0);
    expect(failing.verdict).toMatch(/errors higher \(100 % vs 0 %\): consider routing 1\.2\.0's traffic back to 1\.0\.0$/);
    expect(t.notes).toContain('1.0.0 is the baseline, the route with the largest weight (34 %); 1.1.0 and 1.2.0 are each compared with it');

    const text = await p.cli(['status', 'faq-bot', '--since', '1h']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ {2}1\.1\.0 \(candidate\) vs 1\.0\.0 \(baseline\):$/m);
    expect(text.stdout).toMatch(/^ {2}1\.2\.0 \(candidate\) vs 1\.0\.0 \(baseline\):$/m);
    expect(text.stdout).toMatch(/^ {4}error rate: 100 % vs 0 %, difference \+100\.0 points, 95 % interval \+\d+\.\d to \+100\.0$/m);
    // No version had a block: no blocked-rate line, as the verdict says nothing of blocks.
    expect(text.stdout).not.toMatch(/blocked rate:/);
    expect(text.stdout.match(/^ {2}verdict: /gm)).toHaveLength(2);
    expect(text.stdout).toMatch(/^ {2}verdict: .*consider routing 1\.2\.0's traffic back to 1\.0\.0$/m);

    const md = await p.cli(['status', 'faq-bot', '--since', '1h', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(0);
    // Each verdict names its pair once, in its title.
    expect(md.stdout).toMatch(/^\*\*Verdict, 1\.1\.0 vs 1\.0\.0:\*\* too few calls the model ran for to compare tokens \(4 for 1\.1\.0, 4 for 1\.0\.0; 30 each needed\), errors not different yet: keep collecting$/m);
    expect(md.stdout).toMatch(/^\*\*Verdict, 1\.2\.0 vs 1\.0\.0:\*\* .*consider routing 1\.2\.0's traffic back to 1\.0\.0$/m);
  });

  it('a tie for the largest weight makes the lower version the baseline, and a note says so', async () => {
    p = await evalsProject();
    await threeRoutes(p, [20, 40, 40]);
    await dozenRuns(p);
    const json = await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h']);
    expect(json.code, json.stderr).toBe(0);
    const t = JSON.parse(json.stdout).templates[0];
    expect(t.comparisons.map((c: { baseline: string; candidate: string }) => [c.baseline, c.candidate])).toEqual([
      ['1.1.0', '1.0.0'],
      ['1.1.0', '1.2.0'],
    ]);
    expect(t.notes).toContain('1.1.0 and 1.2.0 share the largest weight (40 %): the lower version, 1.1.0, is the baseline; 1.0.0 and 1.2.0 are each compared with it');
  });

  it('no calls yet: each comparison says why there is no verdict, and so do the notes', async () => {
    p = await evalsProject();
    await threeRoutes(p, [72, 18, 10]);
    const json = await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h']);
    expect(json.code, json.stderr).toBe(0);
    const t = JSON.parse(json.stdout).templates[0];
    expect(t.comparisons.map((c: { verdict: string }) => c.verdict)).toEqual([
      'no calls to 1.0.0 or 1.1.0 yet: nothing to compare',
      'no calls to 1.0.0 or 1.2.0 yet: nothing to compare',
    ]);
    expect(t.notes).toContain('no verdict for 1.1.0 vs 1.0.0: neither has had a call in the interval');
    expect(t.notes).toContain('no verdict for 1.2.0 vs 1.0.0: neither has had a call in the interval');
  });
});
