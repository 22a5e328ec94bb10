// Plan and apply straight through the engine against any gateway client, keeping no audit trail:
// for integration tests about what reaches the gateway, not about the trail.
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { executePlan, type ApplyResult } from '../../src/apply/executor.js';
import type { DesiredState } from '../../src/model/types.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { readLiveState } from '../../src/targets/live.js';
import { versionTokens } from '../../src/tokens/index.js';

/** An audit sink that records nothing. */
export const noAudit = { intent: async () => ({}) as never, outcome: async () => ({}) as never };

/** A plan of `desired` against what `api` reads now. */
export async function planAgainst(desired: DesiredState, api: GatewayApi): Promise<Plan> {
  return buildPlan(desired, await readLiveState({ gateway: api }), { prune: false, target: 'emulator', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
}

/** Runs the whole plan through `api`. */
export function applyPlan(plan: Plan, api: GatewayApi): Promise<ApplyResult> {
  return executePlan(plan, api, { audit: noAudit as never, correlations: createCorrelationTracker(), actor: 'a', commit: null });
}
