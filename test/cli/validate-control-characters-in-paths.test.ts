// A diagnostic names its file as found on disk, and a file name may hold any character but "/"
// and NUL: an ESC (drives the reader's terminal: colours, clearing the screen) or, through a
// `{file: ...}` text, a line break (a second diagnostic line, forged). Messages were made visible
// and kept to one line; the file name was printed raw. It is shown as the messages are now.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { formatText } from '../../src/views/diagnostics.js';

const ESC = '\u001b';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-validate-path-controls-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
});
afterEach(async () => {
  await dir.remove();
});

describe('validate: control characters in a file name', () => {
  it('text and github formats show an ESC in the name as \\u001b', async () => {
    await writeFile(join(dir.path, `prompts/evil${ESC}[2J${ESC}[31mname.yaml`), 'a: 1\n');
    for (const format of ['text', 'github']) {
      const r = await runCliInProcess(['validate', '--format', format], { cwd: dir.path, env: {} });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('evil\\u001b[2J\\u001b[31mname.yaml');
      expect(r.stdout + r.stderr).not.toContain(ESC);
    }
  });

  it('a line break in a name stays on its diagnostic line', () => {
    const line = formatText({ file: 'prompts/a\nprompts/fake.yaml:1:1: error: forged [x]\n.md', line: 2, column: 3, severity: 'error', rule: 'r/x', message: 'm' });
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toBe('prompts/a\\u000aprompts/fake.yaml:1:1: error: forged [x]\\u000a.md:2:3: error: m [r/x]');
  });
});
