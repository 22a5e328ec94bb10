// promptctl's command tree and its in-process runner: `run(argv, io)` builds the commands over
// one run's context, turns errors into exit codes and returns the code. Importing this module
// does nothing; bin.ts is the process behind the binary.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { isInside } from '../util/inside.js';
import { closest } from '../util/suggest.js';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../genesys/errors.js';
import { describeFsError, EXIT, InterruptedAfterError, isFsError, UserError, messageOf } from '../util/errors.js';
import { visibleLines } from '../util/escapes.js';
import { CliContext, type Io, type OutStream } from './context.js';
import { addEnvOption, chooseEnvironment, ENV_COMMANDS } from './environments.js';
import { addHelpTexts } from './help.js';

export type { Io, OutStream, InStream } from './context.js';

const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {
  version: string;
};

/**
 * Commands that count tokens (validate, tokens, and the budget checks of plan, apply and drift)
 * share the content-addressed counts in .promptctl/cache/ across runs.
 */
const TOKEN_CACHE_COMMANDS = new Set(['validate', 'tokens', 'plan', 'apply', 'drift']);

type Register = (program: Command, ctx: CliContext) => void;

/**
 * Every command, in --help order, with the module that defines it. A module is imported only
 * when the command line needs it (`commandsFor`): `promptctl validate` never loads what plan
 * and apply are made of, and `--version` loads no command at all.
 */
const COMMANDS: readonly (readonly [name: string, load: () => Promise<Register>])[] = [
  ['validate', async () => (await import('./validate.js')).registerValidate],
  ['tokens', async () => (await import('./tokens.js')).registerTokens],
  ['plan', async () => (await import('./plan.js')).registerPlan],
  ['apply', async () => (await import('./apply.js')).registerApply],
  ['show', async () => (await import('./show.js')).registerShow],
  ['drift', async () => (await import('./drift.js')).registerDrift],
  ['export', async () => (await import('./export.js')).registerExport],
  ['audit', async () => (await import('./audit.js')).registerAudit],
  ['emulator', async () => (await import('./emulator.js')).registerEmulator],
  ['run', async () => (await import('./run.js')).registerRun],
  ['test', async () => (await import('./test.js')).registerTest],
  ['status', async () => (await import('./status.js')).registerStatus],
  ['promote', async () => (await import('./promote.js')).registerPromote],
  ['rollback', async () => (await import('./promote.js')).registerRollback],
];

/**
 * The commands `argv` can reach. The root options take no values, so the first operand is the
 * command: when it names one, only that one; with no operand and --version, none; otherwise
 * (help, no arguments, a misspelt command that deserves a suggestion) all of them.
 */
export function commandsFor(argv: readonly string[]): string[] {
  const operand = argv.find((a) => !a.startsWith('-'));
  if (operand !== undefined && COMMANDS.some(([name]) => name === operand)) return [operand];
  if (operand === undefined && argv.some((a) => a === '-V' || a === '--version')) return [];
  return COMMANDS.map(([name]) => name);
}

/**
 * The command tree over one run's context, with the commands `argv` needs (all by default).
 * `beforeAction` runs after the flags are parsed and before the command (main.ts opens the
 * token cache there).
 */
export async function buildProgram(
  ctx: CliContext,
  beforeAction?: (command: string) => Promise<void>,
  argv?: readonly string[],
): Promise<Command> {
  const wanted = new Set(argv ? commandsFor(argv) : COMMANDS.map(([name]) => name));
  const registers = await Promise.all(COMMANDS.filter(([name]) => wanted.has(name)).map(([, load]) => load()));
  const { io } = ctx;
  const program = new Command('promptctl')
    .description('GitOps for Genesys Cloud LLM Gateway and AI Studio prompts: validate, plan, apply; test before they ship, status after.')
    .version(pkg.version, '-V, --version')
    .option('--no-color', 'disable colour (also NO_COLOR=1)')
    // Set before the subcommands are added: they inherit the output and the exit override.
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      // A usage error echoes what was typed (`unknown option '--client-secret=…'`): masked like every other line.
      writeErr: (s) => void io.stderr.write(ctx.mask(s)),
      // undefined: commander's default width (its types say number; its code takes undefined).
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : undefined) as number,
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : undefined) as number,
      getOutHasColors: () => helpHasColors(io.env, io.stdout),
      getErrHasColors: () => helpHasColors(io.env, io.stderr),
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .hook('preAction', async (cmd, action) => {
      if (cmd.opts().color === false) ctx.disableColor();
      refuseEmptyPaths(action);
      // --env NAME (DESIGN §6): chosen once, before the command; an unknown name stops here.
      await chooseEnvironment(ctx, action);
      await beforeAction?.(action.name());
    });
  for (const register of registers) register(program, ctx);
  for (const cmd of program.commands) if (ENV_COMMANDS.has(cmd.name()) && !cmd.options.some((o) => o.long === '--env')) addEnvOption(cmd);
  addHelpTexts(program);
  return program;
}

