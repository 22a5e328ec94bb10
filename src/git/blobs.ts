// Blobs read from git in one process: `git cat-file --batch`, fed the ids on stdin (which
// simple-git's raw() cannot do), for the YAML files ownership, --changed-since and rollback read.
import { spawn } from 'node:child_process';
import { gitProcessEnv, type RunEnv } from './environment.js';

/** Blobs larger than this are not documents promptctl wrote (the loader refuses them too). */
const MAX_BLOB = 4 * 1024 * 1024;

/** The contents of `shas` (as UTF-8), read by one `git cat-file --batch`. */
export async function readBlobs(cwd: string, env: RunEnv, shas: string[]): Promise<string[]> {
  const byId = await readBlobsById(cwd, env, shas);
  return shas.flatMap((sha) => (byId.has(sha) ? [byId.get(sha)!] : []));
}

/** The contents of `shas` (as UTF-8) by id; a missing or oversized blob is left out. */
export async function readBlobsById(cwd: string, env: RunEnv, shas: string[]): Promise<Map<string, string>> {
  const texts = await readObjects(cwd, env, shas);
  const out = new Map<string, string>();
  for (const [i, sha] of shas.entries()) {
    const text = texts[i];
    if (text !== null && text !== undefined) out.set(sha, text);
  }
  return out;
}

/** What one `git cat-file --batch` answers to `names`, one a line. */
function catFileBatch(cwd: string, env: RunEnv, names: readonly string[]): Promise<Buffer> {
  return new Promise((resolveAll, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, env: gitProcessEnv(env), stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file --batch exited with ${code}`));
      resolveAll(Buffer.concat(chunks));
    });
    child.stdin.on('error', () => undefined); // a child that died early is reported by 'close'
    child.stdin.end(names.join('\n') + '\n');
  });
}

/**
 * The texts of `names` (object names such as `<commit>:<path>`, none holding a line break), in
 * their order, read by one `git cat-file --batch`; null for one that names no blob (a file that
 * commit deleted), or an oversized one.
 */
export async function readObjects(cwd: string, env: RunEnv, names: readonly string[]): Promise<(string | null)[]> {
  if (names.length === 0) return [];
  return parseBatchInOrder(await catFileBatch(cwd, env, names), names.length);
}

/** A found object's header: `<oid> <type> <size>` (a name not found says `<name> missing`, or `ambiguous`). */
const FOUND = /^[0-9a-f]{40,64} (\S+) (\d+)$/;

/** One answer a name, in order: the blob's text, or null. */
function parseBatchInOrder(buf: Buffer, count: number): (string | null)[] {
  const out: (string | null)[] = [];
  let pos = 0;
  while (out.length < count && pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    const found = FOUND.exec(buf.subarray(pos, nl).toString('utf8'));
    pos = nl + 1;
    if (!found) {
      out.push(null);
      continue;
    }
    const size = Number(found[2]);
    out.push(found[1] === 'blob' && size <= MAX_BLOB ? buf.subarray(pos, pos + size).toString('utf8') : null);
    pos += size + 1;
  }
  while (out.length < count) out.push(null);
  return out;
}
