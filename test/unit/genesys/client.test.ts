import { describe, expect, it } from 'vitest';
import { createGatewayClient } from '../../../src/targets/llmgateway/client.js';
import { UserError } from '../../../src/util/errors.js';
import { gatewayWriteChecks } from '../../../src/kinds/index.js';

const base = { clientId: 'id-1234', clientSecret: 'secret-5678', targetLabel: 't' };

describe('createGatewayClient', () => {
  it('refuses to send credentials over plain http to a non-loopback host', () => {
    expect(() => createGatewayClient({ landed: gatewayWriteChecks, ...base, apiUrl: 'http://10.1.2.3:8080', loginUrl: 'https://login.example.com' })).toThrow(UserError);
    expect(() => createGatewayClient({ landed: gatewayWriteChecks, ...base, apiUrl: 'https://api.example.com', loginUrl: 'http://login.example.com' })).toThrow(
      /use https/,
    );
  });

  it('accepts https anywhere and http on loopback, sending nothing until first used', async () => {
    for (const url of ['https://api.mypurecloud.com', 'http://127.0.0.1:1', 'http://localhost:2']) {
      const c = createGatewayClient({ landed: gatewayWriteChecks, ...base, apiUrl: url, loginUrl: url });
      expect(c.targetLabel).toBe('t');
      expect(c.stats).toEqual({ requests: 0, retries: 0, rateLimited: 0 });
      await c.close();
    }
  });
});
