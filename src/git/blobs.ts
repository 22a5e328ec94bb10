// Blobs read from git in one process: `git cat-file --batch`, fed the ids on stdin (which
// simple-git's raw() cannot do), for the YAML files ownership and --changed-since read.
import { spawn } from 'node:child_process';

/** Blobs larger than this are not documents promptctl wrote (the loader refuses them too). */
const MAX_BLOB = 4 * 1024 * 1024;

/** The contents of `shas` (as UTF-8), read by one `git cat-file --batch`. */
export async function readBlobs(cwd: string, shas: string[]): Promise<string[]> {
  const byId = await readBlobsById(cwd, shas);
  return shas.flatMap((sha) => (byId.has(sha) ? [byId.get(sha)!] : []));
}

/** The contents of `shas` (as UTF-8) by id; a missing or oversized blob is left out. */
export function readBlobsById(cwd: string, shas: string[]): Promise<Map<string, string>> {
  if (shas.length === 0) return Promise.resolve(new Map());
  return new Promise((resolveAll, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file --batch exited with ${code}`));
      resolveAll(parseBatch(Buffer.concat(chunks)));
    });
    child.stdin.on('error', () => undefined); // a child that died early is reported by 'close'
    child.stdin.end(shas.join('\n') + '\n');
  });
}

/** `<sha> blob <size>\n<content>\n` records (and `<sha> missing\n`). */
function parseBatch(buf: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    const header = buf.subarray(pos, nl).toString('utf8').split(' ');
    pos = nl + 1;
    if (header.length < 3) continue; // "<sha> missing"
    const size = Number(header[2]);
    if (!Number.isFinite(size)) break;
    if (header[1] === 'blob' && size <= MAX_BLOB) out.set(header[0]!, buf.subarray(pos, pos + size).toString('utf8'));
    pos += size + 1;
  }
  return out;
}
