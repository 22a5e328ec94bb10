// apply.yml carries each environment's audit trail from run to run in an artifact (runners are
// ephemeral). An HTTP audit sink's cursor, <trail>.sink-<id>.json beside it, says which records
// the sink took; a run sends first what earlier runs did not deliver, but only while that cursor
// is there: without one, a sink starts at the trail's end. So the artifact must carry the cursor
// too, or every record a run could not deliver (the sink down, its budget spent, the run killed)
// never reaches the permanent trail, and nothing says so. Here two "runners" (two checkouts of
// one project against one org), the second restoring exactly what apply.yml's upload step keeps.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

type Step = { id?: string; uses?: string; if?: string; with?: Record<string, string> };
const APPLY = resolve(import.meta.dirname, '../../.github/workflows/apply.yml');
const steps = async (): Promise<Step[]> => (parse(await readFile(APPLY, 'utf8')) as { jobs: { apply: { steps: Step[] } } }).jobs.apply.steps;
const forEnv = (text: string, env: string): string => text.replaceAll('${{ matrix.env }}', env);

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

let emu: TestEmulator | undefined;
let sink: Server | undefined;
const dirs: TempDir[] = [];
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
  it('carries the sink cursor with the trail, so the next run sends the records an earlier run could not deliver', async () => {
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
    const config = `apiVersion: promptctl/v1\nkind: Config\nspec:\n  environments:\n    dev: {credentials: GENESYSCLOUD_DEV}\n  audit:\n    http:\n      - url: "${url}"\n        secretEnv: PROMPTCTL_SINK_KEY\n`;
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

    // Upload at the end of the first run, restore before the second plans: apply.yml's own steps.
    const all = await steps();
    const upload = all.find((s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.name?.startsWith('promptctl-audit-'))!;
    const restore = all.find((s) => s.uses?.startsWith('actions/download-artifact@') && s.if === "steps.trail.outputs.run-id != ''")!;
    const uploadPaths = forEnv(upload.with!.path!, 'dev').split('\n').map((l) => l.trim()).filter(Boolean);
    const second = await runner();
    const kept = await carry(first.path, second.path, uploadPaths, forEnv(restore.with!.path!, 'dev'));
    expect(kept).toContain('audit.jsonl');

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
