// A read (GET) answered 2xx with a body damaged on the way (a gzip body that does not decode, JSON
// cut short under a JSON content type) is asked again, as a transient failure: it changes
// nothing, and the next answer may come whole. It was never asked again ("answered 200; not sent
// again", the rule for a write, which has landed), and JSON cut short read as text: "answered 200
// with text, not a listing: is the API URL right?". Past the retries, the message says the body
// could not be read.
import { expect, it } from 'vitest';
import { ApiError } from '../../src/genesys/errors.js';
import type { RetryInfo } from '../../src/targets/llmgateway/client.js';
import { closeAfterEach, scriptedProxy, type InterruptingProxy, type ProxyAnswer } from '../helpers/interrupt.js';
import { setup } from './client-support.js';

const closing = closeAfterEach();
let proxy: InterruptingProxy | undefined;

const FILTERS = '/api/v2/llmgateway/safetyfilters';
const TRUNCATED: ProxyAnswer = { status: 200, code: 'ok', body: '{"broken:' };
const BAD_GZIP: ProxyAnswer = { status: 200, code: 'ok', headers: { 'content-encoding': 'gzip' }, body: Buffer.from('not gzip at all, but it says so') };

/** The emulator behind a proxy that answers the first `times` listings of the filters with `answer`. */
async function damaging(answer: ProxyAnswer, times: number) {
  const env = closing(await setup());
  let damaged = 0;
  proxy = closing(
    await scriptedProxy(env.emulator.url, (r) => {
      if (r.method !== 'GET' || r.path !== FILTERS || damaged >= times) return 'forward';
      damaged++;
      return answer;
    }),
  );
  const retries: RetryInfo[] = [];
  return { retries, client: env.client({ apiUrl: proxy.url, maxRetries: 2, onRetry: (i) => retries.push(i) }) };
}

const listings = () => proxy!.seen.filter((s) => s.method === 'GET' && s.path === FILTERS).length;

for (const [name, answer] of [['JSON cut short', TRUNCATED], ['a gzip body that does not decode', BAD_GZIP]] as const) {
  it(`a listing answered 200 with ${name} is asked again, and read whole the second time`, async () => {
    const { client, retries } = await damaging(answer, 1);
    await expect(client.listFilters()).resolves.toEqual([]);
    expect(listings()).toBe(2);
    expect(retries.map((r) => [r.status, r.reason])).toEqual([[200, 'answer unreadable (200)']]);
  });
}

it('JSON cut short every time: asked as often as the policy allows, then the error says the body could not be read, not "is the API URL right?"', async () => {
  const { client } = await damaging(TRUNCATED, Infinity);
  const err = await client.listFilters().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  const message = (err as ApiError).message;
  expect(message).toMatch(/^GET \/api\/v2\/llmgateway\/safetyfilters\S* failed: 200 http\.200: OK \(the answer's JSON body could not be read, cut short or not valid JSON: [^)]+\)/);
  expect(message).toMatch(/gave up after 3 attempts/);
  expect(message).not.toMatch(/API URL|not sent again/);
  expect(listings()).toBe(3);
});
