// A request Node's HTTP parser refuses before any handler runs (headers past its size limit, a
// request line that is no HTTP) is still answered by DESIGN §3's conventions: an ErrorBody whose
// contextId is the ININ-Correlation-Id sent with it, and the rate-limit headers.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { emulatorForFile } from './emulator-fixture.js';

const api = emulatorForFile();

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Sends `request` as bytes and reads the answer until the server closes the connection. */
function raw(request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

function expectConventions(r: RawAnswer, status: number, code: string): void {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.headers.get('connection')).toBe('close');
  const body = JSON.parse(r.body) as Record<string, unknown>;
  expect(body).toMatchObject({ code, status, message: expect.any(String) });
  expect(body.contextId).toBe(r.headers.get('inin-correlation-id'));
  expect(body.contextId).toMatch(/^[0-9a-f-]{36}$/);
  for (const h of ['inin-ratelimit-count', 'inin-ratelimit-allowed', 'inin-ratelimit-reset']) expect(r.headers.get(h)).toMatch(/^\d+$/);
}

describe('a request the HTTP parser refuses', () => {
  it('headers past the size limit: 431 with an ErrorBody and the conventions’ headers', async () => {
    const r = await raw(`GET ${paths.templates()} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectConventions(r, 431, 'request.header.fields.too.large');
  });

  it('a query past the size limit: the same 431', async () => {
    const r = await raw(`GET ${paths.templates()}?name=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expectConventions(r, 431, 'request.header.fields.too.large');
  });

  it('a request line that is no HTTP: 400 bad.request with an ErrorBody', async () => {
    const r = await raw('NOT HTTP AT ALL\r\n\r\n');
    expectConventions(r, 400, 'bad.request');
  });

  it('answers the next connection as usual', async () => {
    await raw('NOT HTTP AT ALL\r\n\r\n');
    expect((await api.get(paths.templates())).status).toBe(200);
  });
});
