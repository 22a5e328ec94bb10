// A model's answer as a test run observes it, for the test-result views' hand-made reports.
import type { Observation } from '../../src/evals/types.js';

/** An answered call with `output` and fixed usage, cost and timings. */
export function answered(output: string): Observation {
  return {
    outcome: 'answered',
    version: '1.1.0',
    output,
    usage: { promptTokens: 90, completionTokens: 10, totalTokens: 100 },
    costUsd: 0.0002,
    latencyMs: 120,
    wallMs: 150,
    filters: [],
  };
}
