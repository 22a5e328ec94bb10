// `promptctl emulator --latency-ms N` interrupted while a request waits out its latency: the built
// binary in its own process and a real SIGINT. It says `emulator: stopped` and the process ends
// then, exit 130. Before, the wait went on after the stop: the process lived up to N ms longer
// (ten minutes at the largest N), its answer going nowhere, so a CI job's teardown or a user's
// Ctrl-C hung after "stopped". Build first (npm run build).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { Api } from '../integration/emulator-fixture.js';

let dir: TempDir | undefined;
let child: ChildProcess | undefined;

beforeAll(() => {
  if (!existsSync(BIN) || !existsSync(join(BIN, '../../dist/bundle/promptctl.cjs'))) throw new Error('build first: npm run build');
});

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  child = undefined;
  await dir?.remove();
  dir = undefined;
});

describe('promptctl emulator interrupted during a request’s latency', () => {
  it('ends when it says stopped, not when the latency would have run out', async () => {
    dir = await tempDir('promptctl-emulator-latency-');
    // The largest latency the flag takes; a budget of one request, so a second one is refused
    // (429, answered before any latency) only once the first is waiting.
    child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--latency-ms', '600000', '--rate-limit', '1', '--state', 'state.json'], {
      cwd: dir.path,
      env: cleanEnv({ PROMPTCTL_STATS: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).once('line', (line) => {
        const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (m?.[1]) resolve(m[1]);
        else reject(new Error(`unexpected first line: ${line}`));
      });
    });
    const api = new Api(url);
    expect((await api.login()).status).toBe(200);

    // Two reads: one takes the budget and waits out the latency; the other is refused at once.
    const reads = [api.get(paths.templates()), api.get(paths.templates())].map((p) => p.catch(() => undefined));
    const first = await Promise.race(reads);
    expect(first?.status).toBe(429);

    child.kill('SIGINT');
    const end = await exited;
    expect(stderr).toMatch(/^emulator: stopped$/m);
    // The login, the read that waited and the one refused.
    expect(stderr).toMatch(/emulator-stats \{"requests":3,/);
    expect(end).toEqual({ code: 130, signal: null });
  });
});
