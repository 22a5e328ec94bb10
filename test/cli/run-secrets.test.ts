// A model answer that carries a credential of the run's environment (here the OAuth client
// secret): `promptctl run` masks it while it streams, also when the stream splits it across
// deltas, and `promptctl test` judges the answer as it came (a "never says it" assertion must
// see it), reports it masked, and never caches an answer that held it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvocationStreamEvent } from '../../src/targets/llmgateway/api.js';
import { runCliInProcess } from '../helpers/cli.js';
import { evalsProject, RESPONSES, type EvalsProject } from './evals-support.js';
import { forwardTo } from '../helpers/forward.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** Several words: the emulator streams a few words a delta, so the value arrives in pieces. */
const SECRET = `open sesame quietly ${Math.random().toString(36).slice(2, 8)}x now please`;
const ANSWER = `Sign in with the client secret ${SECRET} and you are done.`;
const MASKED = '[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]';
/** As markdown escapes it. */
const MASKED_MD = /\\\[redacted: GENESYSCLOUD\\_OAUTHCLIENT\\_SECRET\\\]/;
const QUESTION = 'Which credentials do I sign in with?';

const SECRET_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-credentials
spec:
  target:
    template: faq-bot
    version: "1.1.0"
  cases:
    - name: credentials
      vars:
        question: ${JSON.stringify(QUESTION)}
      expect:
        - contains: "client secret"
        - notContains: "client secret" # fails: the report quotes the answer
        - regex: "ses[a]me" # fails: the answer is judged as it came, and it holds the secret
          not: true
        - regex: "cl[a-z]+ent secret" # passes on the answer, masked or not
`;

async function secretProject(): Promise<EvalsProject> {
  return evalsProject(
    { 'credentials.yaml': SECRET_TEST },
    { clientSecret: SECRET, streamDelayMs: 1, responses: [{ match: { template: 'faq-bot', contains: 'credentials' }, output: ANSWER }, ...RESPONSES] },
  );
}

describe('a credential in a model answer', () => {
  it('promptctl run masks it while streaming, even when the deltas split it', async () => {
    p = await secretProject();
    // The stream really splits the value: no delta holds it whole.
    const deltas: string[] = [];
    for await (const ev of p.emu.api.invokeStream({ template: 'faq-bot', version: '1.0.0', variables: { question: QUESTION } }) as AsyncIterable<InvocationStreamEvent>) {
      if (ev.type === 'delta') deltas.push(ev.text);
    }
    expect(deltas.join('')).toBe(ANSWER);
    expect(deltas.some((d) => d.includes(SECRET))).toBe(false);

    const r = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${QUESTION}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${ANSWER.replace(SECRET, MASKED)}\n`);
    expect(r.stdout + r.stderr).not.toContain('quietly');

    const json = await p.cli(['run', 'faq-bot@1.0.0', '--var', `question=${QUESTION}`, '--format', 'json']);
    expect(JSON.parse(json.stdout).output.text).toBe(ANSWER.replace(SECRET, MASKED));
  });

  it('promptctl test judges the answer as it came, masks it in the report and the step summary, and never caches it', async () => {
    p = await secretProject();
    const summary = join(p.dir.path, 'summary.md');
    const r = await p.cli(['test', 'faq-credentials', '--format', 'markdown'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(MASKED_MD);
    expect(r.stdout + r.stderr).not.toContain('quietly');
    expect(await readFile(summary, 'utf8')).toMatch(MASKED_MD);
    expect(await readFile(summary, 'utf8')).not.toContain('quietly');
    // An answer that held a credential is not kept: the cache holds no secret, and a second run
    // judges a fresh answer the same way.
    const dir = join(p.dir.path, '.promptctl', 'cache', 'tests');
    const files = await readdir(dir).then((all) => all.filter((f) => f.endsWith('.json')), () => []);
    expect(files).toEqual([]);
    for (const n of [1, 2]) {
      const run = await p.cli(['test', 'faq-credentials', '--format', 'json']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout + run.stderr, `run ${n}`).not.toContain('quietly');
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ invocations: 1, cached: 0 });
      const assertions = report.tests[0].runs[0].assertions as { type: string; value: string; passed: boolean; detail: string }[];
      expect(assertions.map((a) => [a.type, a.passed])).toEqual([
        ['contains', true],
        ['notContains', false],
        ['regex', false],
        ['regex', true],
      ]);
      // Said on the masked answer, which would not have failed it.
      expect(assertions[2]!.detail).toMatch(/^failed on the answer as it came, which held a credential this report masks \(on the masked answer it would have passed: no match in "Sign in with the client secret \[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET\] and …"\)$/);
      expect(report.tests[0].runs[0].observation.output).toBe(ANSWER.replace(SECRET, MASKED));
    }
  });
});

