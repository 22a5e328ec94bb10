// A target's error answer quoted in the error line: the server's words (an ErrorBody's message
// and code, an OAuth error's description) stay on that one line, as a text answer's do, so a
// line break in them cannot print a line of the server's making after it, and a bidi control in
// them is shown as its escape (it would draw the rest of the line backwards).
import { afterEach, describe, expect, it } from 'vitest';
import { ANSWERS_TEST, evalsProject, type EvalsProject } from './evals-support.js';
import { interceptor, type Interceptor } from '../helpers/forward.js';

let p: EvalsProject | undefined;
let server: Interceptor | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await p?.close();
  p = undefined;
});

const FORGED = 'done: nothing to change';

/** The words of the ErrorBody `refusing` answers with by default: terminal escapes in its code and message. */
const ESCAPES = { code: 'not.\u001b]0;pwned\u0007allowed', message: 'no \u001b[2Jway' };

/** A server before the project's emulator that answers GETs of paths starting with `prefix` with `status` and an ErrorBody of `words`; its URL. */
async function refusing(project: EvalsProject, prefix: string, status: number, words: { code: string; message: string } = ESCAPES): Promise<string> {
  const upstream = new URL(project.emu.url);
  server = await interceptor(upstream, (req, res) => {
    if (!(req.method === 'GET' && (req.url ?? '').startsWith(prefix))) return false;
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...words, status, contextId: 'c-1' }));
    return true;
  });
  return server.url;
}

describe("a target's error answer with line breaks in its words", () => {
  it('plan says it on its one error line: no line of the server making follows', async () => {
    p = await evalsProject();
    const url = await refusing(p, '/api/v2/llmgateway/', 400, { code: 'bad.request\nforged.code', message: `refused\r\n${FORGED}\n::error::forged` });
    const r = await p.cli(['plan'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.split('\n');
    const error = lines.filter((l) => l.startsWith('error: '));
    expect(error).toHaveLength(1);
    expect(error[0]).toContain(`bad.request forged.code: refused ${FORGED} ::error::forged`);
    // No line of its own for the server's words.
    expect(lines.filter((l) => l.startsWith(FORGED) || l.startsWith('::error::'))).toEqual([]);
  });

  it('plan shows a bidi override in the words as its escape, not drawing the line backwards', async () => {
    p = await evalsProject();
    const url = await refusing(p, '/api/v2/llmgateway/', 400, { code: 'bad.request', message: 'refused \u202edetcelfer\u202c by policy' });
    const r = await p.cli(['plan'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/[\u202a-\u202e]/);
    expect(r.stderr).toContain('refused \\u202edetcelfer\\u202c by policy');
  });
});

describe("a target's error quoted in a warning or a note", () => {
  it("test's warning that it cannot read the templates shows the server's escapes as text", async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST });
    const url = await refusing(p, '/api/v2/llmgateway/prompttemplates', 400);
    const r = await p.cli(['test'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.stderr).toContain("warning: cannot read the target's templates and filters");
    expect(r.stderr).toContain('not.\\u001b]0;pwned\\u0007allowed: no \\u001b[2Jway');
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u0007]/);
  });

  it("plan's note that the target refused to list a surface git does not use shows the server's code escaped", async () => {
    p = await evalsProject();
    const url = await refusing(p, '/api/v2/guides', 403);
    const r = await p.cli(['plan'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: the target refused to list its AI Studio guides (403 not.\\u001b]0;pwned\\u0007allowed)');
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u0007]/);
  });
});

describe("a streamed answer's error event with line breaks in its words", () => {
  it('run says it on its one error line: no line of the server making follows', async () => {
    p = await evalsProject();
    const upstream = new URL(p.emu.url);
    server = await interceptor(upstream, (req, res) => {
      if (!(req.method === 'POST' && (req.url ?? '').includes('/invocations'))) return false;
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const error = { status: 500, code: 'model.failed\nforged.code', message: `upstream refused\r\n${FORGED}`, contextId: 'c-1' };
      res.end(`event: delta\ndata: ${JSON.stringify({ text: 'Hello ' })}\n\nevent: error\ndata: ${JSON.stringify(error)}\n\n`);
      return true;
    });
    const url = server.url;
    const r = await p.cli(['run', 'faq-bot', '--var', 'question=hi'], { env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url } });
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines.filter((l) => l.startsWith('error: '))).toEqual([expect.stringContaining(`model.failed forged.code: upstream refused ${FORGED} (correlation id c-1)`)]);
    expect(lines.filter((l) => l.startsWith(FORGED) || l.startsWith('forged.code'))).toEqual([]);
  });
});
