// Output paths promptctl cannot or must not write. Directories that cannot be made (under /proc,
// where mkdir answers ENOENT for ever): every command that makes one must answer with the error
// and exit 1, never spin (Node's recursive mkdir loops on such paths). And a device or pipe named
// as the output (`plan --out /dev/stdout`) is refused, not replaced by a plain file.
import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

/** A directory that cannot exist: /proc refuses new entries, and mkdir -p there never ends. */
const UNMAKEABLE = '/proc/promptctl-no-such-dir';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const CONFIG = (auditFile: string) => `apiVersion: promptctl/v1
kind: Config
spec:
  audit: {file: ${auditFile}}
`;

describe.skipIf(process.platform !== 'linux')('directories that cannot be made', () => {
  it('apply with the config\'s audit.file under one: exit 1 naming the file, no stack, nothing changed live', async () => {
    s = await scenario();
    await writeFile(join(s.dir.path, 'prompts/promptctl.yaml'), CONFIG(`${UNMAKEABLE}/audit.jsonl`));
    const r = await s.cli(['apply', '--auto-approve']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(UNMAKEABLE);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The audit trail is opened before the first change: nothing reached the org.
    expect(await s.emu.api.listTemplates()).toEqual([]);
    expect(await s.emu.api.listFilters()).toEqual([]);
  }, 15_000);

  it('export --out under one: exit 1 naming the directory', async () => {
    s = await scenario();
    const r = await s.cli(['export', '--out', `${UNMAKEABLE}/out`]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(UNMAKEABLE);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 15_000);

  it('emulator --state under one: exit 1 naming the directory, no server left listening', async () => {
    s = await scenario();
    const r = await s.cli(['emulator', '--port', '0', '--state', `${UNMAKEABLE}/state.json`]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(UNMAKEABLE);
    expect(r.stdout).not.toContain('listening');
  }, 15_000);
});

describe.skipIf(process.platform === 'win32')('outputs that are not files', () => {
  it('plan --out naming a pipe: exit 1 saying why, and the pipe is still a pipe', async () => {
    s = await scenario();
    const fifo = join(s.dir.path, 'plan.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await s.cli(['plan', '--out', 'plan.fifo']);
    expect(r.code, r.stderr).toBe(1);
    // Refused before the org is read (plan-file.ts checkPlanOut), saying what to give instead.
    expect(r.stderr).toContain('error: --out plan.fifo is not a regular file (a device, pipe or socket), and a saved plan is a file apply reads back');
    expect(r.stdout).toBe('');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});
