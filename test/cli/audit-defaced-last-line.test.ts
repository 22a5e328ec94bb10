// `audit verify` on a trail whose last line is a whole record without its newline that does not
// verify: tampering (a complete line), not a write a crash cut short. Apply refuses to append
// after it (chain-file.ts), so verify must not call it an interrupted write the next apply repairs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendRecords } from '../helpers/audit-trail.js';
import { runCliInProcess } from '../helpers/cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-cli-audit-defaced-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const writeLog = appendRecords;

describe('audit verify: the last line', () => {
  it('reports an edited last record without its newline as a broken chain, not as an interrupted write', async () => {
    const file = join(dir, 'trail.jsonl');
    await writeLog(file, 3);
    const text = (await readFile(file, 'utf8')).trimEnd();
    await writeFile(file, text.replace(/"outcome":"success"(?=[^\n]*$)/, '"outcome":"failure"'));
    const r = await runCliInProcess(['audit', 'verify', 'trail.jsonl'], { cwd: dir, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('trail.jsonl:3: error: broken audit chain: hash does not match the content of record 3\n');
  });

  it('still reports a torn last line (not JSON) as an interrupted write', async () => {
    const file = join(dir, 'trail.jsonl');
    await writeLog(file, 2);
    await writeFile(file, (await readFile(file, 'utf8')) + '{"format":2,"seq":3,"time');
    const r = await runCliInProcess(['audit', 'verify', 'trail.jsonl'], { cwd: dir, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trail\.jsonl:3: error: broken audit chain: incomplete last line \(not valid JSON\): a write was interrupted/);
  });
});
