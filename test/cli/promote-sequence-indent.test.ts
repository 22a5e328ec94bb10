// Routes written with more than one space after the dash ("-   version:", as some formatters
// indent sequences) are valid YAML: a route promote adds keeps the same gap, so its keys line up
// and the file still parses.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { dir } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';

const WIDE = `apiVersion: promptctl/v1
kind: TrafficSplit
spec:
    template: billing-assistant
    routes:
    -   version: "1.0.0"
        weight: 80
    -   version: "1.1.0"
        weight: 20
`;

function project(): string {
  const cwd = dir();
  copyExamplePrompts(cwd);
  writeFileSync(join(cwd, SPLIT), WIDE);
  return cwd;
}

describe('promote on routes indented past the dash', () => {
  it("adds an environment's own routes in the same layout", async () => {
    const cwd = project();
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '50', '--env', 'staging'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    const own = '    environments:\n        staging:\n            routes:\n            -   version: "1.0.0"\n                weight: 50\n            -   version: "1.1.0"\n                weight: 50\n';
    expect(readFileSync(join(cwd, SPLIT), 'utf8')).toBe(`${WIDE}${own}`);
  });

  it('adds a route for a version not routed yet in the same layout', async () => {
    const cwd = project();
    const file = join(cwd, 'prompts/support-triage/traffic.yaml');
    const wide = readFileSync(file, 'utf8').replace(/- version:/g, '-   version:').replace(/ {6}weight:/g, '        weight:');
    writeFileSync(file, wide);
    expect((await runCliInProcess(['validate'], { cwd, env: {} })).code).toBe(0);
    const r = await runCliInProcess(['promote', 'support-triage', '1.0.0', '--weight', '50'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      wide.replace('weight: 90', 'weight: 45').replace('        weight: 10\n', '        weight: 5\n    -   version: "1.0.0"\n        weight: 50\n'),
    );
  });
});
