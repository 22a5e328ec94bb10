// `promptctl run`: the cost on stderr is the cost the gateway reported, to three significant
// digits as status shows it, not cut to whole millionths of a dollar ($0.0000702, not $0.00007).
import { afterEach, describe, expect, it } from 'vitest';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

describe('promptctl run cost', () => {
  it('the summary line shows the cost the JSON document holds', async () => {
    p = await evalsProject();
    for (const question of ['hi', 'Where is my parcel?', 'How long does a refund take?']) {
      const r = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${question}`, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { costUsd: number };
      const shown = /· cost \$([\d.]+) ·/.exec(r.stderr)?.[1];
      expect(shown, r.stderr).toBeDefined();
      expect(Math.abs(Number(shown) - doc.costUsd) / doc.costUsd, `${shown} vs ${doc.costUsd}`).toBeLessThan(0.005);
    }
  });
});
