// A trail line with a key written twice verified: JSON.parse keeps the last value and the hash is
// computed over what it parsed, so `{"actor":"mallory",…original record…}` passed `audit verify`
// (keyed, with --head) while grep showed mallory (a review finding). Such a line is now broken.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../../src/audit/log.js';
import { repeatedKey } from '../../../src/audit/repeated-key.js';
import { verifyAuditFile } from '../../../src/audit/verify.js';
import { appendInput, quiet } from './support.js';

describe('repeatedKey', () => {
  it('finds a key written twice in any object, however it is escaped, and nothing in JSON.stringify output', () => {
    expect(repeatedKey('{"a":1,"b":2,"a":3}')).toBe('a');
    expect(repeatedKey('{"x":{"k":1,"\\u006b":2}}')).toBe('k');
    expect(repeatedKey('{"x":[{"k":1},{"k":2}],"y":{"k":3}}')).toBeUndefined();
    expect(repeatedKey('{"s":"a\\"b\\\\","t":"\\"a\\":1,\\"a\\":2"}')).toBeUndefined();
    expect(repeatedKey('{"__proto__":1,"__proto__":2}')).toBe('__proto__');
    expect(repeatedKey('{"a":{},"b":[],"c":{"a":{}}}')).toBeUndefined();
    const record = { seq: 1, actor: 'alice "a",', labels: { a: 'x', b: ['a', { a: 1 }] }, nested: { seq: 2 } };
    expect(repeatedKey(JSON.stringify(record))).toBeUndefined();
  });
});

describe('audit verify and the writer', () => {
  let dir: string;
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('refuse a line with a repeated key, though its hash matches what JSON.parse keeps', async () => {
    dir = await mkdtemp(join(tmpdir(), 'promptctl-dupkey-'));
    const file = join(dir, 'audit.jsonl');
    const log = await openAuditLog(file, quiet);
    for (const seq of [1, 2]) await log.append(appendInput(seq));
    await log.close();
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 2 });

    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    lines[0] = `{"actor":"mallory <m@evil>","address":"SafetyFilter/else",${lines[0]!.slice(1)}`;
    await writeFile(file, lines.join('\n') + '\n');
    const r = await verifyAuditFile(file);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toMatch(/the key \\"actor\\" is written twice in one object/);
    // The writer will not append after it either.
    await expect(openAuditLog(file, quiet)).rejects.toThrow(/audit\.jsonl:1: the audit chain is broken \(the key "actor" is written twice/);
  });
});
