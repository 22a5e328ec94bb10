// An apply killed (kill -9) after it posted a version's publish job leaves the intent open and the
// job running. The next apply settled it from the version's state at once: still a Draft, "not
// applied (partly applied: … the next apply publishes it)", though the job ended a moment later,
// and then published it again as its own change. A review found it (a publish delay of 4 s, the
// apply killed at 1.7 s). A recent intent's version is now watched until its job could no longer
// be running (the publish timeout from the intent); an old one is settled at once, as before.
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

const ADDRESS = 'PromptVersion/tpl-00000@1.1.0';
// Long enough that settling reads the version before the job ends, short enough for a quick test.
const PUBLISH_DELAY_MS = 600;

let emu: TestEmulator;
let dir: TempDir;
let templateId: string;
beforeEach(async () => {
  ({ emu, dir } = await appliedPromptSet('promptctl-settle-waits-', { templates: 1, versions: 1 }, { publishDelayMs: PUBLISH_DELAY_MS }));
  // git adds 1.1.0: the change is its create and publish.
  const file = join(dir.path, 'prompts', 'templates', 'tpl-00000.yaml');
  const text = await readFile(file, 'utf8');
  const added = text.split('---\n')[1]!.replace('"1.0.0"', '"1.1.0"').replace('(revision 0)', '(revision 1)');
  await writeFile(file, text.replace(/---\n(?=apiVersion: promptctl\/v1\nkind: TrafficSplit)/, `---\n${added}---\n`));
  templateId = (await emu.api.listTemplates({ name: 'tpl-00000' }))[0]!.id;
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
});

/** The earlier run's calls after its intent: the version created as a Draft (its publish job is the test's to start). */
async function createdAsTheKilledRunDid(): Promise<void> {
  const { state } = await loadProject({ dir: 'prompts', cwd: dir.path });
  await emu.api.createVersion(templateId, toWire(state!.versions.find((v) => v.version === '1.1.0')!));
}

async function outcomesOf(address: string): Promise<Array<string | null>> {
  const records = (await readFile(trailOf(dir), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; address: string; outcome: string | null });
  return records.filter((x) => x.type === 'outcome' && x.address === address).map((x) => x.outcome);
}

it("waits for the publish job a killed run started a moment ago, and records it as that run's change", { timeout: 60_000 }, async () => {
  await applyDyingAtItsIntents(emu, dir);
  await createdAsTheKilledRunDid();
  // The killed run's job is posted as the next apply starts reading: still running when settling reads.
  let posted = false;
  const proxy = await scriptedProxy(emu.url, async (r): Promise<ProxyAnswer> => {
    if (!posted && r.method === 'GET' && r.path.endsWith('/prompttemplates')) {
      posted = true;
      await emu.api.startPublish(templateId, '1.1.0');
    }
    return 'forward';
  });
  try {
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: { ...emu.env, GENESYSCLOUD_API_URL: proxy.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^audit: PromptVersion\/tpl-00000@1\.1\.0 from an earlier run: succeeded \(recovered\)$/m);
    // Said before the pause, with why.
    expect(r.stderr).toMatch(
      /^audit: PromptVersion\/tpl-00000@1\.1\.0 from an earlier run: not yet published, and the publish job that run may have started [\d.]+ s ago may still be running \(a job is waited for up to 120 s\): waiting up to 1\d\d s for it before settling \(interrupt to stop waiting\)$/m,
    );
    // Not published again by this run.
    expect(proxy.seen.filter((x) => x.method === 'POST' && x.path.endsWith('/jobs'))).toEqual([]);
  } finally {
    await proxy.close();
  }
  expect(await outcomesOf(ADDRESS)).toEqual(['succeeded (recovered)']);
});

it('settles at once, as not applied, an intent older than the publish timeout (no job of its run can be running)', { timeout: 60_000 }, async () => {
  await applyDyingAtItsIntents(emu, dir, { at: new Date(Date.now() - 10 * 60_000) });
  // Its run died before the publish: the Draft would stay one for good, and waiting took the whole timeout.
  await createdAsTheKilledRunDid();
  const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/waiting up to/);
  expect(r.stderr).toMatch(
    /^audit: PromptVersion\/tpl-00000@1\.1\.0 from an earlier run: not applied \(partly applied: the version holds the intended content as a Draft, not yet published \(the next apply publishes it\)\)$/m,
  );
  // This run published it: its own change.
  expect(await outcomesOf(ADDRESS)).toEqual(['not applied', 'success']);
});