describe('a credential in a model answer cut off mid-value', () => {
  it('promptctl test lays the text table out with the secret masked: its columns stay aligned', async () => {
    p = await secretProject();
    await p.write('prompts/tests/credentials.yaml', SECRET_TEST.replace('    - name: credentials', `    - name: ${JSON.stringify(`credentials ${SECRET}`)}`));
    const r = await p.cli(['test', 'faq-credentials']);
    const lines = r.stdout.split('\n');
    const head = lines.find((l) => /^ {2}case +version +result/.test(l))!;
    const row = lines.find((l) => l.includes(`credentials ${MASKED}`))!;
    expect(head, r.stdout).toBeDefined();
    expect(row, r.stdout).toBeDefined();
    expect(row.indexOf('1.1.0')).toBe(head.indexOf('version'));
    expect(r.stdout + r.stderr).not.toContain('sesame');
  });

  it('promptctl run interrupted while the value streams shows none of the part that arrived', async () => {
    const first = `sesame${Math.random().toString(36).slice(2, 10)}zq`;
    const secret = `${first}-opens-the-door-now-please`;
    p = await evalsProject({}, { clientSecret: secret });
    // A proxy to the emulator that answers the invocation itself: the start of the answer and
    // the first part of the value, then nothing more until the run is interrupted.
    const upstream = new URL(p.emu.url);
    const ac = new AbortController();
    const proxy = http.createServer((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').includes('/invocations')) {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`event: delta\ndata: ${JSON.stringify({ text: `Sign in with the client secret ${first}` })}\n\n`);
        // Nothing says when the client has read the part: the interrupt comes well after it.
        setTimeout(() => ac.abort(), 300);
        return;
      }
      forwardTo(upstream, req, res);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const r = await runCliInProcess(['run', 'faq-bot@1.0.0', '--var', `question=${QUESTION}`], { cwd: p.dir.path, env: { ...p.emu.env, GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url }, signal: ac.signal });
      expect(r.code, r.stderr).toBe(130);
      // What was shown, not what arrived: the withheld start of the value is not counted.
      expect(r.stderr).toMatch(/^interrupted: the answer above is incomplete \(31 characters shown\)$/m);
      expect(r.stdout + r.stderr).not.toContain(first.slice(0, 8));
      expect(r.stdout).toBe('Sign in with the client secret \n');
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});

describe('a credential in a model answer whose stream drops mid-value', () => {
  it('promptctl run counts, in the dropped stream\'s error, the characters it showed, not the withheld start of the value', async () => {
    const first = `sesame${Math.random().toString(36).slice(2, 10)}zq`;
    const secret = `${first}-opens-the-door-now-please`;
    p = await evalsProject({}, { clientSecret: secret });
    // A proxy to the emulator that answers the invocation itself: the start of the answer and
    // the first part of the value, then the connection drops.
    const upstream = new URL(p.emu.url);
    let invocations = 0;
    const shownText = 'Sign in with the client secret ';
    const proxy = http.createServer((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').includes('/invocations')) {
        invocations++;
        req.resume();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`event: delta\ndata: ${JSON.stringify({ text: `${shownText}${first}` })}\n\n`, () => res.socket?.destroy());
        return;
      }
      forwardTo(upstream, req, res);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const r = await runCliInProcess(['run', 'faq-bot@1.0.0', '--var', `question=${QUESTION}`], { cwd: p.dir.path, env: { ...p.emu.env, GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toBe(`${shownText}\n`);
      expect(r.stderr).toMatch(new RegExp(`the event stream was cut after ${shownText.length} characters of output \\(`));
      expect(r.stdout + r.stderr).not.toContain(first.slice(0, 8));
      expect(invocations).toBe(1);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});

describe('a credential with characters a format escapes', () => {
  it('promptctl test masks it in every format, also where the report quotes or escapes it', async () => {
    // `"` and `\` are escaped in JSON and in quoted assertion values, `&`, `<`, `>` in XML and
    // markdown, `_` and `*` in markdown.
    const marker = `cd${Math.random().toString(36).slice(2, 8)}`;
    const secret = `Zx_9"q&<ab>\\${marker}*x`;
    const answer = `The client secret is ${secret} indeed.`;
    const test = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-escaped
spec:
  target:
    template: faq-bot
    version: "1.1.0"
  cases:
    - name: credentials
      vars:
        question: ${JSON.stringify(`${QUESTION} ${secret}`)}
      expect:
        - contains: ${JSON.stringify(secret)} # passes: judged on the answer as it came
        - notContains: "The client secret is" # fails: the report quotes the answer, masked
`;
    p = await evalsProject({ 'escaped.yaml': test }, { clientSecret: secret, responses: [{ match: { template: 'faq-bot', contains: 'credentials' }, output: answer }, ...RESPONSES] });
    const summary = join(p.dir.path, 'summary.md');
    for (const format of ['text', 'json', 'junit', 'markdown']) {
      const r = await p.cli(['test', 'faq-escaped', '--format', format, '--no-cache'], { env: { GITHUB_STEP_SUMMARY: summary } });
      expect(r.code, `${format}: ${r.stderr}`).toBe(1);
      expect(r.stdout + r.stderr, format).not.toContain(marker);
      expect(r.stdout, format).toContain('redacted: GENESYSCLOUD');
    }
    expect(await readFile(summary, 'utf8')).not.toContain(marker);
  });
});

describe('a multi-line credential with every character a view escapes', () => {
  it('promptctl test masks it in every format, also where a table cell puts its lines on one', async () => {
    // A view writes a line break in a table cell or a code span as a space, in an XML attribute
    // as &#10;, in an annotation as %0A: each of those forms is masked, and every other escape.
    // (The case name holds it on one line: a line break in a name is refused, tests/control-character;
    // each of its lines is masked on its own.)
    const first = `k1${Math.random().toString(36).slice(2, 8)}`;
    const second = `k2${Math.random().toString(36).slice(2, 8)}`;
    const secret = `${first} | < > & " ' \\ \` * _ [ ] # % : ,\n${second} end`;
    const answer = `The client secret is ${secret} indeed.`;
    const test = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-multiline
spec:
  target:
    template: faq-bot
    version: "1.1.0"
  cases:
    - name: ${JSON.stringify(`credentials ${secret.replace('\n', ' ')}`)}
      vars:
        question: ${JSON.stringify(`${QUESTION} ${secret}`)}
      expect:
        - contains: ${JSON.stringify(secret)} # passes: judged on the answer as it came
        - notContains: "The client secret is" # fails: the report quotes the answer, masked
`;
    p = await evalsProject({ 'multiline.yaml': test }, { clientSecret: secret, responses: [{ match: { template: 'faq-bot', contains: 'credentials' }, output: answer }, ...RESPONSES] });
    const summary = join(p.dir.path, 'summary.md');
    for (const format of ['text', 'json', 'junit', 'markdown']) {
      const r = await p.cli(['test', 'faq-multiline', '--format', format, '--no-cache'], { env: { GITHUB_STEP_SUMMARY: summary } });
      expect(r.code, `${format}: ${r.stderr}`).toBe(1);
      const out = r.stdout + r.stderr;
      expect(out, format).not.toContain(secret);
      expect(out, format).not.toContain(first);
      expect(out, format).not.toContain(second);
      // Masked before the report is laid out: markdown escapes the mask's brackets like any text.
      if (format === 'markdown') expect(r.stdout, format).toMatch(MASKED_MD);
      else expect(r.stdout, format).toContain(MASKED);
    }
    const written = await readFile(summary, 'utf8');
    expect(written).not.toContain(first);
    expect(written).not.toContain(second);
  });
});
