// A mapping key that only its case keeps from its pattern (an environment written `Dev:` in a
// split's overrides) gets the spelling that fits, as an unknown environment name gets its
// did-you-mean from the rules.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('a key that differs from a valid one only in case', () => {
  it('is refused at its line and column with the lowercase spelling suggested', async () => {
    dir = await tempDir('promptctl-key-case-');
    await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    const file = join(dir.path, 'prompts/billing-assistant/traffic.yaml');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('\n    prod:\n');
    await writeFile(file, text.replace('\n    prod:\n', '\n    Prod:\n'));
    const r = await runCliInProcess(['validate'], { cwd: dir.path });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/traffic\.yaml:\d+:5: error: key "Prod" in spec\.environments is not valid \(did you mean "prod"\?\)/);
  });
});