it('stops waiting at an interrupt, leaving the intent open for a later apply, and applies nothing', { timeout: 60_000 }, async () => {
  await applyDyingAtItsIntents(emu, dir);
  await createdAsTheKilledRunDid();
  await emu.api.startPublish(templateId, '1.1.0');
  // The plan's read, settling's, then the wait's first look: interrupted there.
  let listings = 0;
  const proxy = await scriptedProxy(emu.url, (r, interrupt): ProxyAnswer => {
    if (r.method === 'GET' && r.path.endsWith('/prompttemplates') && ++listings === 3) interrupt();
    return 'forward';
  });
  try {
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: { ...emu.env, GENESYSCLOUD_API_URL: proxy.url }, signal: proxy.signal });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^audit: PromptVersion\/tpl-00000@1\.1\.0 from an earlier run: left open \(interrupted while waiting for its publish job; a later apply settles it\)$/m);
    expect(proxy.seen.filter((x) => x.method !== 'GET' && !x.path.includes('/oauth/'))).toEqual([]);
  } finally {
    await proxy.close();
  }
  expect(await outcomesOf(ADDRESS)).toEqual([]);
});

// One read failing during the wait (a 500 on the listing) emptied the list waited for as if the job
// had ended: the intent was left open ("the target's answer to the read of LLM Gateway was 500"),
// and the apply went on with the plan read before the wait, publishing the version again while the
// earlier run's job still ran (two jobs for it; a kill -9 review). A failed re-read now says
// nothing of the job: it is retried, and the wait goes on.
it("a read failing during the wait is retried: the job is still waited for, and recorded as that run's", { timeout: 60_000 }, async () => {
  await applyDyingAtItsIntents(emu, dir);
  await createdAsTheKilledRunDid();
  // The plan's read starts the killed run's job; settling's finds it running; the wait's first look fails.
  let listings = 0;
  const proxy = await scriptedProxy(emu.url, async (r): Promise<ProxyAnswer> => {
    if (r.method !== 'GET' || !r.path.endsWith('/prompttemplates')) return 'forward';
    if (++listings === 1) await emu.api.startPublish(templateId, '1.1.0');
    return listings === 3 ? { status: 500, code: 'internal.server.error' } : 'forward';
  });
  try {
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: { ...emu.env, GENESYSCLOUD_API_URL: proxy.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.seen.some((x) => x.status === 500)).toBe(true);
    expect(r.stderr).toMatch(/waiting up to 1\d\d s for it before settling/);
    expect(r.stderr).not.toMatch(/left open/);
    expect(r.stderr).toMatch(/^audit: PromptVersion\/tpl-00000@1\.1\.0 from an earlier run: succeeded \(recovered\)$/m);
    // Not published again by this run.
    expect(proxy.seen.filter((x) => x.method === 'POST' && x.path.endsWith('/jobs'))).toEqual([]);
  } finally {
    await proxy.close();
  }
  expect(await outcomesOf(ADDRESS)).toEqual(['succeeded (recovered)']);
});

it('stops before any change, the intent open, when the org still cannot be read at the end of the wait', { timeout: 60_000 }, async () => {
  // Its intent 118.5 s old: the job's timeout (120 s) leaves a wait of 1.5 s.
  await applyDyingAtItsIntents(emu, dir, { at: new Date(Date.now() - 118_500) });
  await createdAsTheKilledRunDid();
  let listings = 0;
  const proxy = await scriptedProxy(emu.url, async (r): Promise<ProxyAnswer> => {
    if (r.method !== 'GET' || !r.path.endsWith('/prompttemplates')) return 'forward';
    if (++listings === 1) await emu.api.startPublish(templateId, '1.1.0');
    // Every look of the wait fails.
    return listings >= 3 ? { status: 500, code: 'internal.server.error' } : 'forward';
  });
  try {
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: { ...emu.env, GENESYSCLOUD_API_URL: proxy.url } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/waiting up to [\d.]+ s for it before settling/);
    expect(r.stderr).toMatch(
      /could not tell whether the earlier run's publish of PromptVersion\/tpl-00000@1\.1\.0 is still running \(the target's answer to the read of LLM Gateway at the end of the wait was 500 internal\.server\.error\): nothing was applied; run again$/m,
    );
    // Retried while the wait lasted, and nothing planned from the read before it.
    expect(listings).toBeGreaterThan(3);
    expect(r.stderr).not.toMatch(/^ {2}[~+-] /m);
    expect(proxy.seen.filter((x) => x.method !== 'GET' && !x.path.includes('/oauth/'))).toEqual([]);
    expect(r.stderr).toMatch(/^audit head: \d+:[0-9a-f]{64}/m);
  } finally {
    await proxy.close();
  }
  expect(await outcomesOf(ADDRESS)).toEqual([]);
});
