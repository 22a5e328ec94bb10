// A model defined in the project's Config (`models:` in promptctl.yaml) is priced and counted
// by the emulator as the Config says: the embedded one (run, test, and so status), and
// `promptctl emulator`, which reads the Config of --dir (default prompts) in its working directory.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { cookbookChat } from '../helpers/cookbook-tokens.js';
import { cleanEnv, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

/** No GENESYSCLOUD_* variable: the embedded emulator. */
const EMBEDDED = { GENESYSCLOUD_API_URL: undefined, GENESYSCLOUD_OAUTHCLIENT_ID: undefined, GENESYSCLOUD_OAUTHCLIENT_SECRET: undefined };

// Dear, so that the cost is plain; cl100k_base, so that its counts differ from the o200k_base default.
const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  models:
    acme-llm: {encoding: cl100k_base, contextWindow: 32000, inputCostPer1M: 1000, outputCostPer1M: 2000}
`;
const SYSTEM = 'Réponds brièvement aux questions sur les commandes Acme, s’il te plaît.';
const PROMPTS = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: pricey-bot
spec:
  model: acme-llm
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: pricey-bot
  version: "1.0.0"
  systemInstruction: ${JSON.stringify(SYSTEM)}
  userTemplate: "Question : {{q}}"
  variables:
    - {name: q, type: string, maxLength: 200}
  maxTokens: 60
`;
const COST_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: pricey-cost
spec:
  target: {template: pricey-bot, version: "1.0.0"}
  cases:
    - name: cheap enough
      vars: {q: "Où est mon colis ?"}
      expect:
        - maxCostUsd: 0.001
`;
const Q = 'Où est mon colis ?';

async function project(): Promise<TempDir> {
  const d = await tempDir('promptctl-models-');
  await mkdir(join(d.path, 'prompts', 'tests'), { recursive: true });
  await writeFile(join(d.path, 'prompts', 'promptctl.yaml'), CONFIG);
  await writeFile(join(d.path, 'prompts', 'pricey.yaml'), PROMPTS);
  await writeFile(join(d.path, 'prompts', 'tests', 'cost.yaml'), COST_TEST);
  return d;
}

/** The prompt tokens of the rendered chat in one encoding, as OpenAI's cookbook counts them (roles too). */
function promptTokens(encoding: 'cl100k_base' | 'o200k_base'): number {
  return cookbookChat(SYSTEM, `Question : ${Q}`, encoding);
}

interface Result {
  model: string;
  usage: { promptTokens: number; completionTokens: number };
  costUsd: number;
}

function expectConfigPrices(r: Result): void {
  expect(r.model).toBe('acme-llm');
  expect(promptTokens('cl100k_base')).not.toBe(promptTokens('o200k_base'));
  expect(r.usage.promptTokens).toBe(promptTokens('cl100k_base'));
  const cost = (r.usage.promptTokens * 1000 + r.usage.completionTokens * 2000) / 1e6;
  expect(r.costUsd).toBeCloseTo(cost, 8);
  expect(r.costUsd).toBeGreaterThan(0.001);
}

describe('models of the Config on the emulator', () => {
  it('the embedded emulator prices and counts them as the Config says: run, test (maxCostUsd) and status', async () => {
    dir = await project();
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: EMBEDDED });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);

    const r = await cli(['run', 'pricey-bot@1.0.0', '--var', `q=${Q}`, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expectConfigPrices(JSON.parse(r.stdout) as Result);

    const t = await cli(['test', '--format', 'json']);
    expect(t.code, t.stdout).toBe(1);
    const assertion = JSON.parse(t.stdout).tests[0].runs[0].assertions[0];
    expect(assertion).toMatchObject({ type: 'maxCostUsd', passed: false });

    const s = await cli(['status', 'pricey-bot', '--format', 'json', '--since', '1h']);
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout).templates[0].versions[0].costUsd.total).toBeGreaterThan(0.002);
  });

  it('a cached test result does not outlive a change of its model’s price in the Config', async () => {
    dir = await project();
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: EMBEDDED });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const first = JSON.parse((await cli(['test', '--format', 'json'])).stdout);
    expect([first.invocations, first.tests[0].runs[0].assertions[0].passed]).toEqual([1, false]);
    expect(JSON.parse((await cli(['test', '--format', 'json'])).stdout).cached).toBe(1);
    // Cheaper by a thousand: the same call now passes maxCostUsd, and must be made again to say so.
    await writeFile(join(dir.path, 'prompts', 'promptctl.yaml'), CONFIG.replace('inputCostPer1M: 1000, outputCostPer1M: 2000', 'inputCostPer1M: 1, outputCostPer1M: 2'));
    const cheaper = await cli(['test', '--format', 'json']);
    const report = JSON.parse(cheaper.stdout);
    expect([report.invocations, report.cached, report.tests[0].runs[0].assertions[0].passed]).toEqual([1, 0, true]);
    expect(cheaper.code).toBe(0);
  });

  it('promptctl emulator reads them from the Config in its working directory', { timeout: 30_000 }, async () => {
    dir = await project();
    const stop = new AbortController();
    let stdout = '';
    let stderr = '';
    let listening: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (listening = resolve));
    const sink = (into: (s: string) => void) =>
      new Writable({
        write(c, _e, done) {
          into(String(c));
          done();
        },
      });
    const emulator = run(['emulator', '--port', '0', '--state', 'remote-state.json'], {
      stdout: sink((s) => {
        stdout += s;
        const m = /^listening on (\S+)$/m.exec(stdout);
        if (m) listening(m[1]!);
      }),
      stderr: sink((s) => (stderr += s)),
      stdin: Readable.from([]),
      env: cleanEnv(EMBEDDED),
      cwd: dir.path,
      color: false,
      onInterrupt(listener) {
        stop.signal.addEventListener('abort', listener, { once: true });
        return () => stop.signal.removeEventListener('abort', listener);
      },
    });
    try {
      const env = { GENESYSCLOUD_API_URL: await url, GENESYSCLOUD_OAUTHCLIENT_ID: 'local-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'local-secret' };
      expect(stderr).toContain('1 model from prompts/promptctl.yaml');
      const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env });
      expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
      const r = await cli(['run', 'pricey-bot@1.0.0', '--var', `q=${Q}`, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expectConfigPrices(JSON.parse(r.stdout) as Result);
    } finally {
      stop.abort();
      expect(await emulator).toBe(130);
    }
  });

  it('an invalid promptctl.yaml is refused, not read as no models', async () => {
    dir = await project();
    await writeFile(join(dir.path, 'prompts', 'promptctl.yaml'), CONFIG.replace('cl100k_base', 'p50k_base'));
    const emulator = await runCliInProcess(['emulator', '--port', '0', '--state', 'remote-state.json'], { cwd: dir.path, env: EMBEDDED });
    expect(emulator.code).toBe(1);
    // Said where it is wrong (test/cli/run-invalid-config-location.test.ts), then refused.
    expect(emulator.stderr).toMatch(/^prompts\/promptctl\.yaml:\d+:\d+: error: .*p50k_base/m);
    expect(emulator.stderr).toMatch(/^error: prompts\/promptctl\.yaml is not valid; the emulator takes the models it defines from it \(1 error, above\); nothing was done$/m);
    const r = await runCliInProcess(['run', 'pricey-bot@1.0.0', '--var', `q=${Q}`], { cwd: dir.path, env: EMBEDDED });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: prompts\/promptctl\.yaml is not valid/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
