// A TrafficSplit's override under spec.environments is named by its key: a problem with that name
// points at the key. Before, it pointed at the override's value, which in block style (as the
// example's traffic.yaml writes it) starts on the next line: `qa:` on line 13 was reported at
// 14:7, the `routes:` below it.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const projects: TempDir[] = [];
afterEach(async () => {
  await Promise.all(projects.splice(0).map((d) => d.remove()));
});
async function project(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('promptctl-split-override-location-');
  projects.push(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir.path, path)), { recursive: true });
    await writeFile(join(dir.path, path), content);
  }
  return dir.path;
}

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: GENESYSCLOUD_DEV}
    prod: {credentials: GENESYSCLOUD_PROD}
`;
const TEMPLATE = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata: {name: billing}
spec: {model: gpt-4o}
---
apiVersion: promptctl/v1
kind: PromptVersion
spec: {template: billing, version: "1.0.0", systemInstruction: "Be brief.", userTemplate: "Hi"}
`;
const SPLIT = (metadata: string) => `apiVersion: promptctl/v1
kind: TrafficSplit
${metadata}spec:
  template: billing
  routes:
    - version: "1.0.0"
      weight: 100
  environments:
    prod:
      routes:
        - version: "1.0.0"
          weight: 100
    qa:
      routes:
        - version: "1.0.0"
          weight: 100
    flow: {routes: [{version: "1.0.0", weight: 100}]}
`;

describe('validate: a split override named by its environment', () => {
  it('reports an unknown environment at its key, in block and flow style', async () => {
    const cwd = await project({ 'prompts/promptctl.yaml': CONFIG, 'prompts/billing.yaml': TEMPLATE, 'prompts/split.yaml': SPLIT('') });
    const r = await runCliInProcess(['validate'], { cwd });
    expect(r.code).toBe(1);
    const unknown = r.stdout.split('\n').filter((l) => l.includes('[environments/unknown]'));
    expect(unknown).toEqual([
      expect.stringMatching(/^prompts\/split\.yaml:13:5: error: the split of template "billing" names environment "qa"/),
      expect.stringMatching(/^prompts\/split\.yaml:17:5: error: the split of template "billing" names environment "flow"/),
    ]);
  });

  it("names a version routed twice in an environment's routes by the line of its first route there", async () => {
    const split = SPLIT('').replace('    qa:', '        - version: "1.0.0"\n          weight: 0\n    qa:');
    const cwd = await project({ 'prompts/promptctl.yaml': CONFIG, 'prompts/billing.yaml': TEMPLATE, 'prompts/split.yaml': split });
    const r = await runCliInProcess(['validate'], { cwd });
    expect(r.code).toBe(1);
    // Before, it said "(spec.routes[0] and spec.routes[1])": the document's own routes, which hold 1.0.0 once.
    expect(r.stdout.split('\n').filter((l) => l.includes('[traffic/duplicate-version]'))).toEqual([
      'prompts/split.yaml:13:20: error: version 1.0.0 is routed twice (first on line 11); give it one route with the combined weight (in environment prod) [traffic/duplicate-version]',
    ]);
  });

  it('reports an override its metadata.environments leaves out at its key', async () => {
    const cwd = await project({ 'prompts/promptctl.yaml': CONFIG, 'prompts/billing.yaml': TEMPLATE, 'prompts/split.yaml': SPLIT('metadata: {environments: [dev]}\n') });
    const r = await runCliInProcess(['validate'], { cwd });
    const unused = r.stdout.split('\n').filter((l) => l.includes('[environments/override-unused]'));
    expect(unused).toEqual([expect.stringMatching(/^prompts\/split\.yaml:10:5: warning: the split of template "billing" overrides environment "prod"/)]);
  });
});
