// `promptctl status` against a real emulator on port 0, in-process, for two defects a review
// found by checking every number by hand:
// - calls refused before a version was chosen (pinned to a version that does not exist: 404) were
//   in every share: half of a 70/30 split's calls so refused read "1.0.0 35 % (70 %)" with a note
//   blaming pinned calls or a split change. Shares are now of the calls that reached a version;
//   the refused ones are a row of their own with no share, and a note says why.
// - a split whose candidate runs another model (a version's `model`, DESIGN §2) was judged on
//   tokens alone: a candidate costing several times more per call "uses … fewer tokens". Cost per
//   call is now compared too (a `cost per call` line, JSON `cost`), and leads the verdict when the
//   routes' models differ.
// - and that judgement read the models as they are now, not as the calls ran: a version naming no
//   model takes the template's, which may have changed during the interval (all of 1.0.0's calls
//   on gpt-4o-mini, the template then switched to gpt-4o, read "1.2.0 runs gpt-4o-mini and 1.0.0
//   gpt-4o"; the reverse brought the token verdict back). Status now says it cannot tell, and the
//   verdict says what both tokens and cost per call show.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/genesys/errors.js';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** Routes faq-bot's split as `routes` (weights in percent). */
async function route(project: EvalsProject, routes: Array<{ version: string; weight: number }>): Promise<void> {
  const api = project.emu.api;
  const t = (await api.listTemplates({ name: 'faq-bot' }))[0]!;
  const current = await api.getTraffic(t.id);
  await api.putTraffic(t.id, { strategy: 'random', routes, version: current?.version ?? 0 });
}

