// A split written in flow style ({...}, [...]) is as valid as a block one: promote gives an
// environment its own routes there too, in the style of the place they go (a flow map gets one
// more entry, a block map a block), instead of asking for the edit by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { dir } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';
const HEAD = 'apiVersion: promptctl/v1\nkind: TrafficSplit\n';
const FLOW_ROUTES = '[{version: "1.0.0", weight: 80}, {version: "1.1.0", weight: 20}]';
const STAGING_ROUTES = '[{version: "1.0.0", weight: 50}, {version: "1.1.0", weight: 50}]';

/** promote 1.1.0 to 50 % in staging (which shares the document's routes) on this split; the file after. */
async function promoteStaging(split: string): Promise<string> {
  const cwd = dir();
  copyExamplePrompts(cwd);
  writeFileSync(join(cwd, SPLIT), split);
  expect((await runCliInProcess(['validate'], { cwd, env: {} })).code).toBe(0);
  const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '50', '--env', 'staging'], { cwd, env: {} });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(join(cwd, SPLIT), 'utf8');
}

describe("promote gives an environment its own routes in a flow-style split", () => {
  it('a spec in flow style', async () => {
    const split = `${HEAD}spec: {template: billing-assistant, routes: ${FLOW_ROUTES}}\n`;
    expect(await promoteStaging(split)).toBe(`${HEAD}spec: {template: billing-assistant, routes: ${FLOW_ROUTES}, environments: {staging: {routes: ${STAGING_ROUTES}}}}\n`);
  });

  it('routes in flow style in a block spec', async () => {
    const split = `${HEAD}spec:\n  template: billing-assistant\n  routes: ${FLOW_ROUTES}\n`;
    expect(await promoteStaging(split)).toBe(`${split}  environments:\n    staging:\n      routes: ${STAGING_ROUTES}\n`);
  });

  it('environments in flow style', async () => {
    const routes = '  routes:\n    - version: "1.0.0"\n      weight: 80\n    - version: "1.1.0"\n      weight: 20\n';
    const prod = '{prod: {routes: [{version: "1.0.0", weight: 95}, {version: "1.1.0", weight: 5}]}}';
    const split = `${HEAD}spec:\n  template: billing-assistant\n${routes}  environments: ${prod}\n`;
    expect(await promoteStaging(split)).toBe(split.replace(/\}\}\n$/, `}, staging: {routes: ${STAGING_ROUTES}}}\n`));
  });

  it("an environment's other fields in flow style", async () => {
    const split = `${HEAD}spec:\n  template: billing-assistant\n  routes: ${FLOW_ROUTES}\n  environments:\n    staging: {strategy: sticky, stickyKey: conversationId}\n`;
    expect(await promoteStaging(split)).toBe(split.replace('conversationId}', `conversationId, routes: ${STAGING_ROUTES}}`));
  });
});
