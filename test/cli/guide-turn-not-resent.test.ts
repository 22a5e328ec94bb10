// A guide's turn (AI Studio session turn) answered with a 5xx, or whose connection drops once it
// is sent, may have run the guide's model, and each turn run is billed; no read can tell whether it
// did (DESIGN §5: a POST of unknown outcome is resent only once a read has settled it). test sends
// it once: the case is that error, saying it was not sent again, and the other cases run. It was
// sent again in up to 3 new sessions, each replaying the case's earlier turns.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { interceptor, type Interceptor } from '../helpers/forward.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { writeChecks } from '../integration/aistudio-support.js';
import { RETURNS_GUIDE } from '../helpers/guide-yaml.js';

const GUIDE = RETURNS_GUIDE;

const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: returns-helper
spec:
  target:
    guide: Returns helper
  cases:
    - name: label
      messages:
        - role: user
          content: I want to return my order.
        - role: user
          content: It is order AC-12345678.
      expect:
        - contains: return label
    - name: refund question
      messages:
        - role: user
          content: When do I get my money?
      expect:
        - contains: money
`;

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
let server: Interceptor | undefined;
afterEach(async () => {
  await server?.close();
  await emu?.close();
  await dir?.remove();
  server = emu = dir = undefined;
});

/** An emulator holding the guide, a project testing it, and a server before the emulator failing the first turn that carries `failing` as `fail` does. */
async function setUp(failing: string, fail: 'answer 503' | 'drop once sent'): Promise<{ env: Record<string, string>; turns: string[] }> {
  emu = await startTestEmulator({
    responses: [
      { match: { template: 'Returns helper', contains: 'AC-12345678' }, output: 'Your return label is on its way.' },
      { match: { template: 'Returns helper', contains: 'money' }, output: 'Your money is back within 5 days.' },
    ],
  });
  const ai = createAiStudioClient({ landed: writeChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: 'local-client', clientSecret: 'local-secret', targetLabel: 'test' });
  try {
    const g = await ai.createGuide({ name: 'Returns helper', source: 'Manual' });
    await ai.patchGuideVersion(g.id, '1.0', { instruction: 'Help the customer return an order.' });
  } finally {
    await ai.close();
  }
  dir = await tempDir('promptctl-guide-turn-');
  await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), GUIDE);
  await writeFile(join(dir.path, 'prompts', 'tests', 'guide.yaml'), TEST);
  // Each turn's text as the server before the emulator saw it; the first carrying `failing` fails.
  const turns: string[] = [];
  let failed = false;
  server = await interceptor(new URL(emu.url), (req, res) => {
    if (!(req.method === 'POST' && /\/sessions\/[^/]+\/turns$/.test(req.url ?? ''))) return false;
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const text = (JSON.parse(body) as { inputEvent: { text: string } }).inputEvent.text;
      turns.push(text);
      if (failed || !text.includes(failing)) {
        // Passed on as it came.
        void fetch(new URL(req.url!, emu!.url), { method: 'POST', headers: { authorization: req.headers.authorization!, 'content-type': 'application/json' }, body }).then(async (up) => {
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
          res.end(await up.text());
        });
        return;
      }
      failed = true;
      if (fail === 'drop once sent') return void req.socket.destroy();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'the guide host failed', code: 'service.unavailable', status: 503, contextId: 'c-1' }));
    });
    return true;
  });
  return { env: { ...emu.env, GENESYSCLOUD_API_URL: server.url, GENESYSCLOUD_LOGIN_URL: server.url }, turns };
}

interface Report {
  invocations: number;
  tests: { runs: { case: string; observation: { outcome: string; output: string; error?: { message: string } } }[] }[];
}

describe('a guide turn whose outcome is unknown', () => {
  for (const [fail, words] of [
    ['drop once sent', /^POST \/api\/v2\/guides\/[\w-]+\/sessions\/[\w-]+\/turns failed: connection dropped \(ECONNRESET\) \(http:\/\/127\.0\.0\.1:\d+\); AI Studio may have run it \(each turn is billed\), so it was not sent again$/],
    ['answer 503', /^the guide host failed; AI Studio may have run it \(each turn is billed\), so it was not sent again$/],
  ] as const) {
    it(`${fail}: is sent once, in no new session; the case is that error and the other case runs`, async () => {
      const { env, turns } = await setUp('AC-12345678', fail);
      const r = await runCliInProcess(['test', '--format', 'json', '--no-cache'], { cwd: dir!.path, env });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/^error:/m);
      // The label case's two turns once each, and the refund case's one: nothing replayed.
      expect([...turns].sort()).toEqual(['I want to return my order.', 'It is order AC-12345678.', 'When do I get my money?']);
      const report = JSON.parse(r.stdout) as Report;
      const [label, refund] = report.tests[0]!.runs;
      expect(label!.observation.outcome).toBe('error');
      expect(label!.observation.error!.message).toMatch(words);
      expect(refund!.observation).toMatchObject({ outcome: 'answered', output: 'Your money is back within 5 days.' });
    });
  }
});
