// `promptctl emulator` as a user runs it: the built binary, its first stdout line, signals, and
// every acknowledged write surviving a kill -9 (these need a real process); flag and state errors,
// which end the command before it listens, run in-process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { Api } from '../integration/emulator-fixture.js';
import { runCliInProcess } from '../helpers/cli.js';

const BIN = resolve('bin/promptctl.js');

interface Launched {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

/** Starts the emulator and resolves with the URL from its first stdout line. */
function launch(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Launched> {
  const child = spawn(process.execPath, [BIN, 'emulator', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  return new Promise((resolveLaunch, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      if (!m?.[1]) return reject(new Error(`unexpected first line: ${JSON.stringify(line)}`));
      resolveLaunch({ child, url: m[1], stderr: () => err, exited });
    });
    void exited.then(({ code }) => reject(new Error(`emulator exited (${code}) before listening: ${err}`)));
  });
}

/** Runs a command that ends on its own (here: refusals before listening), in-process. */
function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCliInProcess(args, { cwd });
}

let dir: string;
beforeAll(() => {
  if (!existsSync(resolve('dist/cli/main.js'))) throw new Error('build first: npx tsc -p tsconfig.build.json');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-emulator-cli-'));
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('promptctl emulator', () => {
  it('prints the URL first, serves the API with the given credentials, never prints the secret, and exits 130 on SIGTERM', async () => {
    const em = await launch(['--port', '0', '--state', 'state.json', '--client-id', 'cli-id', '--client-secret', 's3cr3t-value'], dir);
    const api = new Api(em.url);
    expect((await api.login('local-client', 'local-secret')).status).toBe(401);
    expect((await api.login('cli-id', 's3cr3t-value')).status).toBe(200);
    const created = await api.post(paths.templates(), { name: 'from-cli', model: 'gpt-4o' });
    expect(created.status).toBe(201);

    em.child.kill('SIGTERM');
    expect(await em.exited).toEqual({ code: 130, signal: null });
    expect(em.stderr()).not.toContain('s3cr3t-value');
    expect(em.stderr()).not.toContain(api.token);
    const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
    expect(state.templates[created.body.id].name).toBe('from-cli');
  });

  it('takes the client secret from PROMPTCTL_EMULATOR_CLIENT_SECRET, out of the process list; the flag wins over it', async () => {
    const env = { ...process.env, PROMPTCTL_EMULATOR_CLIENT_SECRET: 'from-the-env-7' };
    const em = await launch(['--port', '0', '--state', 'env.json'], dir, env);
    const api = new Api(em.url);
    expect((await api.login('local-client', 'local-secret')).status).toBe(401);
    expect((await api.login('local-client', 'from-the-env-7')).status).toBe(200);
    em.child.kill('SIGTERM');
    await em.exited;
    const flag = await launch(['--port', '0', '--state', 'env2.json', '--client-secret', 'flag-wins'], dir, env);
    expect((await new Api(flag.url).login('local-client', 'flag-wins')).status).toBe(200);
    flag.child.kill('SIGTERM');
    await flag.exited;
  });

  it('defaults the state to .promptctl/local-state.json and exits 130 on SIGINT', async () => {
    const em = await launch(['--port', '0'], dir);
    const api = new Api(em.url);
    await api.login();
    await api.post(paths.filters(), { name: 'cli-filter', priority: 1, categories: ['pii'], action: 'flag_and_pass', thresholds: { pii: 0.2 }, falsePositiveTolerance: 0 });
    em.child.kill('SIGINT');
    expect((await em.exited).code).toBe(130);
    const state = JSON.parse(await readFile(join(dir, '.promptctl', 'local-state.json'), 'utf8'));
    expect(Object.values(state.filters).map((f) => (f as { name: string }).name)).toEqual(['cli-filter']);
  });

  it('keeps every acknowledged write across kill -9 and a restart on the same state', async () => {
    const stateArgs = ['--port', '0', '--state', join(dir, 'kill.json')];
    const em = await launch(stateArgs, dir);
    const api = new Api(em.url);
    await api.login();
    const tid = await api.template('kill-parent');

    // Many writes in flight; kill -9 once some are acknowledged, while others are still running.
    const acked: string[] = [];
    let killed = false;
    let resolveEnough: () => void = () => undefined;
    const enough = new Promise<void>((r) => (resolveEnough = r));
    const writes = Array.from({ length: 80 }, (_, i) => {
      const name = `kill-${String(i).padStart(2, '0')}`;
      const req = i % 2 ? api.post(paths.templates(), { name, model: 'gpt-4o' }) : api.post(paths.versions(tid), { version: `1.0.${i}`, systemInstruction: name, userTemplate: 'x' });
      return req.then(
        (r) => {
          if (r.status === 201 && !killed) acked.push(name);
          if (acked.length >= 15) resolveEnough();
        },
        () => undefined, // cut off by the kill: unacknowledged, may or may not be stored
      );
    });
    await Promise.race([enough, Promise.all(writes)]);
    em.child.kill('SIGKILL');
    killed = true;
    expect((await em.exited).signal).toBe('SIGKILL');
    await Promise.all(writes);
    expect(acked.length).toBeGreaterThanOrEqual(15);

    // The file is readable JSON and a restart sees every acknowledged write.
    JSON.parse(await readFile(join(dir, 'kill.json'), 'utf8'));
    const again = await launch(stateArgs, dir);
    const api2 = new Api(again.url);
    await api2.login();
    const templates = (await api2.get(`${paths.templates()}?pageSize=100`)).body.entities.map((t: { name: string }) => t.name);
    const versions = (await api2.get(`${paths.versions(tid)}?pageSize=100`)).body.entities.map((v: { systemInstruction: string }) => v.systemInstruction);
    for (const name of acked) expect([...templates, ...versions]).toContain(name);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(130);
  });

  it('rejects bad flags with a message and exit 1, and names a port in use', async () => {
    for (const [flags, message] of [
      [['--fault-rate', '1.5'], '--fault-rate must be a number from 0 to 1'],
      [['--port', 'eighty'], '--port must be an integer'],
      [['--rate-limit', '0'], '--rate-limit must be an integer from 1'],
      [['--latency-ms', '-5'], '--latency-ms must be an integer'],
      // Number() reads these as 1, 1 and 0.5: a fault rate written as no decimal number is refused, not guessed.
      [['--fault-rate', '0x1'], '--fault-rate must be a number from 0 to 1, got "0x1"'],
      [['--fault-rate', '0b1'], '--fault-rate must be a number from 0 to 1, got "0b1"'],
      [['--fault-rate', '.5.'], '--fault-rate must be a number from 0 to 1, got ".5."'],
      // An empty --state resolved to the working directory: 'cannot open emulator state file <cwd>: EISDIR'.
      [['--state', ''], '--state must not be empty'],
      [['--fault-kinds', '502,boom'], '--fault-kinds "502,boom": "boom" is no fault kind; name some of 500, 502, 503, drop-before, drop-after, comma-separated'],
      // From review: '500,' was refused with 'got ""', naming neither the flag's value nor the empty item.
      [['--fault-kinds', ','], '--fault-kinds "," names no fault kind: name some of 500, 502, 503, drop-before, drop-after, comma-separated'],
      [['--fault-kinds', ''], '--fault-kinds "" names no fault kind'],
      // Basic authentication splits id:secret at the first colon: such an id could never log in.
      [['--client-id', 'team:one'], '--client-id must not contain ":" (an OAuth client sends id:secret in its Basic authorization, split at the first colon), got "team:one"'],
    ] as const) {
      const r = await run(['emulator', '--state', 's.json', ...flags], dir);
      expect(r.code, flags.join(' ')).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout).toBe('');
    }

    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', () => res()));
    try {
      const port = (blocker.address() as { port: number }).port;
      const r = await run(['emulator', '--port', String(port), '--state', 's.json'], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use (another --port, or --port 0 for a free one)`);
    } finally {
      blocker.close();
    }
  });

  // From review: `--fault-kinds '500,'` was refused with 'got ""'. An empty item names nothing,
  // so it is passed over (as --surfaces does) and the emulator starts with the kinds named.
  it('--fault-kinds passes over an empty item (500,) and draws from the kinds named', async () => {
    const em = await launch(['--port', '0', '--state', 'state.json', '--fault-rate', '0.5', '--fault-kinds', '500,'], dir);
    em.child.kill('SIGTERM');
    expect((await em.exited).code).toBe(130);
    expect(em.stderr()).toMatch(/^emulator: fault rate 0\.5 \(500\), /m);
    expect(em.stderr()).not.toContain('error:');
  });

  it('--responses FILE (relative to the working directory) answers matching invocations with canned text', async () => {
    await writeFile(join(dir, 'answers.yaml'), 'responses:\n  - match: {template: canned-bot, regex: "(?i)REFUND"}\n    output: Refunds take 5 working days.\n');
    const em = await launch(['--port', '0', '--state', 'state.json', '--responses', 'answers.yaml'], dir);
    const api = new Api(em.url);
    await api.login();
    const tid = await api.template('canned-bot');
    expect((await api.version(tid, '1.0.0')).status).toBe(201);
    await api.publish(tid, '1.0.0');
    const ask = (question: string) => api.post(paths.invocations(), { template: 'canned-bot', variables: { customer: 'Sam', question } });
    const canned = await ask('how long does a refund take?');
    expect(canned.status).toBe(200);
    expect(canned.body.output.text).toBe('Refunds take 5 working days.');
    const simulated = await ask('where is my parcel?');
    expect(simulated.status).toBe(200);
    expect(simulated.body.output.text).not.toBe('Refunds take 5 working days.');
    em.child.kill('SIGTERM');
    expect((await em.exited).code).toBe(130);
    expect(em.stderr()).toContain('1 canned answer from answers.yaml');
  });

  it('refuses a missing or invalid --responses file before listening, naming it', async () => {
    const missing = await run(['emulator', '--state', 's.json', '--responses', 'nowhere.yaml'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: --responses: cannot read emulator responses file nowhere\.yaml: ENOENT$/m);
    await writeFile(join(dir, 'bad.yaml'), '- match: {regex: "(open"}\n  output: x\n');
    const bad = await run(['emulator', '--state', 's.json', '--responses', 'bad.yaml'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: --responses: bad\.yaml:1:3: responses\[0\]: match\.regex is not a valid regular expression: .*Unterminated group$/m);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    // Under a responses: key, the second entry's line; a syntax error at its line and column.
    await writeFile(join(dir, 'bad2.yaml'), 'responses:\n  - match: {template: a}\n    output: x\n  - match: {bogus: 1}\n    output: y\n');
    const second = await run(['emulator', '--state', 's.json', '--responses', 'bad2.yaml'], dir);
    expect(second.stderr).toMatch(/^error: --responses: bad2\.yaml:4:5: responses\[1\]: unknown match field bogus/m);
    await writeFile(join(dir, 'bad3.yaml'), 'responses:\n  - {\n');
    const syntax = await run(['emulator', '--state', 's.json', '--responses', 'bad3.yaml'], dir);
    expect(syntax.stderr).toMatch(/^error: --responses: emulator responses file bad3\.yaml:\d+:\d+: /m);
    expect(bad.stdout).toBe('');
    expect(existsSync(join(dir, 's.json.lock'))).toBe(false);
  });

  it('refuses a corrupt state file with a message naming it', async () => {
    const bad = join(dir, 'bad.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(bad, '{"formatVersion": 1, "templates": '));
    const r = await run(['emulator', '--state', bad], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad} is not valid JSON`);
  });
});
