// A short OAuth client secret that is a common word (`test`, `true`, `name`, `refund`): output masks
// it in text wherever it is printed, but a machine-readable document (JSON, JUnit XML, a saved plan)
// only in its string values, so the document still parses and its readers never see a masked key;
// validate reports it in prompt text, and apply, plain or from a file, refuses to send it.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { forwardTo } from '../helpers/forward.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { PROMPTS_YAML, REFUND_TEST, RESPONSES } from './evals-support.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = undefined;
  dir = undefined;
});

async function project(secret: string, files: Record<string, string>): Promise<(args: readonly string[]) => Promise<CliResult>> {
  emu = await startTestEmulator({ clientSecret: secret, responses: RESPONSES, rateLimit: 1_000_000 });
  dir = await tempDir('promptctl-short-secret-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir.path, name, '..'), { recursive: true });
    await writeFile(join(dir.path, name), text);
  }
  const env = emu.env;
  const cwd = dir.path;
  return (args) => runCliInProcess(args, { cwd, env });
}

/** Every string value in a parsed JSON document (keys left out). */
function stringValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringValues);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringValues);
  return [];
}

/** The document parsed, failing the test with the text when it is no JSON. */
function parsed(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${what}: not JSON (${String(err)}):\n${text.slice(0, 400)}`);
  }
}

/**
 * Whether `xml` is well-formed as the JUnit renderer writes it: a declaration, then elements whose
 * names are XML names, attributes `name="value"`, every element closed in order, one root.
 */
function xmlProblem(xml: string): string | undefined {
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, '');
  const stack: string[] = [];
  let roots = 0;
  for (const m of body.matchAll(/<(\/?)([^\s/>]*)((?:\s+[^\s=]+="[^"<]*")*)\s*(\/?)>|<|>/g)) {
    if (m[2] === undefined) return `a stray ${m[0]}`;
    const [, close, name, , selfClosing] = m;
    if (!/^[A-Za-z_][\w.-]*$/.test(name!)) return `a tag named ${JSON.stringify(name)}`;
    if (close) {
      if (stack.pop() !== name) return `</${name}> closes no open <${name}>`;
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length > 0) return `<${stack.at(-1)}> is never closed`;
  return roots === 1 ? undefined : `${roots} root elements`;
}

describe.each(['test', 'true', 'name'])('a client secret that is the word "%s"', (secret) => {
  it('leaves every JSON document parseable, the JUnit file well-formed, and a saved plan readable; no value holds it', async () => {
    const cli = await project(secret, { 'prompts/faq.yaml': `${PROMPTS_YAML}\n`, 'prompts/tests/refund.yaml': REFUND_TEST });
    const noSecretIn = (doc: unknown, what: string) => {
      for (const v of stringValues(doc)) expect(v, what).not.toContain(secret);
    };

    const saved = await cli(['plan', '--out', 'plan.json']);
    expect(saved.code, saved.stderr).toBe(0);
    const file = await readFile(join(dir!.path, 'plan.json'), 'utf8');
    noSecretIn(parsed(file, 'plan --out'), 'plan --out');
    for (const args of [['show', 'plan.json', '--format', 'json'], ['plan', '--format', 'json'], ['tokens', '--format', 'json'], ['validate', '--format', 'json']]) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      noSecretIn(parsed(r.stdout, args.join(' ')), args.join(' '));
    }
    const shown = await cli(['show', 'plan.json']);
    expect(shown.code, shown.stderr).toBe(0);
    const applied = await cli(['apply', 'plan.json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await emu!.api.listTemplates()).map((t) => t.name)).toEqual(['faq-bot']);

    for (const args of [['test', '--format', 'json'], ['status', '--format', 'json'], ['drift', '--format', 'json']]) {
      const r = await cli(args);
      expect(r.stderr, args.join(' ')).not.toMatch(/error: internal/);
      noSecretIn(parsed(r.stdout, args.join(' ')), args.join(' '));
    }
    const text = await cli(['test']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr + text.stdout).not.toMatch(/error: internal/);
    const junit = await cli(['test', '--format', 'junit']);
    expect(junit.code, junit.stderr).toBe(0);
    expect(xmlProblem(junit.stdout), junit.stdout).toBeUndefined();
    expect(junit.stdout).toContain('<testsuites name="promptctl ');
    // Its values are masked still: the suite's name held the word only where the secret is `test`.
    if (secret === 'test') expect(junit.stdout).toContain('<testsuites name="promptctl [redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]"');
    // A failed run's document too (no such test: the error quotes the name given).
    const failed = await cli(['test', `${secret}-suite`, '--format', 'json']);
    expect(failed.code).toBe(1);
    const doc = parsed(failed.stdout, 'test --format json of an unknown test') as { error: string };
    expect(doc.error).toContain('[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]');
    noSecretIn(doc, 'the failure document');
  });
});

describe('a client secret of 4 to 7 characters in prompt text', () => {
  it('is reported by validate at its place, and plain apply refuses with nothing sent', async () => {
    emu = await startTestEmulator({ clientSecret: 'refund' });
    dir = await tempDir('promptctl-short-secret-');
    copyExamplePrompts(dir.path);
    const cli = (args: readonly string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    const validate = await cli(['validate']);
    expect(validate.code, validate.stderr).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/billing-assistant\/template\.yaml:\d+:\d+: error: description contains the value of GENESYSCLOUD_OAUTHCLIENT_SECRET; remove it/);
    const apply = await cli(['apply', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(1);
    expect(apply.stderr).toMatch(/nothing was applied/);
    expect(await emu.api.listTemplates()).toEqual([]);
    expect(await emu.api.listFilters()).toEqual([]);
  });

  it('in a form validate does not look for (HTML-escaped): plain apply refuses as a saved plan does, with nothing sent', async () => {
    const secret = 'r&d-key';
    const cli = await project(secret, { 'prompts/faq.yaml': `${PROMPTS_YAML.replace('You answer questions about Acme orders.', 'You answer questions about Acme orders (code r&amp;d-key).')}\n` });
    const apply = await cli(['apply', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(1);
    expect(apply.stderr).toMatch(/what apply would send holds a secret of this run, which the plan masks \(listed above\); nothing was applied/);
    expect(apply.stderr).toContain('PromptVersion/faq-bot@1.0.0: what apply would send holds the value of GENESYSCLOUD_OAUTHCLIENT_SECRET');
    expect(await emu!.api.listTemplates()).toEqual([]);
  });
});

describe('a streamed answer whose error event quotes the client secret', () => {
  it('names the variable in the mask, as every other output does', async () => {
    const secret = 'w1zard-secret-of-the-client';
    const cli = await project(secret, { 'prompts/faq.yaml': `${PROMPTS_YAML}\n` });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const upstream = new URL(emu!.url);
    const server = createServer((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').includes('/invocations')) {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`event: error\ndata: ${JSON.stringify({ status: 500, code: 'model.failed', message: `failed at ${secret}`, contextId: 'ctx-1' })}\n\n`);
        return;
      }
      forwardTo(upstream, req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await runCliInProcess(['run', 'faq-bot@1.1.0', '--var', 'question=hi'], { cwd: dir!.path, env: { ...emu!.env, GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('failed at [redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]');
      expect(r.stdout + r.stderr).not.toContain(secret);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
