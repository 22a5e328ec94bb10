// On the embedded emulator an answer's cost is priced by promptctl's own model registry, and
// maxCostUsd judges it. A cached answer kept the cost of the prices it was made with: after an
// upgrade that changes a built-in price, maxCostUsd passed or failed on a stale figure. The prices
// a call is priced with are now part of its key there; a real org's results, priced by the server,
// keep theirs.
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { questionBot } from '../helpers/documents.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BUILT_IN_MODELS, type ModelInfo } from '../../src/tokens/registry.js';
import { planTests } from '../../src/evals/render.js';
import { loadProject } from '../../src/load/index.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const PROMPTS = questionBot({ template: 'cost-bot', model: 'gpt-4o-mini', test: 'cost-check', caseName: 'cheap enough', expect: 'maxCostUsd: 0.001' });

/** Runs `body` with gpt-4o-mini's built-in input price set to `price`, as an upgrade that changes it would. */
async function withPrice<T>(price: number, body: () => Promise<T>): Promise<T> {
  const model = BUILT_IN_MODELS.get('gpt-4o-mini') as ModelInfo;
  const was = model.inputCostPer1M;
  model.inputCostPer1M = price;
  try {
    return await body();
  } finally {
    model.inputCostPer1M = was;
  }
}

describe('the test cache and the built-in model prices', () => {
  it('makes the call again on the embedded emulator once a built-in price changed, so maxCostUsd judges the new cost', async () => {
    dir = await promptsIn('promptctl-cache-prices-', { 'all.yaml': PROMPTS }, 'prompts');
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path })).code).toBe(0);
    const cheap = await runCliInProcess(['test'], { cwd: dir.path });
    expect(cheap.code, cheap.stdout + cheap.stderr).toBe(0);

    const dear = await withPrice(1_000_000, () => runCliInProcess(['test'], { cwd: dir!.path }));
    expect(dear.code, dear.stdout + dear.stderr).toBe(1);
    expect(dear.stdout).toMatch(/maxCostUsd \$0\.001: \$\d/);
  });

  it("keys a real org's calls as before: the server prices its answers", async () => {
    dir = await promptsIn('promptctl-cache-prices-', { 'all.yaml': PROMPTS }, 'prompts');
    const { state } = await loadProject({ cwd: dir.path, dir: 'prompts' });
    const keys = (localPrices: boolean): string[] =>
      planTests(state!, state!.tests, { targetLabel: 'https://api.example.com', ...(localPrices ? { localPrices: true as const } : {}) }).flatMap((t) => t.calls.map((c) => c.key));
    const remote = keys(false);
    const embedded = keys(true);
    await withPrice(1_000_000, async () => {
      expect(keys(false)).toEqual(remote);
      expect(keys(true)).not.toEqual(embedded);
    });
  });
});
