// `promptctl audit verify`, in-process (test/helpers/cli.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_KEY_ENV, formatAnchor, openAuditLog } from '../../src/audit/log.js';
import { appendRecords } from '../helpers/audit-trail.js';
import { createHash } from 'node:crypto';
import { stableStringify } from '../../src/util/json.js';
import { runCliInProcess } from '../helpers/cli.js';

const KEY = 'cli-test-key-0123456789';

function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliInProcess(args, { cwd, env });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-cli-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const writeLog = appendRecords;

describe('promptctl audit verify', () => {
  it('verifies the file named by audit.file in prompts/promptctl.yaml when none is given', async () => {
    await mkdir(join(dir, 'prompts'));
    await writeFile(
      join(dir, 'prompts', 'promptctl.yaml'),
      'apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit: {file: logs/trail.jsonl}\n',
    );
    await writeLog(join(dir, 'logs', 'trail.jsonl'), 2);
    const r = await run(dir, ['audit', 'verify']);
    expect(r.stdout).toContain('ok: logs/trail.jsonl: 2 records, chain intact');
    expect(r.code).toBe(0);
  });

  it('verifies .promptctl/audit.jsonl in the working directory by default', async () => {
    await writeLog(join(dir, '.promptctl', 'audit.jsonl'), 4);
    const r = await run(dir, ['audit', 'verify']);
    expect(r).toMatchObject({ code: 0, stdout: 'ok: .promptctl/audit.jsonl: 4 records, chain intact\n' });
  });

  // `audit verify "$TRAIL"` with TRAIL unset read the working directory: "<dir>: not a file".
  it('refuses an empty FILE as no path, not as the working directory', async () => {
    const r = await runCliInProcess(['audit', 'verify', ''], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: FILE needs a path, not an empty string (leave it out for the default)\n');
  });

  it('names the first broken line of a tampered file and exits 1', async () => {
    const file = join(dir, 'trail.jsonl');
    await writeLog(file, 5);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[2] = lines[2]!.replace('"outcome":"success"', '"outcome":"failure"');
    lines[3] = lines[3]!.replace('PromptTemplate/t4', 'PromptTemplate/zz');
    await writeFile(file, lines.join('\n'));
    const r = await run(dir, ['audit', 'verify', 'trail.jsonl']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('trail.jsonl:3: error: broken audit chain: hash does not match the content of record 3\n');
  });

  it("says an empty line an editor added is not a record, not that someone broke the chain (a review: \"broken audit chain\")", async () => {
    const file = join(dir, 'trail.jsonl');
    await writeLog(file, 3);
    await writeFile(file, (await readFile(file, 'utf8')) + '\n');
    const r = await run(dir, ['audit', 'verify', 'trail.jsonl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('trail.jsonl:4: error: not a record: an empty line, which promptctl never writes (an editor or a copy added it): remove that line (it holds no record)\n');
  });

  it('checks a named file whatever PROMPTCTL_ENV is exported for other commands (there is no project here)', async () => {
    await writeLog(join(dir, 'trail.jsonl'), 2);
    const r = await runCliInProcess(['audit', 'verify', 'trail.jsonl'], { cwd: dir, env: { PROMPTCTL_ENV: 'prod' } });
    expect(r).toMatchObject({ code: 0, stdout: 'ok: trail.jsonl: 2 records, chain intact\n' });
  });

  // `audit verify trail.jsonl --env prod` checked trail.jsonl and said nothing of --env.
  it('refuses a named file and --env together: each names a trail', async () => {
    await writeLog(join(dir, 'trail.jsonl'), 2);
    await mkdir(join(dir, 'prompts'), { recursive: true });
    await writeFile(join(dir, 'prompts/promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  environments:\n    prod: {credentials: PCTL_A_PROD}\n');
    const r = await run(dir, ['audit', 'verify', 'trail.jsonl', '--env', 'prod']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('error: trail.jsonl and --env prod each name an audit trail (--env: .promptctl/envs/prod/audit.jsonl): give one\n');
  });

  it('with --head, finds the anchor, and detects a deleted last record and an emptied file', async () => {
    const file = join(dir, 'trail.jsonl');
    const head = formatAnchor((await writeLog(file, 3))!);
    const ok = await run(dir, ['audit', 'verify', 'trail.jsonl', '--head', head]);
    expect(ok).toMatchObject({ code: 0, stdout: `ok: trail.jsonl: 3 records, chain intact; head ${head.slice(0, 14)}… found\n` });

    const text = await readFile(file, 'utf8');
    await writeFile(file, text.split('\n').slice(0, 2).join('\n') + '\n');
    const cut = await run(dir, ['audit', 'verify', 'trail.jsonl', '--head', head]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toBe(
      `trail.jsonl: error: audit trail does not match its head anchor: the trail ends at record 2 but the head anchor ${head.slice(0, 14)}… names record 3: records were removed from its end, or the anchor is another trail's (another --env?)\n`,
    );

    await writeFile(file, '');
    expect(await run(dir, ['audit', 'verify', 'trail.jsonl'])).toMatchObject({ code: 0, stdout: 'ok: trail.jsonl: 0 records, chain intact\n' });
    const emptied = await run(dir, ['audit', 'verify', 'trail.jsonl', '--head', head]);
    expect(emptied.code).toBe(1);
    expect(emptied.stderr).toMatch(/the trail is empty but the head anchor 3:.* names record 3/);
  });

  it('refuses a malformed --head', async () => {
    await writeLog(join(dir, '.promptctl', 'audit.jsonl'), 1);
    const r = await run(dir, ['audit', 'verify', '--head', '3:abc']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--head: expected SEQ:HASH/);
  });

  it('verifies a keyed trail with PROMPTCTL_AUDIT_KEY, and says clearly that it needs it', async () => {
    await writeLog(join(dir, '.promptctl', 'audit.jsonl'), 2, { [AUDIT_KEY_ENV]: KEY });
    const withKey = await run(dir, ['audit', 'verify'], { [AUDIT_KEY_ENV]: KEY });
    expect(withKey).toMatchObject({ code: 0, stdout: 'ok: .promptctl/audit.jsonl: 2 records, chain intact, keyed\n' });
    const without = await run(dir, ['audit', 'verify']);
    expect(without.code).toBe(1);
    expect(without.stderr).toBe(
      '.promptctl/audit.jsonl:1: error: cannot verify: record 1 is keyed (hmac-sha256): set PROMPTCTL_AUDIT_KEY to the key it was written with to verify it\n',
    );
    const output = withKey.stdout + withKey.stderr + without.stdout + without.stderr + (await readFile(join(dir, '.promptctl', 'audit.jsonl'), 'utf8'));
    expect(output).not.toContain(KEY);
  });

  it('with PROMPTCTL_AUDIT_KEY, refuses a trail none of whose records is keyed (re-chained without the key), unless --allow-unkeyed', async () => {
    const file = join(dir, '.promptctl', 'audit.jsonl');
    await writeLog(file, 3, { [AUDIT_KEY_ENV]: KEY });
    // A forger without the key: every record rewritten, re-chained with plain sha256.
    const forged: string[] = [];
    let prev = '';
    for (const line of (await readFile(file, 'utf8')).trimEnd().split('\n')) {
      const r = { ...JSON.parse(line), alg: 'sha256', outcome: 'failure' } as Record<string, unknown>;
      r.prevHash = prev || r.prevHash;
      const { hash: _h, ...rest } = r;
      r.hash = createHash('sha256').update(String(r.prevHash) + stableStringify(rest)).digest('hex');
      prev = r.hash as string;
      forged.push(JSON.stringify(r));
    }
    await writeFile(file, forged.join('\n') + '\n');
    expect(await run(dir, ['audit', 'verify'])).toMatchObject({ code: 0, stdout: 'ok: .promptctl/audit.jsonl: 3 records, chain intact\n' });
    const keyed = await run(dir, ['audit', 'verify'], { [AUDIT_KEY_ENV]: KEY });
    expect(keyed.code).toBe(1);
    expect(keyed.stdout).toBe('');
    expect(keyed.stderr).toContain('.promptctl/audit.jsonl: not keyed: none of its 3 records are keyed, so PROMPTCTL_AUDIT_KEY cannot vouch for them');
    expect(keyed.stderr).toContain('--allow-unkeyed');
    expect(keyed.stderr).not.toContain(KEY);
    // An anchor the trail holds vouches for it, as the message says (an apply's printed anchor is
    // not in a re-chained trail: the --head test above).
    const forgedHead = forged.at(-1)!;
    const anchor = `${(JSON.parse(forgedHead) as { seq: number }).seq}:${(JSON.parse(forgedHead) as { hash: string }).hash}`;
    expect(await run(dir, ['audit', 'verify', '--head', anchor], { [AUDIT_KEY_ENV]: KEY })).toMatchObject({ code: 0 });
    const allowed = await run(dir, ['audit', 'verify', '--allow-unkeyed'], { [AUDIT_KEY_ENV]: KEY });
    expect(allowed).toMatchObject({ code: 0, stdout: 'ok: .promptctl/audit.jsonl: 3 records, chain intact, not keyed (written without PROMPTCTL_AUDIT_KEY)\n' });
  });

  it('notes intents without an outcome', async () => {
    const file = join(dir, '.promptctl', 'audit.jsonl');
    const log = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    await log.intent({ actor: 'a', commit: null, planId: 'p', org: null, address: 'PromptTemplate/x', action: 'create', resourceId: null, before: null, after: null });
    await log.close();
    const r = await run(dir, ['audit', 'verify']);
    expect(r).toMatchObject({ code: 0, stdout: 'ok: .promptctl/audit.jsonl: 1 record, chain intact\n' });
    expect(r.stderr).toMatch(/note: 1 intent without an outcome \(record 1\)/);
  });

  it('fails clearly on a missing file, without a stack trace', async () => {
    const r = await run(dir, ['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: \.promptctl\/audit\.jsonl: not found: no audit trail here/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the trail above when run from a subdirectory of the project', async () => {
    await mkdir(join(dir, '.git'));
    await mkdir(join(dir, 'prompts'));
    await writeFile(join(dir, 'prompts', 'promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec: {}\n');
    const log = await openAuditLog(join(dir, '.promptctl', 'audit.jsonl'), { env: {}, onWarning: () => undefined });
    await log.intent({ actor: 'a', commit: null, planId: 'p', org: null, address: 'PromptTemplate/x', action: 'create', resourceId: null, before: null, after: null });
    await log.close();
    // `cd prompts && promptctl audit verify`: the trail apply wrote is one level up.
    const r = await run(join(dir, 'prompts'), ['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: .promptctl/audit.jsonl: not found: no audit trail here');
    expect(r.stderr).toContain('../.promptctl/audit.jsonl above holds the trail of earlier applies: run promptctl from .. (with --dir)');
    // A file named on the command line is that file: no guess above it.
    const named = await run(join(dir, 'prompts'), ['audit', 'verify', 'trail.jsonl']);
    expect(named.stderr).not.toContain('above holds');
  });

  it('fails clearly on a directory', async () => {
    await mkdir(join(dir, 'logs'));
    const r = await run(dir, ['audit', 'verify', 'logs']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/logs: not a file/);
  });
});
