// Following apply's advice on a broken audit chain with an HTTP sink configured. Before: the
// broken-chain refusal said "move it aside to start a new trail" without a word of the sink's
// cursor beside it; moved aside alone, the next apply showed the plan, asked (or, with
// --auto-approve, went on), and only then refused the absent trail for the cursor, saying the sink
// "took records 1–N of it", of a trail that no longer existed. Now the broken-chain refusal names
// the cursor file too, and a cursor beside an absent trail is refused before any plan is shown,
// saying the trail is absent.
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stubSink, type StubSink } from '../helpers/audit-sink.js';
import { runCliInProcess } from '../helpers/cli.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
let sink: StubSink;
let received: number[];
const SINK_ENV = { SINK_HMAC: 'sink-key-0123456789' };

beforeEach(async () => {
  received = [];
  sink = await stubSink(({ seq }, _req, res) => {
    received.push(seq);
    res.writeHead(204).end();
  });
  s = await scenario();
  await writeFile(join(s.dir.path, 'prompts/promptctl.yaml'), `apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit:\n    http:\n      - url: "${sink.url}"\n        secretEnv: SINK_HMAC\n`);
});
afterEach(async () => {
  await s.close();
  await sink.close();
});

const promptctlDir = (): string => join(s.dir.path, '.promptctl');
const trail = (): string => join(promptctlDir(), 'audit.jsonl');
const cursorFiles = async (): Promise<string[]> => (await readdir(promptctlDir())).filter((f) => /^audit\.jsonl\.sink-[0-9a-f]{16}\.json$/.test(f));

/** A trail the sink took every record of, a line of it edited, and a change left to apply. */
async function brokenTrailWithChange(): Promise<{ cursor: string; took: number }> {
  const first = await s.cli(['apply', '--auto-approve'], SINK_ENV);
  expect(first.code, first.stderr).toBe(0);
  const [cursor] = await cursorFiles();
  expect(cursor).toBeDefined();
  const took = (JSON.parse(await readFile(join(promptctlDir(), cursor!), 'utf8')) as { seq: number }).seq;
  expect(took).toBeGreaterThan(1);
  const lines = (await readFile(trail(), 'utf8')).split('\n');
  lines[1] = lines[1]!.replace('"actor":"', '"actor":"mallory ');
  await writeFile(trail(), lines.join('\n'));
  await s.edit('prompts/billing/billing-assistant.yaml', 'Answers billing questions', 'Answers billing and refund questions');
  return { cursor: cursor!, took };
}

describe('apply after the broken-chain advice, with an HTTP sink', () => {
  it('names the sink cursor in the broken-chain refusal, and refuses the trail moved aside alone before any plan is shown', async () => {
    const { cursor, took } = await brokenTrailWithChange();
    received = [];

    const broken = await s.cli(['apply', '--auto-approve'], SINK_ENV);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('audit.jsonl:2: the audit chain is broken');
    // One message, both paths: the trail and the cursor beside it.
    expect(broken.stderr).toContain(`keep the file as evidence and move it and its sink cursor ${join(promptctlDir(), cursor)} aside to start a new trail`);

    // The trail alone moved aside.
    await rename(trail(), `${trail()}.bad`);
    const moved = await s.cli(['apply', '--auto-approve'], SINK_ENV);
    expect(moved.code).toBe(1);
    // Refused before the plan: nothing of it printed.
    expect(moved.stdout).not.toContain('PromptTemplate/billing-assistant');
    expect(moved.stderr).toContain(`${trail()} does not exist (it was removed or moved aside)`);
    expect(moved.stderr).toContain(`took records 1–${took} of the trail that was there`);
    expect(moved.stderr).not.toContain('of it (');
    expect(moved.stderr).toContain(`move ${cursor} aside with it`);
    expect(moved.stderr).toContain('nothing was applied');
    expect(received).toEqual([]);
    // No new trail was begun, and the cursor is kept as it was.
    await expect(readFile(trail())).rejects.toThrow(/ENOENT/);
    expect(await cursorFiles()).toEqual([cursor]);

    // Its cursor moved aside too: a new trail begins, the sink sent it from record 1.
    await rename(join(promptctlDir(), cursor), join(promptctlDir(), `${cursor}.bad`));
    const fresh = await s.cli(['apply', '--auto-approve'], SINK_ENV);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(received[0]).toBe(1);
  });

  it('asks nothing it would then refuse, interactively', async () => {
    const { cursor } = await brokenTrailWithChange();
    await rename(trail(), `${trail()}.bad`);
    const r = await runCliInProcess(['apply'], { cwd: s.dir.path, env: { ...s.emu.env, ...SINK_ENV }, input: 'yes\n', tty: true });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('PromptTemplate/billing-assistant');
    expect(r.stderr).not.toContain('Apply these changes?');
    expect(r.stderr).toContain(`move ${cursor} aside with it`);
  });
});
