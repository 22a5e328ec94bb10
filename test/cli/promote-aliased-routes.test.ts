// An environment's routes may repeat the document's through an alias (routes: *shared). promote
// cannot change them there without changing them everywhere: it says so, at the alias's
// file:line:column, rather than that they are no list of routes, and writes nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { dir } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';

const ALIASED = `apiVersion: promptctl/v1
kind: TrafficSplit
spec:
  template: billing-assistant
  routes: &shared
    - version: "1.0.0"
      weight: 80
    - version: "1.1.0"
      weight: 20
  environments:
    prod:
      routes: *shared
`;

describe("promote on an environment's routes that are an alias", () => {
  it('refuses at the alias, naming it, and writes nothing', async () => {
    const cwd = dir();
    copyExamplePrompts(cwd);
    writeFileSync(join(cwd, SPLIT), ALIASED);
    expect((await runCliInProcess(['validate'], { cwd, env: {} })).code).toBe(0);
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '50', '--env', 'prod'], { cwd, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: ${SPLIT}:12:15: spec.environments.prod.routes of the split is an alias (*shared): this edit would change every place that repeats it; write its routes out by hand`,
    );
    expect(readFileSync(join(cwd, SPLIT), 'utf8')).toBe(ALIASED);
  });
});
