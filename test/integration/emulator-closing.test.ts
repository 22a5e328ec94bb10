// A request that reaches the emulator while it closes (Ctrl-C or SIGTERM of `promptctl emulator`,
// the end of a command's embedded one) is refused as the server going away: 503 with Retry-After
// and the connection closed, its work not done. Before, the store, closed under it, answered 500
// "internal error: store is closed", which reads as a bug of the server. The close is held open
// deterministically: the journal's fsync of a write already in flight waits until the test lets it.
import { request, type IncomingHttpHeaders } from 'node:http';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOKEN_PATH } from '../../src/genesys/conventions.js';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { readStoredState } from '../../src/emulator/store.js';
import { boot } from './emulator-fixture.js';

let dir: string;
let stateFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-closing-'));
  stateFile = join(dir, 'local-state.json');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
}

/**
 * A POST whose headers the server has (it answered 100 Continue, so its handler is waiting for the
 * body) and whose body is sent only when `send` is called.
 */
async function startedPost(url: string, headers: Record<string, string>): Promise<{ send: (body: string) => Promise<Answer> }> {
  const req = request(url, { method: 'POST', agent: false, headers: { ...headers, Expect: '100-continue' } });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
    });
  });
  req.flushHeaders();
  await new Promise<void>((resolve) => req.once('continue', resolve));
  return {
    send: (body) => {
      req.end(body);
      return answer;
    },
  };
}

/** Holds the next fsync until `release` is called; `reached` resolves once it is waiting. */
async function holdNextFsync(): Promise<{ reached: Promise<void>; release: () => void }> {
  const probe = await open(join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  const sync = proto.sync;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const waiting = new Promise<void>((r) => (reached = r));
  vi.spyOn(proto, 'sync').mockImplementationOnce(async function (this: unknown) {
    reached();
    await gate;
    return sync.call(this);
  });
  return { reached: waiting, release };
}

describe('the emulator closing with requests in flight', () => {
  it('refuses them as going away (503, Retry-After, connection closed), not as its own failure (500)', async () => {
    const { em, api } = await boot({ stateFile });
    await api.template('before');
    const create = await startedPost(em.url + paths.templates(), { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json' });
    const login = await startedPost(em.url + TOKEN_PATH, {
      Authorization: `Basic ${Buffer.from('local-client:local-secret').toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    });

    // A write being made durable when the close begins: the close waits for it.
    const fsync = await holdNextFsync();
    const held = api.post(paths.templates(), { name: 'held', model: 'gpt-4o' });
    await fsync.reached;
    const closed = em.close();

    let answers;
    try {
      answers = [await create.send(JSON.stringify({ name: 'late', model: 'gpt-4o' })), await login.send('grant_type=client_credentials')];
    } finally {
      fsync.release(); // whatever happened, the emulator closes
      await closed;
    }
    expect((await held).status).toBe(201);
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('service.unavailable');
      expect(answer.body.message).toMatch(/shutting down/);
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      expect(answer.headers.connection).toBe('close');
    }
    // The write in flight was acknowledged and kept; the one refused left nothing.
    const names = Object.values((await readStoredState(stateFile)).templates).map((t) => t.name).sort();
    expect(names).toEqual(['before', 'held']);
  });
});
