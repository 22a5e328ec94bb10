// A route promote adds (a version not routed yet, or an environment's own routes) is written in
// the layout of an existing one, but without that route's comments: they were said about another
// version ("# the safe one"), and copied they would say it of the wrong one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { dir } = scratch();

const SPLITS = `apiVersion: promptctl/v1
kind: TrafficSplit
spec:
  template: billing-assistant
  routes:
    - version: "1.0.0"   # the safe one
      weight: 80
    - version: "1.1.0"
      weight: 20
---
apiVersion: promptctl/v1
kind: TrafficSplit
spec:
  template: support-triage
  strategy: sticky
  stickyKey: conversationId
  routes:
    - version: "2.0.0"
      weight: 90
    - version: "2.1.0-beta.1"
      # the candidate
      weight: 10 # a tenth
`;

/** The example prompts with both splits in one file, promptctl.yaml without a promotion order. */
function project(): string {
  const cwd = dir();
  copyExamplePrompts(cwd);
  writeFileSync(join(cwd, 'prompts/billing-assistant/traffic.yaml'), SPLITS);
  writeFileSync(join(cwd, 'prompts/support-triage/traffic.yaml'), '');
  return cwd;
}

describe('promote writes new routes without the comments of the route it copies', () => {
  it('a version not routed yet', async () => {
    const cwd = project();
    const r = await runCliInProcess(['promote', 'support-triage', '1.0.0', '--weight', '50'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'prompts/billing-assistant/traffic.yaml'), 'utf8')).toBe(
      SPLITS.replace('weight: 90', 'weight: 45').replace('weight: 10 # a tenth\n', 'weight: 5 # a tenth\n    - version: "1.0.0"\n      weight: 50\n'),
    );
  });

  it("an environment's own routes", async () => {
    const cwd = project();
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '50', '--env', 'staging'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    const own = '  environments:\n    staging:\n      routes:\n        - version: "1.0.0"\n          weight: 50\n        - version: "1.1.0"\n          weight: 50\n';
    expect(readFileSync(join(cwd, 'prompts/billing-assistant/traffic.yaml'), 'utf8')).toBe(SPLITS.replace('      weight: 20\n', `      weight: 20\n${own}`));
  });
});
