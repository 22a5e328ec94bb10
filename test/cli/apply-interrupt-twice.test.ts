// A second interrupt ends an apply at once: it exited 130 saying "interrupted again: exiting now…"
// and nothing else, so the `audit head:` line every apply that opens its trail ends with (the
// anchor CI keeps) was missing exactly where CI's second signal lands (a review: `kill -INT` at
// 1.1 s, again 50 ms later). The head as last written is now said before the exit, at once.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cleanEnv } from '../helpers/cli.js';
import { appliedWithNewVersion, closeAfterEach, scriptedProxy } from '../helpers/interrupt.js';
import type { Scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

/**
 * Applies `s` through a proxy that interrupts the run twice, one signal after the other, when its
 * first write arrives; returns stderr as it stood when the run asked to exit, and the exit codes asked for.
 */
async function interruptedTwiceAtItsFirstWrite(s: Scenario): Promise<{ atExit: string | undefined; exited: number[]; code: number }> {
  const { run } = await import('../../src/cli/main.js');
  let listener: (() => void) | undefined;
  const proxy = closing(
    await scriptedProxy(s.emu.url, (r, interrupt) => {
      if (r.late || r.method === 'GET' || r.path.includes('/oauth/')) return 'forward';
      interrupt();
      listener?.();
      listener?.();
      return 'forward';
    }),
  );
  const out = { text: '', write(c: string) { this.text += c; } };
  const err = { text: '', write(c: string) { this.text += c; } };
  const exited: number[] = [];
  let atExit: string | undefined;
  const code = await run(['apply', '--auto-approve'], {
    stdout: out,
    stderr: err,
    stdin: Object.assign(Readable.from([]), { isTTY: false }),
    env: cleanEnv({ ...s.emu.env, GENESYSCLOUD_API_URL: proxy.url }),
    cwd: s.dir.path,
    color: false,
    onInterrupt(l) {
      listener = l;
      return () => (listener = undefined);
    },
    // In-process nothing ends the process: what was said by then is what the user saw.
    exitNow: (c) => {
      exited.push(c);
      atExit ??= err.text;
    },
  });
  return { atExit, exited, code };
}

describe('an apply interrupted twice', () => {
  it('says the audit head as last written before it exits at once', { timeout: 60_000 }, async () => {
    const s = await appliedWithNewVersion(closing);
    const r = await interruptedTwiceAtItsFirstWrite(s);
    expect(r.exited).toEqual([130]);
    expect(r.atExit).toMatch(/^interrupted again: exiting now; the next apply settles what is still open$/m);
    const head = /^audit head: (\d+):([0-9a-f]{64})$/m.exec(r.atExit!);
    expect(head, r.atExit).not.toBeNull();
    // The head is a record of the trail: this run's intent for the write in flight, its outcome the next run's to settle.
    const records = (await readFile(join(s.dir.path, '.promptctl', 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; hash: string; type: string });
    const named = records.find((x) => x.seq === Number(head![1]));
    expect(named).toMatchObject({ hash: head![2], type: 'intent' });
  });
});
