// How a target's error reads on stderr: once each, the call, status, code and correlation id.
import { describe, expect, it } from 'vitest';
import { apiErrorLine } from '../../src/cli/main.js';
import { ApiError } from '../../src/genesys/errors.js';

describe('apiErrorLine', () => {
  it('adds nothing the transport message already says (it names the call, status, code and correlation id)', () => {
    const err = new ApiError(
      'GET /api/v2/guides failed: 403 missing.any.permissions: this client lacks the permissions for /api/v2/guides (correlation id c-1)',
      403,
      'missing.any.permissions',
      'c-1',
      'GET',
      '/api/v2/guides',
    );
    const line = apiErrorLine(err);
    expect(line).toBe(err.message);
    expect(line.split('c-1')).toHaveLength(2);
  });

  it('adds what a short message leaves out, and no HTTP status for a transport failure', () => {
    expect(apiErrorLine(new ApiError('the version was deleted meanwhile', 409, 'version.gone', 'c-2', 'PATCH', '/api/v2/llmgateway/prompttemplates/t/versions/1.0.0'))).toBe(
      'the version was deleted meanwhile (PATCH /api/v2/llmgateway/prompttemplates/t/versions/1.0.0, HTTP 409, version.gone, correlation id c-2)',
    );
    expect(apiErrorLine(new ApiError('connection reset', 0, 'network.error', undefined))).toBe('connection reset (network.error)');
  });
  it('does not take a status inside an id for the status said', () => {
    const id = '5e1f4090-7c2b-4d3e-9409-2a6b8c1d0e3f';
    expect(apiErrorLine(new ApiError(`version 1.0.0 of prompt template ${id} already exists with different content`, 409, 'version.exists', undefined, 'POST', `/api/v2/llmgateway/prompttemplates/${id}/versions`))).toBe(
      `version 1.0.0 of prompt template ${id} already exists with different content (POST /api/v2/llmgateway/prompttemplates/${id}/versions, HTTP 409, version.exists)`,
    );
  });
});
