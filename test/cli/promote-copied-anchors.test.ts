// A route promote adds is written in the layout of an existing one, but without that route's
// anchors (&name): copied, "&stable" would name another version, and one anchor defined twice
// makes every alias after it mean the copy.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { dir } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';

const ANCHORED = `apiVersion: promptctl/v1
kind: TrafficSplit
spec:
  template: billing-assistant
  routes:
    - version: &stable "1.0.0"
      weight: 80
    - version: &canary "1.1.0"
      weight: 20
  environments:
    prod:
      routes:
        - version: *stable
          weight: 95
        - version: *canary
          weight: 5
`;

describe('promote writes new routes without the anchors of the route it copies', () => {
  it("an environment's own routes", async () => {
    const cwd = dir();
    copyExamplePrompts(cwd);
    writeFileSync(join(cwd, SPLIT), ANCHORED);
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '50', '--env', 'staging'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    const own = '    staging:\n      routes:\n        - version: "1.0.0"\n          weight: 50\n        - version: "1.1.0"\n          weight: 50\n';
    expect(readFileSync(join(cwd, SPLIT), 'utf8')).toBe(`${ANCHORED}${own}`);
  });

  it('a version not routed yet', async () => {
    const cwd = dir();
    cpSync(join(REPO, 'prompts'), join(cwd, 'prompts'), { recursive: true });
    const file = join(cwd, 'prompts/support-triage/traffic.yaml');
    const anchored = readFileSync(file, 'utf8').replace('- version: "2.1.0-beta.1"', '- version: &beta "2.1.0-beta.1"');
    writeFileSync(file, anchored);
    const r = await runCliInProcess(['promote', 'support-triage', '1.0.0', '--weight', '50'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      anchored.replace('weight: 90', 'weight: 45').replace('      weight: 10\n', '      weight: 5\n    - version: "1.0.0"\n      weight: 50\n'),
    );
  });
});
