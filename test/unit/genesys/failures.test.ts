// How a failed answer that is no ErrorBody reads in a message: cut short with a mark, so that
// output masking (util/secrets.ts maskClipped) finds the start of a secret the cut leaves.
import { describe, expect, it } from 'vitest';
import { errorParts, jobFailed } from '../../../src/genesys/failures.js';
import { maskClipped, maskSecrets } from '../../../src/util/secrets.js';
import { withEscapedForms } from '../../../src/util/secret-forms.js';

const res = (body: unknown) => ({ status: 502, headers: {}, body, correlationId: 'c' });

describe('errorParts of an answer that is not an ErrorBody', () => {
  it('quotes a long text cut at 200 characters with a mark, and a short one whole', () => {
    expect(errorParts(res('Bad   gateway\n from the proxy'))).toEqual({ code: 'http.502', message: 'Bad gateway from the proxy' });
    const long = `${'x'.repeat(180)} token=ghp_0123456789abcdefghij0123456789abcdef end`;
    const { message } = errorParts(res(long));
    expect(message).toHaveLength(201);
    expect(message.endsWith('\u2026')).toBe(true);
    // The cut leaves "ghp_012345678…" of a known secret: masked, as output is.
    const secrets = withEscapedForms([{ name: 'GH_TOKEN', value: 'ghp_0123456789abcdefghij0123456789abcdef' }]);
    expect(maskClipped(maskSecrets(message, secrets), secrets)).toMatch(/token=\[redacted: GH_TOKEN\]\u2026$/);
  });
});

describe('jobFailed', () => {
  it("shows a job id as one line: a server's id with a line break in it cannot forge a line of the output", () => {
    const err = jobFailed('publishing version 1.0.0', { id: 'j1\nPlan: 0 to create\u202e', errors: [{ code: 'bad', message: 'no\nway', status: 400 }] }, 'POST', '/x', (t) => t);
    expect(err.message).toBe('publishing version 1.0.0 failed (job j1\\u000aPlan: 0 to create\\u202e): bad: no way');
    expect(err.message).not.toContain('\n');
  });
});
