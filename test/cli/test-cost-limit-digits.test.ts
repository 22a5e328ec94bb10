// A maxCostUsd assertion that fails by less than the cost's usual digits show: the detail says the
// cost to as many decimals as tell it from the limit, never "maxCostUsd $0.14: $0.14", which reads
// as a pass. The price is the Config's (a model priced so that the call, 16 prompt tokens as
// OpenAI counts "Answer." and "Q: hi" with their roles, costs $0.1400000014).
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { questionBot } from '../helpers/documents.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  models:
    pricey-model: {encoding: o200k_base, contextWindow: 128000, inputCostPer1M: 8750.0000875, outputCostPer1M: 0}
`;

const PROMPTS = (limit: string, not = false): string =>
  questionBot({ template: 'cost-bot', model: 'pricey-model', test: 'cost-check', caseName: 'cheap enough', expect: `maxCostUsd: ${limit}${not ? '\n          not: true' : ''}` });

describe('maxCostUsd beside a cost that rounds to it', () => {
  it('says the cost to the digits that show it is above the limit', async () => {
    dir = await promptsIn('promptctl-cost-digits-', { 'promptctl.yaml': CONFIG, 'all.yaml': PROMPTS('0.14') }, 'prompts');
    const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path });
    expect(applied.code, applied.stderr).toBe(0);

    const r = await runCliInProcess(['test'], { cwd: dir.path });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('maxCostUsd $0.14: $0.140000001');
    expect(r.stdout).not.toContain('maxCostUsd $0.14: $0.14\n');

    const junit = await runCliInProcess(['test', '--format', 'junit'], { cwd: dir.path });
    expect(junit.stdout).toContain('>maxCostUsd $0.14: $0.140000001</failure>');
  });

  it('says it so too when not: true fails on a cost just below the limit', async () => {
    dir = await promptsIn('promptctl-cost-digits-', { 'promptctl.yaml': CONFIG, 'all.yaml': PROMPTS('0.140000002', true) }, 'prompts');
    const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path });
    expect(applied.code, applied.stderr).toBe(0);

    const r = await runCliInProcess(['test'], { cwd: dir.path });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('not maxCostUsd $0.14: $0.140000001');
  });
});
