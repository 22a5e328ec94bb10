// The status markdown's template heading counts its calls as the text does: "1 call", not "1 calls".
import { describe, expect, it } from 'vitest';
import type { StatusReport } from '../../../src/evals/types.js';
import { renderStatus } from '../../../src/views/status.js';

const report: StatusReport = {
  target: 'test',
  interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z',
  since: '7d',
  templates: [{ template: 'billing', templateId: 't1', invocations: 1, versions: [], notes: [] }],
  method: [],
};

describe('status markdown heading', () => {
  it('says 1 call like the text view', () => {
    expect(renderStatus(report, 'text')).toMatch(/: 1 call$/m);
    expect(renderStatus(report, 'markdown')).toMatch(/: 1 call$/m);
  });
});
