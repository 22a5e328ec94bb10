// apply.yml carries each environment's audit trail from run to run in an artifact (runners are
// ephemeral). An HTTP audit sink's cursor, <trail>.sink-<id>.json beside it, says which records
// the sink took; a run sends first what earlier runs did not deliver, but only while that cursor
// is there: without one, a sink starts at the trail's end. So the artifact must carry the cursor
// too, or every record a run could not deliver (the sink down, its budget spent, the run killed)
// never reaches the permanent trail, and nothing says so. Here two "runners" (two checkouts of
// one project against one org), the second restoring exactly what apply.yml's upload step keeps.
// Where the trail is comes from promptctl (`audit path --env`, the workflow's first audit steps):
// with audit.file set, a fixed .promptctl/envs/<env>/audit.jsonl carried nothing, and each run
// started a new chain unsaid.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { fixtureCopy, tempDir, type TempDir } from '../helpers/tmp.js';

type Step = { id?: string; name?: string; uses?: string; if?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> };
const APPLY = resolve(import.meta.dirname, '../../.github/workflows/apply.yml');
const steps = async (): Promise<Step[]> => (parse(await readFile(APPLY, 'utf8')) as { jobs: { apply: { steps: Step[] } } }).jobs.apply.steps;
const forEnv = (text: string, env: string): string => text.replaceAll('${{ matrix.env }}', env);
const forEnvAll = (vars: Record<string, string>, env: string): Record<string, string> => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, forEnv(v, env)]));

