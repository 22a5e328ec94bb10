// --env where no command takes it: before the command (`promptctl --env prod plan`, as kubectl and
// gh take their global flags) or after one that has no environment (`show`, `emulator`). Commander
// says only "unknown option '--env'", which reads as if promptctl had no --env at all; the run also
// says where --env goes and which commands take it. Nothing runs either way (exit 1). After a
// command that takes none, the note said "--env NAME goes after the command", where it already was,
// and its list left out `audit path`, which takes --env (a review): it now says that command does
// not take it, and lists every command that does, as the commands themselves declare it.
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliContext } from '../../src/cli/context.js';
import { ENV_COMMANDS } from '../../src/cli/environments.js';
import { buildProgram, ENV_SUBCOMMANDS } from '../../src/cli/main.js';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-env-placement-');
});
afterEach(async () => {
  await dir.remove();
});

const TAKERS = 'validate, tokens, plan, apply, drift, export, run, test, status, promote, rollback, audit verify, audit path';
const BEFORE = new RegExp(`^note: --env NAME goes after the command: \`promptctl plan --env NAME\`; these take it: ${TAKERS}$`, 'm');

describe('--env where no command takes it', () => {
  it('before the command: says it goes after plan, and plans nothing', async () => {
    const r = await runCliInProcess(['--env', 'prod', 'plan'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: unknown option '--env'/);
    expect(r.stderr).toMatch(BEFORE);
    expect(r.stderr).not.toMatch(/^target: /m);
  });

  it('before a subcommand that takes it: names the subcommand', async () => {
    const r = await runCliInProcess(['audit', '--env', 'prod', 'verify'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`note: --env NAME goes after the command: \`promptctl audit verify --env NAME\`; these take it: ${TAKERS}\n`);
  });

  it('after a command without environments (show, emulator): that command does not take it', async () => {
    for (const [args, command] of [
      [['show', 'plan.json', '--env', 'prod'], 'show'],
      [['show', '--env', 'dev', 'plan.json'], 'show'],
      [['emulator', '--env=prod'], 'emulator'],
      [['--env', 'prod', 'emulator'], 'emulator'],
    ] as const) {
      const r = await runCliInProcess(args, { cwd: dir.path, env: {} });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(`note: ${command} does not take --env; these do: ${TAKERS}\n`);
      expect(r.stderr).not.toContain('goes after the command');
    }
  });

  it('lists every command that takes --env, as the commands declare it', async () => {
    const program = await buildProgram(new CliContext({ stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin, env: {}, cwd: dir.path }));
    const takes = (c: Command): boolean => c.options.some((o) => o.long === '--env');
    const declared = program.commands.flatMap((c) => [...(takes(c) ? [c.name()] : []), ...c.commands.filter(takes).map((s) => `${c.name()} ${s.name()}`)]);
    expect([...ENV_COMMANDS, ...ENV_SUBCOMMANDS].sort()).toEqual(declared.sort());
  });

  it('another unknown option gets no such note', async () => {
    const r = await runCliInProcess(['plan', '--envv', 'prod'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/note: --env/);
  });
});
