// `run` (and `emulator`) on the embedded emulator with an invalid promptctl.yaml: they stop before
// any call, as they did, and now say where the config is wrong, at its file:line:column, as
// validate, test and every command given --env say it. They said only "prompts/promptctl.yaml is
// not valid (run `promptctl validate`)", and `run --format json` an empty diagnostics list.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-run-invalid-config-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(
    join(dir.path, 'prompts/promptctl.yaml'),
    ['apiVersion: promptctl/v1', 'kind: Config', 'spec:', '  models:', '    acme-llm: {encoding: bogus, contextWindow: 1000}', ''].join('\n'),
  );
});
afterEach(async () => {
  await dir.remove();
});

const AT = 'prompts/promptctl.yaml:5:26: error: spec.models.acme-llm.encoding must be one of o200k_base, cl100k_base, not "bogus" [schema/enum]';

describe('an invalid promptctl.yaml on the embedded emulator', () => {
  it('run: names the problem at its line and column, exit 1, no stack trace', async () => {
    const r = await runCliInProcess(['run', 'greeter@1.0.0', '--var', 'who=Ann'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${AT}\n`);
    expect(r.stderr).toContain('error: prompts/promptctl.yaml is not valid; the emulator takes the models it defines from it (1 error, above); nothing was done\n');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('run --format json: the document carries the problem', async () => {
    const r = await runCliInProcess(['run', 'greeter@1.0.0', '--var', 'who=Ann', '--format', 'json'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; line: number; column: number; rule: string }> };
    expect(doc.diagnostics).toEqual([expect.objectContaining({ file: 'prompts/promptctl.yaml', line: 5, column: 26, rule: 'schema/enum' })]);
  });

  it('emulator: names it too, before it listens', async () => {
    const r = await runCliInProcess(['emulator', '--port', '0', '--state', 'state.json'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${AT}\n`);
  });
});
