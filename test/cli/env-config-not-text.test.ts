// `--env NAME` with a promptctl.yaml that is there but is not UTF-8 text (saved as UTF-16 by
// Windows PowerShell or Notepad, say): it was taken for no file at all ("there is no
// prompts/promptctl.yaml: add it"), so validate --env reported nothing at its line and every
// other command told the user to create a file they have. It is an invalid config now.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_U_DEV}
`;

/** CONFIG as Windows PowerShell's `>` writes it: UTF-16LE with a byte-order mark. */
const UTF16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CONFIG, 'utf16le')]);

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-env-config-utf16-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), UTF16);
});
afterEach(async () => {
  await dir.remove();
});

describe('--env with a promptctl.yaml that is not UTF-8 text', () => {
  it('validate reports the file at its line, and does not say it is missing', async () => {
    const r = await runCliInProcess(['validate', '--env', 'dev'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^prompts\/promptctl\.yaml:1:\d+: error: .*\[file\/encoding\]$/m);
    expect(r.stderr).not.toMatch(/there is no/);
  });

  it('plan says the config is not valid, not that there is none', async () => {
    const r = await runCliInProcess(['plan', '--env', 'dev'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/prompts\/promptctl\.yaml is not valid/);
    expect(r.stderr).not.toMatch(/there is no/);
  });
});