/** The files one `path:` line of upload-artifact names (a `*` only in the last segment, as here). */
async function matches(root: string, pattern: string): Promise<string[]> {
  const dir = join(root, dirname(pattern));
  const re = new RegExp(`^${basename(pattern).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => re.test(n)).map((n) => join(dir, n));
}

/** What upload-artifact keeps of `root` (files relative to their least common ancestor), put where download-artifact puts them. */
async function carry(from: string, to: string, uploadPaths: string[], downloadPath: string): Promise<string[]> {
  const files = (await Promise.all(uploadPaths.map((p) => matches(from, p)))).flat();
  if (files.length === 0) return [];
  let common = dirname(files[0]!);
  while (!files.every((f) => f.startsWith(common + sep))) common = dirname(common);
  for (const f of files) {
    const target = join(to, downloadPath, relative(common, f));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(f, target);
  }
  return files.map((f) => relative(common, f)).sort();
}

/** A workflow step's bash script in `cwd` (the workspace), as GitHub runs it: its outputs. */
async function runStep(script: string, cwd: string, env: Record<string, string>): Promise<Record<string, string>> {
  const output = join(await scratch(), 'output');
  await writeFile(output, '');
  const res = await new Promise<{ code: number; stderr: string }>((done) => {
    execFile('bash', ['-e', '-c', script], { cwd, env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, ...env } }, (err, _out, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
  expect(res.code, res.stderr).toBe(0);
  const text = await readFile(output, 'utf8');
  return Object.fromEntries(text.split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));
}

/** The workflow's two steps that learn where the trail is: `promptctl audit path --env`, then its reading. */
async function trailOf(all: Step[], cwd: string, envName: string): Promise<string> {
  const where = all.find((s) => s.id === 'where')!;
  const args = forEnv(where.with!.args!, envName).split(/\s+/);
  const asked = await runCliInProcess([where.with!.command!, ...args], { cwd });
  expect(asked.code, asked.stderr).toBe(0);
  const out = join(await scratch(), 'where');
  await writeFile(out, asked.stdout);
  const read = all.find((s) => s.id === 'audit-path')!;
  return (await runStep(read.run!, cwd, { OUT: out, ENVIRONMENT: envName }))['file']!;
}

let emu: TestEmulator | undefined;
let sink: Server | undefined;
const dirs: TempDir[] = [];
/** A directory outside the workspace (RUNNER_TEMP, a step's output file), removed after the test. */
async function scratch(): Promise<string> {
  const d = await tempDir('promptctl-runner-');
  dirs.push(d);
  return d.path;
}
afterEach(async () => {
  await emu?.close();
  emu = undefined;
  if (sink) {
    sink.closeAllConnections();
    await new Promise((done) => sink!.close(done));
  }
  sink = undefined;
  for (const d of dirs.splice(0)) await d.remove();
});

describe('apply.yml: an audit sink across runs', () => {
  it.each([
    { kept: 'where each environment keeps its own', audit: '', trail: '.promptctl/envs/dev/audit.jsonl' },
    { kept: 'named by audit.file', audit: '    file: trail.jsonl\n', trail: 'trail.jsonl' },
  ])('carries the trail ($kept) and the sink cursor, so the chain goes on and the next run sends the records an earlier run could not deliver', async ({ audit, trail }) => {
    // The sink refuses at first (a 400 is not retried: the run ends at once with its records kept).
    let up = false;
    const received: number[] = [];
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        if (!up) return void res.writeHead(400).end();
        received.push((JSON.parse(body) as { seq: number }).seq);
        res.writeHead(200).end('ok');
      });
    });
    sink.listen(0, '127.0.0.1');
    await once(sink, 'listening');
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/audit`;
    emu = await startTestEmulator();
    const config = `apiVersion: promptctl/v1\nkind: Config\nspec:\n  environments:\n    dev: {credentials: GENESYSCLOUD_DEV}\n  audit:\n${audit}    http:\n      - url: "${url}"\n        secretEnv: PROMPTCTL_SINK_KEY\n`;
    // The org outlives the runners; each runner has the environment's secrets.
    const env = {
      GENESYSCLOUD_DEV_API_URL: emu.env.GENESYSCLOUD_API_URL,
      GENESYSCLOUD_DEV_OAUTHCLIENT_ID: emu.env.GENESYSCLOUD_OAUTHCLIENT_ID,
      GENESYSCLOUD_DEV_OAUTHCLIENT_SECRET: emu.env.GENESYSCLOUD_OAUTHCLIENT_SECRET,
      PROMPTCTL_SINK_KEY: 'a-sink-key-of-32-characters-long',
    };
    const runner = async (): Promise<TempDir> => {
      const d = await fixtureCopy('basic');
      dirs.push(d);
      await writeFile(join(d.path, 'prompts/promptctl.yaml'), config);
      return d;
    };

    const first = await runner();
    const r1 = await runCliInProcess(['apply', '--env', 'dev', '--auto-approve'], { cwd: first.path, env });
    expect(r1.code, r1.stderr).toBe(0);
    const undelivered = /(\d+) records \(1–\d+\) not sent in this run .*the next run sends them first/.exec(r1.stderr);
    expect(undelivered, r1.stderr).not.toBeNull();
    const written = Number(undelivered![1]);
    expect(received).toEqual([]);

    // Upload at the end of the first run, restore before the second plans: apply.yml's own steps,
    // each run first asking promptctl where the trail is.
    const all = await steps();
    const upload = all.find((s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.name?.startsWith('promptctl-audit-'))!;
    const restore = all.find((s) => s.uses?.startsWith('actions/download-artifact@') && s.if === "steps.trail.outputs.run-id != ''")!;
    const put = all.find((s) => s.name === 'Put the restored audit trail where promptctl keeps it')!;
    const inFirst = await trailOf(all, first.path, 'dev');
    expect(inFirst).toBe(trail);
    const uploadPaths = forEnv(upload.with!.path!.replaceAll('${{ steps.audit-path.outputs.file }}', inFirst), 'dev').split('\n').map((l) => l.trim()).filter(Boolean);
    const second = await runner();
    const runnerTemp = await scratch();
    const kept = await carry(first.path, runnerTemp, uploadPaths, restore.with!.path!.replace('${{ runner.temp }}', '.'));
    expect(kept).toContain(basename(trail));
    expect(kept.some((k) => /\.sink-[0-9a-f]{16}\.json$/.test(k)), kept.join(', ')).toBe(true);
    const inSecond = await trailOf(all, second.path, 'dev');
    await runStep(put.run!, second.path, { ...forEnvAll(put.env!, 'dev'), FROM: join(runnerTemp, 'promptctl-restored-trail'), AUDIT: inSecond, TRAIL_NAME: 'promptctl-audit-dev-1-1' });
    const carried = await runCliInProcess(['audit', 'verify', '--env', 'dev'], { cwd: second.path });
    expect(carried.code, carried.stderr).toBe(0);
    expect(carried.stdout).toContain(`ok: ${trail}: ${written} records, chain intact`);

    // The second run changes something, with the sink up again.
    const file = join(second.path, 'prompts/support/support-triage.yaml');
    const text = await readFile(file, 'utf8');
    const changed = text.replace('spec:\n  model: gpt-4o-mini\n', 'spec:\n  description: Sorts tickets.\n  model: gpt-4o-mini\n');
    expect(changed).not.toBe(text);
    await writeFile(file, changed);
    up = true;
    const r2 = await runCliInProcess(['apply', '--env', 'dev', '--auto-approve'], { cwd: second.path, env });
    expect(r2.code, r2.stderr).toBe(0);
    const head = Number(/^audit head: (\d+):/m.exec(r2.stderr)?.[1]);
    expect(head).toBeGreaterThan(written);
    // Every record of the trail reached the sink, the first run's first, in order.
    expect(received).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  });
});
