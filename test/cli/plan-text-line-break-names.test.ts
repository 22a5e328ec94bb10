// A live object's name made by hand may hold a line break or a CR (the gateway takes any non-blank
// name). The text plan printed it raw, one object on two lines, so such a name could forge a line
// of the plan ("  - delete SafetyFilter/…" that the plan does not make) or, with a CR, overwrite
// the line it is on. Names are printed with their line breaks as escapes.
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import { CLIENT_ID, CLIENT_SECRET } from '../helpers/emulator.js';
import { plannedChanges, scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('the text plan of a live object whose name holds a line break', () => {
  it('keeps it on its own line, the break shown as an escape', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const gateway = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: s.emu.url, loginUrl: s.emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    try {
      const forged = 'x\n  - delete SafetyFilter/billing-pii-guard ⚠ destructive\r';
      await gateway.createFilter({ name: forged, enabled: true, priority: 50, categories: ['pii'], action: 'flag_and_pass', thresholds: { pii: 0.5 }, falsePositiveTolerance: 0.1 });
    } finally {
      await gateway.close();
    }
    const r = await s.cli(['plan']);
    expect(r.code, r.stderr).toBe(0);
    expect(plannedChanges(r.stdout)).toEqual([]);
    expect(r.stdout).not.toMatch(/\r/);
    expect(r.stdout).toContain('  · SafetyFilter/x\\u000a  - delete SafetyFilter/billing-pii-guard ⚠ destructive\\u000d — not in git');
  });
});
