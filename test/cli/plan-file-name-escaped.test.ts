// A saved plan's file name is the user's, and may hold an ESC or a line break: when the file is not
// a valid plan, `show` and `apply` name it (and each problem's place in it) escaped, as validate
// names prompt files, so it can neither drive the terminal nor forge another line.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('an invalid plan file whose name holds control characters', () => {
  it('is named escaped by show and apply', async () => {
    s = await scenario();
    const name = 'p\u001b[2Jlan\nfake: error: x.json';
    await writeFile(join(s.dir.path, name), '{"formatVersion": 1,\n  "actions": [}\n');
    for (const args of [['show', name], ['apply', name]]) {
      const r = await s.cli(args);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr, args[0]).not.toContain('\u001b');
      expect(r.stderr, args[0]).toContain('p\\u001b[2Jlan\\u000afake: error: x.json');
      // Every line of the refusal is the message or a problem at the escaped name.
      const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('target:') && l.trim() !== '');
      for (const l of lines.slice(1)) expect(l, args[0]).toMatch(/^p\\u001b\[2Jlan\\u000afake: error: x\.json:\d+:\d+: error: /);
    }
  });
});