/** An empty --dir or --out names no path: taken as the current directory, it would read or write the wrong one. */
function refuseEmptyPaths(action: Command): void {
  for (const option of action.options) {
    if (action.getOptionValue(option.attributeName()) === '' && (option.long === '--dir' || option.long === '--out')) throw new UserError(`${option.long} needs a path, not an empty string`);
  }
  // Likewise a plan file given as "" (`apply --env prod "$PLAN"` with PLAN unset): read as no file,
  // apply would plan afresh and apply what nobody reviewed, also to a protected environment.
  action.registeredArguments.forEach((arg, i) => {
    if (arg.name() === 'planfile' && action.processedArgs[i] === '') throw new UserError('PLANFILE needs a path, not an empty string; nothing was done');
    // `audit verify "$TRAIL"` with TRAIL unset: read as the working directory, "not a file".
    if (arg.name() === 'file' && action.processedArgs[i] === '') throw new UserError('FILE needs a path, not an empty string (leave it out for the default)');
  });
}

/**
 * `help audit verify` as `audit help verify`: commander's help command reads one topic, and
 * answered with audit's help. The words after `help` name a subcommand's path as `--help` would.
 */
function helpOfSubcommand(program: Command, argv: readonly string[]): readonly string[] {
  const operands = argv.flatMap((a, i) => (a.startsWith('-') ? [] : [i]));
  const [help, topic, sub] = operands;
  if (help === undefined || argv[help] !== 'help' || topic === undefined || sub === undefined) return argv;
  const cmd = program.commands.find((c) => c.name() === argv[topic]);
  if (!cmd || cmd.commands.length === 0) return argv;
  const out = argv.filter((_, i) => i !== help);
  out.splice(out.indexOf(argv[topic]!) + 1, 0, 'help');
  return out;
}

/**
 * `help plna` (or `audit help verfy`): commander answers a help topic it does not know with the
 * whole usage alone, so a typo there reads as a bare usage dump; it is said as `plna` alone is,
 * `error: unknown command 'plna'` with the suggestion. Only where commander reads `help` as its
 * help command: a command with subcommands, reached by the operands before it.
 */
function refuseUnknownHelpTopic(program: Command, argv: readonly string[]): void {
  const operands = argv.filter((a) => !a.startsWith('-'));
  let cmd = program;
  for (let i = 0; i < operands.length && cmd.commands.length > 0; i++) {
    const word = operands[i]!;
    const topic = operands[i + 1];
    if (word === 'help') {
      if (topic === undefined || topic === 'help' || cmd.commands.some((c) => c.name() === topic || c.aliases().includes(topic))) return;
      const suggestion = closest(topic, cmd.commands.map((c) => c.name()));
      cmd.error(`error: unknown command '${topic}'${suggestion ? `\n(Did you mean ${suggestion}?)` : ''}`, { code: 'commander.unknownCommand' });
    }
    const sub = cmd.commands.find((c) => c.name() === word);
    if (!sub) return;
    cmd = sub;
  }
}

/** Commander's own colour rule for --help, on the injected environment and stream. */
function helpHasColors(env: NodeJS.ProcessEnv, stream: OutStream): boolean {
  if (env.NO_COLOR || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR || env.CLICOLOR_FORCE !== undefined) return true;
  return Boolean(stream.isTTY && stream.hasColors?.());
}

