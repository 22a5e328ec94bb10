// a version's retire landed before a kill -9; its label since re-made by hand (a new
// version, another id, other content). Versions are told apart by their template's id only.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { appliedPromptSet, applyDyingAtItsIntents, trailOf } from '../helpers/killed-run.js';
import type { TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
beforeEach(async () => {
  ({ emu, dir } = await appliedPromptSet('promptctl-settle-version-label-', { templates: 1, versions: 2 }));
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
});
const trail = () => trailOf(dir);
const file = () => join(dir.path, 'prompts', 'templates', 'tpl-00000.yaml');


it('a retire that landed, its label since re-made by hand with other content: not "not applied" with the new version as its after', async () => {
  // Route everything to 1.0.0 first (a normal apply), then drop 1.1.0 from git and prune.
  const docs = (await readFile(file(), 'utf8')).split('---\n');
  const split = docs.at(-1)!.replace(/- \{version: "1\.0\.0", weight: \d+\}/, '- {version: "1.0.0", weight: 100}').replace(/ *- \{version: "1\.1\.0", weight: \d+\}\n/, '');
  await writeFile(file(), [...docs.slice(0, -1), split].join('---\n'));
  const routed = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(routed.code, routed.stderr).toBe(0);
  await writeFile(file(), [docs[0], docs[1], split].join('---\n'));
  await applyDyingAtItsIntents(emu, dir, { prune: true });
  const t = (await emu.api.listTemplates({ name: 'tpl-00000' }))[0]!;
  const lines = (await readFile(trail(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  const intent = lines.findLast((r: any) => r.type === 'intent')!;
  expect(intent).toMatchObject({ action: 'retire', address: expect.stringContaining('1.1.0'), resourceId: t.id });
  // The retire landed before the kill; then someone made a version 1.1.0 again by hand, other content.
  await emu.api.deleteVersion(t.id, '1.1.0');
  await emu.api.createVersion(t.id, { version: '1.1.0', systemInstruction: 'made by hand', userTemplate: 'hi' } as never);

  const rerun = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(rerun.code, rerun.stderr).toBe(0);
  const settled = (await readFile(trail(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).filter((r: any) => r.intent === intent.seq);
  // The version id audit records carry is its template's: it cannot tell the label made again apart.
  expect(settled).toEqual([expect.objectContaining({ outcome: 'unknown', after: null, recoveredBy: expect.any(Object) })]);
  expect(rerun.stderr).toContain('from an earlier run: unknown (what was read cannot tell: an object holds the name with other content');
});
