// An apply that settles what an interrupted run left open plans from a read made after settling's.
// The plan's read began first (while the files load): a publish job of the earlier run that ended
// in between was settled as that run's (succeeded, recovered), and then the stale plan published
// the version again, recording a second publish success for one change (or, with the guard's
// state checked, refused it as a conflict of the run's own making: exit 1). A review found both.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { toWire } from '../../src/kinds/PromptVersion/index.js';
import { loadProject } from '../../src/load/index.js';
import { runCliInProcess } from '../helpers/cli.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { scriptedProxy, type ProxyAnswer } from '../helpers/interrupt.js';
import { appliedPromptSet, applyDyingAtItsIntents, trailOf } from '../helpers/killed-run.js';
import type { TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
beforeEach(async () => {
  ({ emu, dir } = await appliedPromptSet('promptctl-settle-replans-', { templates: 1, versions: 1 }));
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
});

it("does not publish again a version an earlier run's job published after the plan's first read", async () => {
  // git adds 1.1.0, and a Draft of it holds git's content: the change is its publish alone.
  const file = join(dir.path, 'prompts', 'templates', 'tpl-00000.yaml');
  const text = await readFile(file, 'utf8');
  const added = text.split('---\n')[1]!.replace('"1.0.0"', '"1.1.0"').replace('(revision 0)', '(revision 1)');
  await writeFile(file, text.replace(/---\n(?=apiVersion: promptctl\/v1\nkind: TrafficSplit)/, `---\n${added}---\n`));
  const { state } = await loadProject({ dir: 'prompts', cwd: dir.path });
  const [t] = await emu.api.listTemplates({ name: 'tpl-00000' });
  await emu.api.createVersion(t!.id, toWire(state!.versions.find((v) => v.version === '1.1.0')!));
  // The earlier run dies at its publish's intent: on record, open.
  await applyDyingAtItsIntents(emu, dir);

  // Its job ends after the next apply's first read and before settling reads the org (the second listing).
  let listings = 0;
  const proxy = await scriptedProxy(emu.url, async (r): Promise<ProxyAnswer> => {
    if (r.method === 'GET' && r.path.endsWith('/prompttemplates') && ++listings === 2) await emu.api.publishVersion(t!.id, '1.1.0');
    return 'forward';
  });
  try {
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: { ...emu.env, GENESYSCLOUD_API_URL: proxy.url } });
    expect(r.stderr).toMatch(/^audit: PromptVersion\/tpl-00000@1\.1\.0 from an earlier run: succeeded \(recovered\)$/m);
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.seen.filter((x) => x.method === 'POST' && x.path.endsWith('/jobs'))).toEqual([]);
  } finally {
    await proxy.close();
  }
  // One record of the publish: the earlier run's, settled.
  const records = (await readFile(trailOf(dir), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; address: string; outcome: string | null });
  expect(records.filter((x) => x.type === 'outcome' && x.address === 'PromptVersion/tpl-00000@1.1.0').map((x) => x.outcome)).toEqual(['succeeded (recovered)']);
});