describe('status: calls refused before a version was chosen', () => {
  it('are in no share: the routed versions share the calls that reached one, and no note blames the split', async () => {
    // Seeded: the split's draws are the same every run.
    p = await evalsProject({}, { seed: 11 });
    await route(p, [
      { version: '1.0.0', weight: 70 },
      { version: '1.1.0', weight: 30 },
    ]);
    for (let i = 0; i < 100; i++) {
      try {
        await p.emu.api.invoke({ template: 'faq-bot', ...(i % 2 ? { version: '9.9.9' } : {}), variables: { question: `Where is my parcel (${i})?` } });
        expect(i % 2).toBe(0);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 404) throw err;
      }
    }

    const json = await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h']);
    expect(json.code, json.stderr).toBe(0);
    const t = JSON.parse(json.stdout).templates[0];
    expect(t.invocations).toBe(100);
    const [a, b, none] = t.versions;
    expect(a.invocations + b.invocations).toBe(50);
    expect(a.share).toBeCloseTo(a.invocations / 50, 10);
    expect(b.share).toBeCloseTo(b.invocations / 50, 10);
    expect(none).toMatchObject({ version: null, invocations: 50, errors: 50, share: null });
    const refused = '50 calls were refused before a version was chosen: they are not in the shares, which are of the calls that reached a version';
    expect(t.notes).toContain(refused);
    expect(t.notes.join('\n')).not.toMatch(/received .* of calls against a weight/);

    const text = await p.cli(['status', 'faq-bot', '--since', '1h']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^  1\\.0\\.0 +${a.invocations} +${Math.round(a.share * 100)} % \\(70 %\\)`, 'm'));
    expect(text.stdout).toMatch(/^ {2}\(none\) +50 +— +50 \(100 %\)/m);
    expect(text.stdout).toContain(`note: ${refused}`);
    expect(text.stdout).toMatch(/share: of the calls that reached a version, pinned calls included; calls refused before a version was chosen are counted on their own, in no share/);

    const md = await p.cli(['status', 'faq-bot', '--format', 'markdown', '--since', '1h']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^\| \(none\) \| 50 \| — \| 50 \(100 %\) \|/m);
    expect(md.stdout).not.toMatch(/received/);
  });
});

describe('status: a candidate on another model', () => {
  it('compares cost per call, and the verdict leads with it rather than with fewer tokens', async () => {
    p = await evalsProject({}, { responses: [] });
    const api = p.emu.api;
    const t = (await api.listTemplates({ name: 'faq-bot' }))[0]!;
    // Shorter answers on a dearer model (the template's is gpt-4o-mini).
    await api.createVersion(t.id, {
      version: '1.2.0',
      systemInstruction: 'You answer questions about Acme orders. Be brief.',
      userTemplate: 'Question: {{question}}',
      variables: [{ name: 'question', type: 'string', maxLength: 500 }],
      maxTokens: 60,
      model: 'gpt-4o',
    });
    await api.publishVersion(t.id, '1.2.0');
    await route(p, [
      { version: '1.0.0', weight: 60 },
      { version: '1.2.0', weight: 40 },
    ]);
    for (const v of ['1.0.0', '1.2.0']) {
      for (let i = 0; i < 40; i++) await api.invoke({ template: 'faq-bot', version: v, variables: { question: `Where is my parcel number ${i}?` } });
    }

    const json = await p.cli(['status', 'faq-bot', '--format', 'json', '--since', '1h']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout).templates[0];
    const c = report.comparison;
    expect(c.tokens).toMatchObject({ significant: true });
    expect(c.tokens.estimate).toBeLessThan(0);
    expect(c.models).toEqual({ baseline: 'gpt-4o-mini', candidate: 'gpt-4o' });
    expect(c.cost).toMatchObject({ significant: true, method: 'bounded by the observed range (conservative)' });
    expect(c.cost.low).toBeGreaterThan(0);
    const [base, cand] = report.versions;
    // In dollars, as the versions' costUsd: the difference of their means.
    expect(c.cost.estimate).toBeCloseTo(cand.costUsd.mean - base.costUsd.mean, 9);
    const times = (cand.costUsd.mean / base.costUsd.mean).toFixed(1);
    expect(c.verdict).toBe(`1.2.0 costs ${times}× more per call, errors not different yet: keep collecting`);
    expect(report.notes).toContain('1.2.0 runs gpt-4o and 1.0.0 gpt-4o-mini: their tokens are priced (and may be counted) differently, so the verdict compares cost per call, not tokens');

    const text = await p.cli(['status', 'faq-bot', '--since', '1h']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^ {4}tokens per call: −.*\n {4}cost per call: \+\$0\.\d+ \(\+\d+\.\d %\), 95 % interval \+\$0\.\d+ to \+\$0\.\d+ \(\+\d+\.\d % to \+\d+\.\d %\); spread: bounded by the observed range \(conservative\)\n {4}error rate: /m,
    );
    expect(text.stdout).toContain(`  verdict: ${c.verdict}`);

    const md = await p.cli(['status', 'faq-bot', '--format', 'markdown', '--since', '1h']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain(`**Verdict:** ${c.verdict}`);
    // Markdown escapes the dollar sign (a math delimiter on GitHub).
    expect(md.stdout).toMatch(/^- cost per call: \+\\\$0\.\d+ /m);
  });
});

describe('status: the template\'s model changed during the interval', () => {
  /**
   * sticky-bot split 50/50, sticky: 1.0.0 takes the template's model (`model`), 1.2.0 runs
   * gpt-4o-mini of its own and answers shorter; 120 calls, each with its routing key; then the
   * template's model switched to `after`.
   */
  async function switched(model: string, after: string): Promise<EvalsProject> {
    const project = await evalsProject({}, { responses: [] });
    const api = project.emu.api;
    const t = await api.createTemplate({ name: 'sticky-bot', model });
    const v = { systemInstruction: 'Greet the customer.', userTemplate: 'Customer: {{customer}}', variables: [{ name: 'customer', type: 'string' as const, maxLength: 40 }] };
    await api.createVersion(t.id, { version: '1.0.0', ...v, maxTokens: 120 });
    await api.createVersion(t.id, { version: '1.2.0', ...v, maxTokens: 60, model: 'gpt-4o-mini' });
    for (const label of ['1.0.0', '1.2.0']) await api.publishVersion(t.id, label);
    await api.putTraffic(t.id, { strategy: 'sticky', stickyKey: 'customer', routes: [{ version: '1.0.0', weight: 50 }, { version: '1.2.0', weight: 50 }], version: 0 });
    for (let i = 0; i < 120; i++) await api.invoke({ template: 'sticky-bot', routingKey: `w${i}`, variables: { customer: `customer ${i}` } });
    const live = await api.getTemplate(t.id);
    await api.updateTemplate(t.id, { name: live.name, model: after, labels: live.labels, version: live.version });
    return project;
  }

  const unknown = (now: string) =>
    new RegExp(`^1\\.0\\.0 takes the template's model, ${now} now, but the template was modified at \\S+, inside the interval \\(1\\.2\\.0 runs gpt-4o-mini of its own\\): which model 1\\.0\\.0's calls ran on is unknown, so the verdict says what both tokens and cost per call show$`);

  it('all on gpt-4o-mini, the template then switched to gpt-4o: not "1.0.0 runs gpt-4o", and no verdict on cost alone', async () => {
    p = await switched('gpt-4o-mini', 'gpt-4o');
    const json = await p.cli(['status', 'sticky-bot', '--format', 'json', '--since', '1h']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout).templates[0];
    const c = report.comparison;
    expect(c.models).toBeUndefined();
    expect(c.modelsUnknown).toEqual(['1.0.0']);
    expect(report.notes.join('\n')).not.toMatch(/runs gpt-4o and|1\.0\.0 gpt-4o/);
    expect(report.notes.filter((n: string) => unknown('gpt-4o').test(n))).toHaveLength(1);
    // The same model on both sides all along: fewer tokens is what shows (and less cost, when it stands out).
    expect(c.tokens).toMatchObject({ significant: true });
    expect(c.verdict).toMatch(/^1\.2\.0 uses \d+ % fewer tokens( and costs \d+ % less per call)?, errors not different yet: keep collecting$/);

    const text = await p.cli(['status', 'sticky-bot', '--since', '1h']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`  verdict: ${c.verdict}`);
    expect(text.stdout).toMatch(/^ {2}note: 1\.0\.0 takes the template's model, gpt-4o now, but the template was modified at /m);
  });

  it('1.0.0 on gpt-4o, the template then switched to gpt-4o-mini: the models match now, yet the verdict is not on tokens alone', async () => {
    p = await switched('gpt-4o', 'gpt-4o-mini');
    const json = await p.cli(['status', 'sticky-bot', '--format', 'json', '--since', '1h']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout).templates[0];
    const c = report.comparison;
    expect(c.modelsUnknown).toEqual(['1.0.0']);
    expect(report.notes.filter((n: string) => unknown('gpt-4o-mini').test(n))).toHaveLength(1);
    // 1.0.0's calls ran on gpt-4o, 16× dearer a token: what the cost shows is said.
    expect(c.cost).toMatchObject({ significant: true });
    expect(c.verdict).toMatch(/costs \d+ % less per call, errors not different yet: keep collecting$/);
  });
});
