// A live object made by hand may have a name with a line break in it (the gateway and AI Studio
// take any non-blank name). The plan lists it (left alone, or a pending delete), and its file must
// still be a valid plan file: the schema's address pattern (`.+`) matched no line terminator, so
// `show` and `apply` refused the file promptctl had just written ("not a valid plan file").
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import { CLIENT_ID, CLIENT_SECRET } from '../helpers/emulator.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('a saved plan naming a live object whose name holds a line break', () => {
  it('is shown and applied as it was saved', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const gateway = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: s.emu.url, loginUrl: s.emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    try {
      await gateway.createFilter({ name: 'legacy\nfilter', enabled: true, priority: 50, categories: ['pii'], action: 'flag_and_pass', thresholds: { pii: 0.5 }, falsePositiveTolerance: 0.1 });
      await gateway.createTemplate({ name: 'hand\u2028made', model: 'gpt-4o' });
    } finally {
      await gateway.close();
    }
    const planned = await s.cli(['plan', '--out', 'plan.json']);
    expect(planned.code, planned.stderr).toBe(0);

    const shown = await s.cli(['show', 'plan.json', '--format', 'json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).unmanaged.map((u: { address: string }) => u.address).sort()).toEqual(['PromptTemplate/hand\u2028made', 'SafetyFilter/legacy\nfilter']);
    const applied = await s.cli(['apply', 'plan.json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('plan.json: still current');
  });
});
