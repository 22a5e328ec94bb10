// status --since with a date-time whose T and Z are written in lower case, which RFC 3339 allows
// and the API takes: read as the upper-case one, the same window and the same calls.
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('status --since in lower case', () => {
  it('takes 2026-12-01t00:00:00z as 2026-12-01T00:00:00Z', async () => {
    dir = await promptsIn('promptctl-since-lower-', { 'billing.yaml': BILLING_1_0 }, 'prompts');
    const cwd = dir.path;
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['run', 'billing', '--var', 'question=hi'], { cwd })).code).toBe(0);

    // An hour back, whole seconds: in the past whatever the clock says.
    const upper = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString().replace('.000Z', 'Z');
    const lower = upper.toLowerCase();
    expect(lower).toMatch(/^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}:\d{2}z$/);
    for (const since of [lower, lower.replace(/z$/, '+00:00'), lower.replace(/z$/, '')]) {
      const json = await runCliInProcess(['status', '--since', since, '--format', 'json'], { cwd });
      expect(json.code, json.stderr).toBe(0);
      const report = JSON.parse(json.stdout) as { interval: string; templates: Array<{ template: string; invocations: number }> };
      expect(report.interval.split('/')[0]).toBe(new Date(Date.parse(upper)).toISOString());
      expect(report.templates.find((t) => t.template === 'billing')?.invocations).toBe(1);
    }
    const text = await runCliInProcess(['status', '--since', lower], { cwd });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('billing (no traffic split): 1 call');
  });
});
