// How a failed answer that is no ErrorBody reads in a message: cut short with a mark, so that
// output masking (util/secrets.ts maskClipped) finds the start of a secret the cut leaves.
import { describe, expect, it } from 'vitest';
import { errorParts } from '../../../src/genesys/failures.js';
import { maskClipped, maskSecrets, withEscapedForms } from '../../../src/util/secrets.js';

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
