// Large invocation inputs (well under the 10 MiB body cap) are answered promptly: the safety
// scorers run in linear time, so one big variable cannot stall the emulator for everyone.
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { boot, filterBody } from './emulator-fixture.js';

describe('a large variable value', () => {
  it('is scored and redacted in linear time (an e-mail at the end of a long word still found)', { timeout: 20_000 }, async () => {
    const { em, api } = await boot({ publishDelayMs: 1 });
    try {
      expect((await api.post(paths.filters(), filterBody('pii-redact', 1))).status).toBe(201);
      const id = await api.template('big-input');
      const made = await api.post(paths.versions(id), {
        version: '1.0.0',
        systemInstruction: 'Answer briefly.',
        userTemplate: 'Question: {{question}}',
        variables: [{ name: 'question', type: 'string' }],
      });
      expect(made.status).toBe(201);
      expect((await api.publish(id, '1.0.0')).status).toBe('Succeeded');

      // 400 KB of letters without an '@' took minutes: the e-mail pattern rescanned the run from every position.
      const question = `${'a'.repeat(400_000)} write to bob@example.com`;
      const started = performance.now();
      const r = await api.post(paths.invocations(), { template: 'big-input', variables: { question } });
      const elapsed = performance.now() - started;
      expect(r.status).toBe(200);
      expect(r.body.filters).toEqual([expect.objectContaining({ name: 'pii-redact', category: 'pii', action: 'redact_and_log', applied: true })]);
      expect(elapsed).toBeLessThan(10_000);
    } finally {
      await em.close();
    }
  });
});
