// A server's error answer that is not an ErrorBody (an HTML page from a proxy) is quoted cut at
// 200 characters: a credential it echoes across that cut is never shown in part. The client's
// scrubbing runs on the whole answer before the cut, so no first characters of the client secret
// or the bearer token are left before the `…` (output masking finds only a start of 8 or more).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { PROMPTS_YAML } from './evals-support.js';

const SECRET = `Qz${Math.random().toString(36).slice(2, 10)}-secret-value`;
const TOKEN = `Tk${Math.random().toString(36).slice(2, 10)}ABCDEFGH12345`;
/** How much of a text answer a message quotes (genesys/failures.ts MESSAGE_CHARS). */
const QUOTED = 200;

let server: Server | undefined;
let dir: TempDir | undefined;

/** Closes the stand-in target and removes the project (after each try, and after each test). */
async function closed(): Promise<void> {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  await dir?.remove();
  dir = undefined;
}
afterEach(closed);

/** A stand-in target: the token request and every API call answered by `answer` (status, text body), or a token. */
async function target(answer: { token?: string; api?: string }): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/oauth/token')) {
        if (answer.token !== undefined) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(answer.token);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: 3600 }));
        return;
      }
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(answer.api ?? '');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function plan(url: string): Promise<string> {
  dir = await promptsIn('promptctl-clip-', { 'faq.yaml': `${PROMPTS_YAML}\n` }, 'prompts');
  const r = await runCliInProcess(['plan'], { cwd: dir.path, env: { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_OAUTHCLIENT_ID: 'local-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: SECRET } });
  expect(r.code, r.stderr).toBe(1);
  // The answer was quoted, and cut.
  expect(r.stderr).toMatch(/500 .*\u2026/);
  return r.stdout + r.stderr;
}

describe('an error page echoing a credential across the cut of its quote', () => {
  it('shows no first characters of the client secret', async () => {
    for (let shown = 1; shown <= 7; shown++) {
      const head = 'refused the client secret '.padEnd(QUOTED - shown, '.');
      const all = await plan(await target({ token: `${head}${SECRET} was refused` }));
      expect(all, `${shown} characters before the cut`).not.toContain(`${SECRET.slice(0, shown)}\u2026`);
      await closed();
    }
  });

  it('shows no first characters of the bearer token', async () => {
    for (let shown = 1; shown <= 7; shown++) {
      const head = '<p>the token is not valid here: '.padEnd(QUOTED - shown, '.');
      const all = await plan(await target({ api: `${head}${TOKEN} was refused</p>` }));
      expect(all, `${shown} characters before the cut`).not.toContain(`${TOKEN.slice(0, shown)}\u2026`);
      await closed();
    }
  });
});
