// An answer's body decoded as the server sent it (src/genesys/body-encoding.ts), and what the
// emulator takes an Accept-Encoding header to allow (src/emulator/http.ts).
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyDecodeError, decodeBody } from '../../../src/genesys/body-encoding.js';
import { acceptsGzip } from '../../../src/emulator/http.js';
import { answerBody } from '../../../src/genesys/attempt.js';

const text = JSON.stringify({ entities: Array.from({ length: 200 }, (_, i) => ({ id: `id-${i}`, name: `naïve ${i} ✓` })) });
const bytes = Buffer.from(text, 'utf8');

describe('decodeBody', () => {
  it('reads a plain body, and one marked identity, as UTF-8', async () => {
    expect(await decodeBody(bytes, undefined)).toBe(text);
    expect(await decodeBody(bytes, 'identity')).toBe(text);
    expect(await decodeBody(Buffer.alloc(0), undefined)).toBe('');
  });

  it('undoes gzip (x-gzip too), deflate and brotli, whatever the case of the name', async () => {
    expect(await decodeBody(gzipSync(bytes), 'gzip')).toBe(text);
    expect(await decodeBody(gzipSync(bytes), 'X-GZIP')).toBe(text);
    expect(await decodeBody(deflateSync(bytes), 'deflate')).toBe(text);
    expect(await decodeBody(brotliCompressSync(bytes), 'br')).toBe(text);
  });

  it('undoes stacked codings last applied first', async () => {
    expect(await decodeBody(brotliCompressSync(gzipSync(bytes)), 'gzip, br')).toBe(text);
  });

  it('sizes its one buffer from the gzip trailer within bounds: a misstated size is a damaged body, a body past the bound still whole', async () => {
    for (const size of [0, 1, 0xffffffff]) {
      const gz = Buffer.from(gzipSync(bytes));
      gz.writeUInt32LE(size, gz.length - 4);
      // zlib checks the trailer's size against what it decoded.
      await expect(decodeBody(gz, 'gzip')).rejects.toBeInstanceOf(BodyDecodeError);
    }
    const big = Buffer.from('x'.repeat(9 * 1024 * 1024));
    expect(await decodeBody(gzipSync(big), 'gzip')).toBe(big.toString());
  });

  it('an empty body says nothing, whatever coding it names (a 204 marked gzip)', async () => {
    expect(await decodeBody(Buffer.alloc(0), 'gzip')).toBe('');
  });

  it('refuses damaged bytes and an unknown coding with a BodyDecodeError naming the coding', async () => {
    await expect(decodeBody(Buffer.from('not gzip at all'), 'gzip')).rejects.toThrow(/the answer's gzip body could not be decoded: /);
    await expect(decodeBody(gzipSync(bytes).subarray(0, 100), 'gzip')).rejects.toBeInstanceOf(BodyDecodeError);
    await expect(decodeBody(bytes, 'compress')).rejects.toThrow(`the answer's body is encoded as "compress", which promptctl cannot read`);
  });

  it('refuses a body that inflates past 64 MiB (a few hundred KB on the wire), not holding it', async () => {
    const bomb = gzipSync(Buffer.alloc(65 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    await expect(decodeBody(bomb, 'gzip')).rejects.toThrow(/the answer's gzip body could not be decoded: .*(larger|length)/i);
  });
});

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['x-gzip', true],
    ['*', true],
    ['GZIP', true],
    ['identity', false],
    ['br, deflate', false],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['*;q=0', false],
    ['*, gzip;q=0', false],
    ['gzip;q=0, *', false],
    ['*;q=0, gzip', true],
    ['', false],
  ])('%j: %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it('takes an absent header as no', () => {
    expect(acceptsGzip(undefined)).toBe(false);
  });
});

describe('answerBody', () => {
  it('reads a 2xx whose content type says JSON and whose text does not parse as damaged (cut short), not as text', () => {
    expect(answerBody('{"broken:', 'application/json; charset=utf-8', 200)).toMatchObject({ body: undefined, damaged: true, undecodable: expect.stringMatching(/^the answer's JSON body could not be read, cut short or not valid JSON: /) });
    expect(answerBody('[1,', 'application/problem+json', 201)).toMatchObject({ damaged: true });
  });

  it('reads JSON as JSON, an empty body as nothing, text of another type as text, and an error answer\'s text as its text', () => {
    expect(answerBody('{"a":1}', 'application/json', 200)).toEqual({ body: { a: 1 } });
    expect(answerBody('', 'application/json', 202)).toEqual({ body: undefined });
    expect(answerBody('<html>Sign in</html>', 'text/html', 200)).toEqual({ body: '<html>Sign in</html>' });
    expect(answerBody('upstream connect error', 'application/json', 503)).toEqual({ body: 'upstream connect error' });
    expect(answerBody('{"x', undefined, 200)).toEqual({ body: '{"x' });
  });
});

describe('BodyDecodeError.damaged', () => {
  it('is set for a body that does not decode in its coding (another attempt may read it whole), not for a coding promptctl cannot read', async () => {
    const damaged = await decodeBody(Buffer.from('not gzip at all'), 'gzip').catch((e: unknown) => e);
    expect(damaged).toBeInstanceOf(BodyDecodeError);
    expect((damaged as BodyDecodeError).damaged).toBe(true);
    const unknown = await decodeBody(Buffer.from('x'), 'zstd-future').catch((e: unknown) => e);
    expect((unknown as BodyDecodeError).damaged).toBe(false);
  });
});
