// status of many templates says those without a call in one line, not a table of dashes and
// "no calls yet" notes each: at 1,000 templates with no calls it printed 10,007 lines (scale
// review). One template asked for is still shown whole; JSON keeps every template.
import { describe, expect, it } from 'vitest';
import type { StatusReport, TemplateStatus } from '../../../src/evals/types.js';
import { renderStatus } from '../../../src/views/status.js';

const idle = (name: string): TemplateStatus => ({
  template: name,
  templateId: `id-${name}`,
  split: { strategy: 'random', routes: [{ version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 50 }] },
  invocations: 0,
  versions: [{ version: '1.0.0', invocations: 0, share: null, weight: 50, errors: 0, errorRate: null, blocked: 0, blockedRate: null } as TemplateStatus['versions'][number]],
  notes: ['no calls to 1.0.0 or 1.1.0 yet: no verdict'],
});
const busy: TemplateStatus = { template: 'billing', templateId: 't1', invocations: 3, versions: [], notes: [] };
const report = (templates: TemplateStatus[]): StatusReport => ({ target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d', templates, method: [] });

describe('status of templates without calls', () => {
  it('says them on one line after those with calls, in text and markdown', () => {
    const r = report([idle('alpha'), busy, idle('beta')]);
    const text = renderStatus(r, 'text');
    expect(text).toMatch(/^billing \(no traffic split\): 3 calls$/m);
    expect(text).toContain('No calls to 2 templates: alpha, beta.');
    expect(text).not.toContain('alpha (split');
    expect(text).not.toContain('no calls to 1.0.0');
    const md = renderStatus(r, 'markdown');
    expect(md).toContain('**No calls** to 2 templates: `alpha`, `beta`.');
    expect(md).not.toContain('#### `alpha`');
    expect(JSON.parse(renderStatus(r, 'json')).templates.map((t: TemplateStatus) => t.template)).toEqual(['alpha', 'billing', 'beta']);
  });

  it('names 20 of them at most, counting the rest, at any size', () => {
    const many = Array.from({ length: 1000 }, (_, i) => idle(`tpl-${String(i).padStart(4, '0')}`));
    const text = renderStatus(report(many), 'text');
    expect(text.split('\n').length).toBeLessThan(10);
    expect(text).toContain('No calls to 1,000 templates: tpl-0000, tpl-0001,');
    expect(text).toContain('tpl-0019, and 980 more (`--format json` lists each).');
    expect(text).not.toContain('tpl-0020');
  });

  it('shows the one template asked for whole, calls or none', () => {
    const text = renderStatus(report([idle('alpha')]), 'text');
    expect(text).toMatch(/^alpha \(split random: 1\.0\.0 50 %, 1\.1\.0 50 %\): 0 calls$/m);
    expect(text).toContain('note: no calls to 1.0.0 or 1.1.0 yet: no verdict');
  });
});
