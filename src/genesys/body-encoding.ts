// An answer's body as text: what the request asks for (gzip), and its bytes decoded as the server
// sent them. A plan reads every page of a large org's listings (3.6 MB of JSON at 1,000
// templates): gzip sends a fifteenth of the bytes. Each body is decoded in one piece on zlib's
// pool, into one buffer sized from the gzip trailer: in a microbenchmark that cost the main
// thread less than plain bytes, or got's own decompression (16 KB chunks back to the main thread).
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** What every request that reads its answer whole accepts. */
export const ACCEPT_ENCODING = 'gzip';

/**
 * The most a decoded body may weigh: past it, a broken or hostile answer (a few hundred KB that
 * inflate to gigabytes) is refused, not held, even with every request slot reading one. A listing
 * page of 100 templates is about 0.4 MB.
 */
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;
/**
 * The gzip trailer's size (mod 2³², or bytes after the stream, which gunzip ignores) is the
 * server's word: a wrong one costs at most one buffer of MAX_CHUNK, or growth past it.
 */
const MIN_CHUNK = 16 * 1024;
const MAX_CHUNK = 4 * 1024 * 1024;

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotli = promisify(zlib.brotliDecompress);

/** A body that cannot be read as text: a coding it does not hold (a proxy that decoded it and kept the header), one unknown, or too large. */
export class BodyDecodeError extends Error {
  /**
   * `damaged`: the body did not decode in the coding it names (altered or cut short on the way):
   * another attempt may read it whole. Not so for a coding promptctl cannot read, or a body too
   * large (`tooLarge`: a listing asks again for a smaller page).
   */
  constructor(
    message: string,
    readonly damaged = false,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/**
 * The body as text (UTF-8), undoing each content coding the server names, last applied first.
 * None, or `identity`, is the bytes as they are. Decoded, it weighs at most `maxBytes`.
 */
export async function decodeBody(raw: Buffer, contentEncoding: string | undefined, maxBytes = MAX_DECODED_BYTES): Promise<string> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let bytes = raw;
  for (const coding of codings.reverse()) {
    // An empty body (a 204, a HEAD) holds nothing to decode, whatever it says.
    if (bytes.length === 0) break;
    bytes = await decoded(bytes, coding, maxBytes);
  }
  if (bytes.length > maxBytes) throw new BodyDecodeError(`the answer's body is larger than ${sizeText(maxBytes)}; promptctl reads no more of it`, false, true);
  try {
    return bytes.toString('utf8');
  } catch (err) {
    // Longer than a string may be (ERR_STRING_TOO_LONG): a body no API answers.
    throw new BodyDecodeError(`the answer's body could not be read as text: ${(err as Error).message}`, false, true);
  }
}

async function decoded(bytes: Buffer, coding: string, maxBytes: number): Promise<Buffer> {
  try {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return await gunzip(bytes, { chunkSize: gzipChunk(bytes), maxOutputLength: maxBytes });
      case 'deflate':
        return await inflate(bytes, { maxOutputLength: maxBytes });
      case 'br':
        return await brotli(bytes, { maxOutputLength: maxBytes });
    }
  } catch (err) {
    const tooLarge = isTooLarge(err);
    throw new BodyDecodeError(`the answer's ${coding} body could not be decoded: ${(err as Error).message}`, !tooLarge, tooLarge);
  }
  throw new BodyDecodeError(`the answer's body is encoded as "${coding}", which promptctl cannot read`);
}

/** One output buffer for the whole body, sized from the gzip trailer's ISIZE, within bounds. */
function gzipChunk(bytes: Buffer): number {
  if (bytes.length < 18) return MIN_CHUNK;
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, bytes.readUInt32LE(bytes.length - 4)));
}

/** zlib's refusal of output past maxOutputLength: a body too large, not one damaged (it would be as large again). */
function isTooLarge(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
}

/** A byte count as the messages say it: MiB when whole, else bytes. */
export function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes.toLocaleString('en-US')} bytes`;
}
