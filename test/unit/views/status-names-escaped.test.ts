// A template's name in status comes from the org, where it may be anything: an ESC or a line
// break (which would drive or forge terminal lines), a backtick (which would close the markdown
// heading's code span and let a link or HTML after it render in a PR comment or job summary).
import { describe, expect, it } from 'vitest';
import type { StatusReport } from '../../../src/evals/types.js';
import { renderStatus } from '../../../src/views/status.js';

const report = (template: string): StatusReport => ({
  target: 'test',
  interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z',
  since: '7d',
  templates: [{ template, templateId: 't1', invocations: 2, versions: [], notes: [] }],
  method: [],
});

describe('status names from the org', () => {
  it('shows control characters and line breaks visibly in text', () => {
    const text = renderStatus(report('x\u001b]0;pwned\u0007\nforged line'), 'text');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text).toContain('x\\u001b]0;pwned\\u0007\\u000aforged line (no traffic split): 2 calls');
  });

  it('keeps a name with backticks inside its code span in markdown', () => {
    const md = renderStatus(report('q` [phish](https://evil.example) <b>x</b> `z'), 'markdown');
    expect(md).toContain('#### `` q` [phish](https://evil.example) <b>x</b> `z `` (no traffic split): 2 calls');
  });
});
