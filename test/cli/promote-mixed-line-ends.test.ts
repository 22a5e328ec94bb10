// A split file mixing LF with lone CR line ends is valid prompts (the loader reads a lone CR as a
// line break), but promote cannot edit it in place keeping both kinds. It said the file "has no
// TrafficSplit … that can be edited", which sent the user looking for a split that is there. It
// now names the cause and the fix; exit 1 and the file left as it was.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { scratch } from '../unit/git/fixture.js';

const { dir } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';

describe('promote on a file of mixed line ends', () => {
  it('says the line ends are mixed, and changes nothing', async () => {
    const cwd = dir();
    cpSync(join(REPO, 'prompts'), join(cwd, 'prompts'), { recursive: true });
    const mixed = readFileSync(join(cwd, SPLIT), 'utf8').replace('strategy: random\n', 'strategy: random\r');
    expect(mixed).toContain('strategy: random\r');
    writeFileSync(join(cwd, SPLIT), mixed);
    expect((await runCliInProcess(['validate'], { cwd, env: {} })).code).toBe(0);
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '40'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: prompts\/billing-assistant\/traffic\.yaml mixes line ends \(a CR alone among LF line ends\), which promote cannot keep as they are: save it with one kind of line end and run it again$/m);
    expect(r.stderr).not.toMatch(/that can be edited/);
    expect(readFileSync(join(cwd, SPLIT), 'utf8')).toBe(mixed);
  });
});
