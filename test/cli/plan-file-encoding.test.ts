// A saved plan with a UTF-8 byte-order mark (an editor's, or PowerShell's `Out-File -Encoding
// utf8`) is the same plan: `show` and `apply PLANFILE` read it as the YAML loader reads text, the
// mark dropped, and its seal still holds. One saved as UTF-16 (Windows PowerShell 5's
// `plan --format json > plan.json`) or UTF-32 is refused in words that say so and how to write it
// as UTF-8. Before, both were "invalid JSON (Unexpected token '\ufeff'…" with an invisible or
// garbled character, and `plan --out` refused to replace such a plan as "not a promptctl plan".
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function utf16(text: string, littleEndian: boolean): Buffer {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (littleEndian) return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
  return be;
}

function utf32le(text: string): Buffer {
  const points = [0xfeff, ...[...text].map((c) => c.codePointAt(0)!)];
  const buf = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => buf.writeUInt32LE(p, i * 4));
  return buf;
}

async function saved(): Promise<{ planned: string; json: string }> {
  s = await scenario();
  const planned = await s.cli(['plan', '--out', 'plan.json']);
  expect(planned.code, planned.stderr).toBe(0);
  return { planned: planned.stdout, json: await readFile(join(s.dir.path, 'plan.json'), 'utf8') };
}

describe('a saved plan with a UTF-8 byte-order mark', () => {
  it('is shown as the plan it is, in every format', async () => {
    const { planned, json } = await saved();
    await writeFile(join(s!.dir.path, 'bom.json'), Buffer.concat([BOM, Buffer.from(json)]));
    const text = await s!.cli(['show', 'bom.json']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(planned);
    const asJson = await s!.cli(['show', 'bom.json', '--format', 'json']);
    expect(asJson.code, asJson.stderr).toBe(0);
    expect(asJson.stdout.startsWith('{')).toBe(true);
    expect(JSON.parse(asJson.stdout)).toEqual(JSON.parse(json));
  });

  it('is applied: its seal holds and it is not taken for a hand-edited plan', async () => {
    const { json } = await saved();
    await writeFile(join(s!.dir.path, 'plan.json'), Buffer.concat([BOM, Buffer.from(json)]));
    const r = await s!.cli(['apply', 'plan.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/modified|fingerprint|invalid JSON|stale/i);
    expect((await s!.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('is still a plan that `plan --out` replaces, and so is one saved as UTF-16', async () => {
    const { json } = await saved();
    const path = join(s!.dir.path, 'plan.json');
    for (const bytes of [Buffer.concat([BOM, Buffer.from(json)]), utf16(json, true), utf16(json, false)]) {
      await writeFile(path, bytes);
      const r = await s!.cli(['plan', '--out', 'plan.json']);
      expect(r.code, r.stderr).toBe(0);
      const written = await readFile(path);
      expect(written.subarray(0, 1).toString()).toBe('{'); // UTF-8, no mark
      expect(JSON.parse(written.toString('utf8')).formatVersion).toBe(2);
    }
  });
});

describe('a saved plan in UTF-16 or UTF-32', () => {
  it('is refused by show in words: what it is, and how to write it as UTF-8', async () => {
    const { json } = await saved();
    const cases: [string, Buffer, string][] = [
      ['le.json', utf16(json, true), 'UTF-16'],
      ['be.json', utf16(json, false), 'UTF-16'],
      ['u32.json', utf32le(json), 'UTF-32'],
    ];
    for (const [name, bytes, encoding] of cases) {
      await writeFile(join(s!.dir.path, name), bytes);
      const r = await s!.cli(['show', name]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`${name}:1:1: error: ${encoding} text (its byte-order mark says so), and a plan file must be UTF-8`);
      expect(r.stderr).toContain(`promptctl plan --out ${name}`);
      expect(r.stderr).toContain(`Out-File -Encoding utf8 ${name}`);
      expect(r.stderr).not.toMatch(/invalid JSON|Unexpected token|\ufffd|\ufeff|\u0000/);
    }
  });

  it('is refused by apply before anything is done', async () => {
    const { json } = await saved();
    await writeFile(join(s!.dir.path, 'plan.json'), utf16(json, true));
    const r = await s!.cli(['apply', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('plan.json is not a valid plan file; nothing was done');
    expect(r.stderr).toContain('UTF-16 text (its byte-order mark says so)');
    expect((await s!.cli(['plan', '--detailed-exitcode'])).code).toBe(2);
  });

  it('a NUL byte or invalid UTF-8 in a plan file is named at its line and column', async () => {
    const { json } = await saved();
    const lines = json.split('\n');
    const bad = Buffer.concat([Buffer.from(`${lines.slice(0, 2).join('\n')}\n  `), Buffer.from([0xff]), Buffer.from(`\n${lines.slice(2).join('\n')}`)]);
    await writeFile(join(s!.dir.path, 'bad.json'), bad);
    const r = await s!.cli(['show', 'bad.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.json:3:3: error: not a promptctl plan: not valid UTF-8 text');
  });
});

describe('a saved plan cut short in the middle of a character', () => {
  // A copy or download that stopped early can end inside a multi-byte character (a guide's name,
  // a prompt's text): the file is truncated, not in another encoding. It was "not valid UTF-8
  // text (save the file as UTF-8)", advice that cannot help.
  it('is refused by show as cut short, at where it ends, with how to save it again', async () => {
    const { json } = await saved();
    const lines = json.split('\n');
    // Line 3 cut after the first byte of "é" (0xC3 0xA9).
    const cut = Buffer.concat([Buffer.from(`${lines.slice(0, 2).join('\n')}\n  "caf`), Buffer.from([0xc3])]);
    await writeFile(join(s!.dir.path, 'cut.json'), cut);
    const r = await s!.cli(['show', 'cut.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cut.json:3:7: error: not a promptctl plan: it ends in the middle of a character, so it was cut short (truncated); remove it and save the plan again (`promptctl plan --out cut.json`) [plan/json]');
    expect(r.stderr).not.toContain('save the file as UTF-8');
  });

  it('still names invalid UTF-8 that is not at the end as such', async () => {
    const { json } = await saved();
    const lines = json.split('\n');
    const bad = Buffer.concat([Buffer.from(`${lines.slice(0, 2).join('\n')}\n  `), Buffer.from([0xc3]), Buffer.from(`\n${lines.slice(2).join('\n')}`)]);
    await writeFile(join(s!.dir.path, 'bad.json'), bad);
    const r = await s!.cli(['show', 'bad.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.json:3:3: error: not a promptctl plan: not valid UTF-8 text');
  });
});