/**
 * Runs promptctl with `argv` (the arguments after the program name) on `io`, and returns the
 * exit code: 0 ok, 1 error, 2 changes (plan --detailed-exitcode, drift). Never throws.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const ctx = new CliContext(io);
  let tokenCacheDir: string | undefined;
  let code: number;
  try {
    const program = await buildProgram(
      ctx,
      async (command) => {
        if (!TOKEN_CACHE_COMMANDS.has(command)) return;
        tokenCacheDir = join(ctx.cwd, '.promptctl', 'cache');
        const { loadTokenCache, TOKEN_CACHE_FILE } = await import('../tokens/cache-file.js');
        // Said on stderr, so that a JSON document on stdout stays whole; the run goes on either way.
        const file = join('.promptctl', 'cache', TOKEN_CACHE_FILE);
        await loadTokenCache(tokenCacheDir, ctx.tokenMemo, (why) => ctx.info(`note: ignored the token count cache ${file} (${why}): counting afresh, and replacing it`));
      },
      argv,
    );
    const args = helpOfSubcommand(program, argv);
    refuseUnknownHelpTopic(program, args);
    await program.parseAsync([...args], { from: 'user' });
    code = ctx.exitCode;
  } catch (err) {
    const reported = reportError(ctx, err, argv);
    code = reported.code;
    // A command whose output a machine reads even when it fails (test --format junit): the document
    // holding the error, so the reader shows it instead of failing on an empty file.
    if (reported.message !== undefined && ctx.failureDocument) {
      try {
        ctx.outDocument(await ctx.failureDocument(reported.message, err instanceof InterruptedAfterError ? err.error : err));
      } catch (e) {
        ctx.info(`error: internal: ${messageOf(e)}`);
      }
    }
  } finally {
    // Best effort, also after a failed command: counts made are worth keeping; a write error only costs speed.
    if (tokenCacheDir) await (await import('../tokens/cache-file.js')).saveTokenCache(tokenCacheDir, ctx.tokenMemo);
  }
  try {
    printStats(ctx);
  } catch (err) {
    ctx.info(`error: internal: ${String(err)}`);
    return EXIT.error;
  }
  return code;
}

/**
 * A target's error in one line: its message, with the call, status, code and correlation id it
 * does not already say (the transport's messages name most of them; said once is enough). The
 * target may be the LLM Gateway or AI Studio: the path says which.
 */
export function apiErrorLine(err: ApiError): string {
  const m = err.message;
  // A status or code is said when it stands alone, not inside an id ("…-9409-…") or a version.
  const says = (token: string): boolean => {
    for (let i = m.indexOf(token); i >= 0; i = m.indexOf(token, i + 1)) {
      if (!/[\w.-]/.test(m[i - 1] ?? ' ') && !/[\w-]/.test(m[i + token.length] ?? ' ')) return true;
    }
    return false;
  };
  const extra: string[] = [];
  if (err.method && err.path && !m.includes(err.path)) extra.push(`${err.method} ${err.path}`);
  if (err.status && !says(String(err.status))) extra.push(`HTTP ${err.status}`);
  if (err.code && !says(err.code)) extra.push(err.code);
  if (err.correlationId && !m.includes(err.correlationId)) extra.push(`correlation id ${err.correlationId}`);
  return extra.length > 0 ? `${m} (${extra.join(', ')})` : m;
}

/** The subcommands that take --env (ENV_COMMANDS are whole commands). */
export const ENV_SUBCOMMANDS: readonly string[] = ['audit verify', 'audit path'];

/**
 * What follows commander's "unknown option '--env'" (`argv` as typed): --env before the command
 * (as other tools take a global flag) goes after it, the command named; after a command that takes
 * none (`show`, `emulator`), it is that command that does not take it, not a misplaced flag. Both
 * list the commands that take it.
 */
export function envPlacementNote(argv: readonly string[]): string {
  const takers = [...ENV_COMMANDS, ...ENV_SUBCOMMANDS];
  const at = argv.findIndex((a) => a === '--env' || a.startsWith('--env='));
  // The words that are no option nor --env's value: the command, then a subcommand.
  const operands = argv.flatMap((a, i) => (a.startsWith('-') || (i === at + 1 && argv[at] === '--env') ? [] : [i]));
  const first = operands.find((i) => COMMANDS.some(([name]) => name === argv[i]));
  const list = takers.join(', ');
  if (first === undefined) return `note: --env NAME goes after the command, and these take it: ${list} (e.g. \`promptctl plan --env NAME\`)`;
  const sub = operands.find((i) => i > first);
  const withSub = sub !== undefined && ENV_SUBCOMMANDS.includes(`${argv[first]} ${argv[sub]}`);
  const command = withSub ? `${argv[first]} ${argv[sub!]}` : argv[first]!;
  const last = withSub ? sub! : first;
  if (takers.includes(command) && at < last) return `note: --env NAME goes after the command: \`promptctl ${command} --env NAME\`; these take it: ${list}`;
  return `note: ${command} does not take --env; these do: ${list}`;
}

