// A damaged state file of the embedded emulator (a hand edit, a bad merge) is the user's to fix:
// said as an error naming the file, not as an internal error.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('a damaged embedded emulator state', () => {
  it('is a user error naming the file, in every command that opens it', async () => {
    dir = await tempDir('promptctl-state-');
    await mkdir(join(dir.path, 'prompts'), { recursive: true });
    await mkdir(join(dir.path, '.promptctl'), { recursive: true });
    for (const text of ['{', '[]', '{"formatVersion": 7}']) {
      await writeFile(join(dir.path, '.promptctl', 'local-state.json'), text);
      for (const args of [['plan'], ['test'], ['status']]) {
        const r = await runCliInProcess(args, { cwd: dir.path });
        expect(r.code, `${text} ${args.join(' ')}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toMatch(/^error: emulator state file .*local-state\.json is /m);
        expect(r.stderr).not.toMatch(/internal|PROMPTCTL_DEBUG|^\s+at /m);
      }
    }
  });
});

describe('a damaged embedded emulator journal', () => {
  it('is a user error naming the journal and the line, as a damaged state file is', async () => {
    dir = await tempDir('promptctl-state-');
    await mkdir(join(dir.path, 'prompts'), { recursive: true });
    await mkdir(join(dir.path, '.promptctl'), { recursive: true });
    const good = `${JSON.stringify({ ops: [] })}\n`;
    // A line that is not JSON, and one that is but holds no [collection, key, value] operations.
    for (const bad of ['garbage', '{"ops":[1]}', '{"ops":[["templates"]]}']) {
      await writeFile(join(dir.path, '.promptctl', 'local-state.json.journal'), `${good}${bad}\n${good}`);
      const r = await runCliInProcess(['plan'], { cwd: dir.path });
      expect(r.code, `${bad}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/^error: emulator journal .*local-state\.json\.journal is damaged at line 2; /m);
      expect(r.stderr).not.toMatch(/internal|PROMPTCTL_DEBUG|^\s+at /m);
    }
  });
});

describe('an embedded emulator state whose collections are not collections', () => {
  it('is refused as the user’s file to fix, not taken and answered 500 at every write', async () => {
    const { state, cwd } = await projectWithState();
    for (const [snapshot, journal, what] of [
      ['{"formatVersion":1,"templates":5}', '', 'a number as its templates'],
      ['{"formatVersion":1,"filters":[]}', '', 'a list as its filters'],
      ['{"formatVersion":1}', `${JSON.stringify({ ops: [['templates', null, 5]] })}\n`, 'a number as its templates'],
    ] as const) {
      await writeFile(state, snapshot);
      await writeFile(`${state}.journal`, journal);
      const r = await runCliInProcess(['apply', '--auto-approve'], { cwd });
      expect(r.code, `${snapshot} ${journal}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(`holds ${what}, not a collection of records; restore it, or move it aside`);
      expect(r.stderr).not.toMatch(/internal|500|^\s+at /m);
    }
  });
});

describe('an embedded emulator state whose records are not records', () => {
  it('is refused on opening, naming the entry, not listed as 500s that apply retries for a minute', async () => {
    const { state, cwd } = await projectWithState();
    for (const [snapshot, journal, what] of [
      // A template deleted by hand, its entry left as null.
      ['{"formatVersion":1,"templates":{"x":null}}', '', 'null as the entry "x" of its templates, not a record'],
      ['{"formatVersion":1}', `${JSON.stringify({ ops: [['filters', 'f', 5]] })}\n`, 'a number as the entry "f" of its filters, not a record'],
      ['{"formatVersion":1,"versions":{"t":[]}}', '', 'a list as the entry "t" of its versions, not a collection of records'],
      ['{"formatVersion":1,"versions":{"t":{"1.0.0":"x"}}}', '', 'a string as the entry "t" → "1.0.0" of its versions, not a record'],
    ] as const) {
      await writeFile(state, snapshot);
      await writeFile(`${state}.journal`, journal);
      const r = await runCliInProcess(['apply', '--auto-approve'], { cwd });
      expect(r.code, `${snapshot} ${journal}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(`holds ${what}; restore it, or move it aside to start from an empty org`);
      expect(r.stderr).not.toMatch(/internal|500|retry|^\s+at /m);
    }
  });
});

/** A project of one template, with the directory its embedded emulator's state file goes in: that file's path, and the project's. */
async function projectWithState(): Promise<{ state: string; cwd: string }> {
  dir = await tempDir('promptctl-state-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts', 'promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec: {}\n');
  await writeFile(join(dir.path, 'prompts', 't.yaml'), 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: tpl\nspec:\n  model: gpt-4o-mini\n');
  await mkdir(join(dir.path, '.promptctl'), { recursive: true });
  return { state: join(dir.path, '.promptctl', 'local-state.json'), cwd: dir.path };
}
