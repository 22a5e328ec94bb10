// `promptctl status` and `promptctl run` on a target that does not serve the LLM Gateway (an org
// with AI Studio alone: the templates' listing answers 404). The 404 of a listing is said as plan
// says it, the surface the target does not serve, not as the raw call's failure.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
beforeEach(async () => {
  s = await scenario('basic', { surfaces: { llmgateway: false } });
});
afterEach(async () => {
  await s.close();
});

describe('a target without the LLM Gateway', () => {
  for (const args of [['status'], ['status', 'billing-assistant'], ['run', 'billing-assistant', '--var', 'customer_name=Ann']]) {
    it(`${args.join(' ')} says the target does not serve the LLM Gateway API`, async () => {
      const r = await s.cli(args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/error: the target does not serve the LLM Gateway API \(404 from GET \/api\/v2\/llmgateway\/prompttemplates\): it holds no prompt templates to (report on|run)\n/);
      expect(r.stderr).not.toMatch(/GET \/api\/v2\/llmgateway\/prompttemplates failed/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