/**
 * Says `err` on stderr as `error: <message>` and returns the exit code, with the message said
 * (none for commander's own: --help, --version and usage errors, which commander writes).
 */
function reportError(ctx: CliContext, err: unknown, argv: readonly string[]): { code: number; message?: string } {
  if (err instanceof CommanderError) {
    // --env before the command (as other tools take a global flag) or after one that has no
    // environment: commander's "unknown option '--env'" reads as if promptctl had none at all.
    if (err.code === 'commander.unknownOption' && /'--env(=[^']*)?'/.test(err.message)) ctx.info(envPlacementNote(argv));
    // --help and --version land here with exit code 0; usage errors with 1.
    return { code: err.exitCode === 0 ? EXIT.ok : EXIT.error };
  }
  const said = (message: string, code: number = EXIT.error) => {
    // A message may quote what the user typed or the org holds: its control characters are shown
    // as escapes, never sent to the terminal (line breaks stay, as messages' own).
    ctx.info(`error: ${visibleLines(message)}`);
    return { code, message };
  };
  if (err instanceof InterruptedAfterError) {
    // The error first, as it would be said; then the interrupt, whose exit code wins.
    const reported = reportError(ctx, err.error, argv);
    ctx.info(err.message);
    return { ...reported, code: EXIT.interrupted };
  }
  if (err instanceof UserError) return said(err.message, err.exitCode);
  if (err instanceof ApiError) return said(apiErrorLine(err));
  if (isFsError(err)) {
    // The machine's answer, not a bug of ours: where and why, as the user can act on it.
    const spawn = err.syscall.startsWith('spawn ');
    const why = err.code !== 'ENOENT' ? describeFsError(err) : spawn ? '(not installed, or not on PATH)' : '(no such file or directory)';
    // A rename names its temp file as `path`: the file being written is `dest`.
    const target = (err as { dest?: string }).dest ?? err.path;
    // Relative to the working directory when under it; a path elsewhere as it is (not ../../proc/x).
    const shown = isAbsolute(target) && !isInside(resolve(ctx.cwd), target) ? target : relative(ctx.cwd, target) || '.';
    const what = spawn ? `run ${err.path}` : `${err.syscall} ${shown}`;
    const r = said(`cannot ${what}: ${err.code} ${why}`);
    if (ctx.env.PROMPTCTL_DEBUG) ctx.info(err.stack ?? '');
    return r;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const r = said(`internal: ${e.message}`);
  if (ctx.env.PROMPTCTL_DEBUG) ctx.info(e.stack ?? '');
  else ctx.info('(set PROMPTCTL_DEBUG=1 for details)');
  return r;
}

/**
 * PROMPTCTL_STATS=1: one last stderr line `promptctl-stats {json}` with the HTTP requests made
 * (summed over the clients this run opened), retries, 429s, peak memory and CPU time of the
 * process, the wall time since `io.startedAt` and, in the binary, whether it started from the
 * build's code cache, for benchmarks and reliability tests.
 */
function printStats(ctx: CliContext): void {
  const flag = ctx.env.PROMPTCTL_STATS;
  if (!flag || flag === '0') return;
  const usage = process.resourceUsage();
  const stats = {
    ...ctx.transportStats(),
    maxRssKb: usage.maxRSS,
    cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    wallMs: Math.round(performance.now() - (ctx.io.startedAt ?? 0)),
    // A start without it is slower: no cache built, or one V8 refused (V8 flags in NODE_OPTIONS).
    ...(ctx.io.codeCache !== undefined ? { codeCache: ctx.io.codeCache } : {}),
    ...mainThreadTimes(),
  };
  ctx.info(`promptctl-stats ${JSON.stringify(stats)}`);
}

/**
 * Linux only: the main thread's own CPU time and its time ready but waiting for a core
 * (/proc/self/task/<pid>/schedstat, nanoseconds), which tell a benchmark on a shared machine its
 * own work from the wait other processes caused. Empty where /proc does not say.
 */
function mainThreadTimes(): { mainCpuMs?: number; mainWaitMs?: number } {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    if (!Number.isFinite(run) || !Number.isFinite(wait)) return {};
    return { mainCpuMs: Math.round(run! / 1e6), mainWaitMs: Math.round(wait! / 1e6) };
  } catch {
    return {};
  }
}

