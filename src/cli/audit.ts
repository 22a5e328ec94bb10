// `promptctl audit verify [FILE] [--head SEQ:HASH]`: checks the hash chain (keyed with
// PROMPTCTL_AUDIT_KEY when the trail is), names the first broken line, and with --head checks
// that the trail still holds the anchor an apply printed. `promptctl audit path [--env NAME]`:
// where apply keeps the trail, for a script (CI) that carries it from run to run.
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { AUDIT_KEY_ENV, DEFAULT_AUDIT_FILE, auditKey, formatAnchor, parseAnchor, type AuditAnchor } from '../audit/log.js';
import { noneKeyed, UNKEYED_CAUSES } from '../audit/chain-walker.js';
import { verifyAuditFile } from '../audit/verify.js';
import { UserError, EXIT } from '../util/errors.js';
import { oneLine, shellWord, visibleName } from '../util/escapes.js';
import { realPathOr } from '../util/inside.js';
import { DEFAULT_DIR } from './common.js';
import { addEnvOption, ENVIRONMENTS_DIR } from './environments.js';
import type { CliContext } from './context.js';
import { dirFlag } from './next-commands.js';

/**
 * Which trail apply writes, as both subcommands' help says it: audit.file, when set, is the one
 * trail of every environment (environments.ts: it wins over --env's own), so it is said first.
 */
const WHERE_APPLY_WRITES = `audit.file of the --dir's promptctl.yaml when it names one, shared by every environment; else ${ENVIRONMENTS_DIR}/NAME/audit.jsonl with --env NAME; else ${DEFAULT_AUDIT_FILE}`;

export function registerAudit(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('inspect the audit trail');
  const verify = audit
    .command('verify')
    // Each environment keeps its own trail (DESIGN §6), `apply --env prod` writing no DEFAULT_AUDIT_FILE, unless audit.file names one they all share.
    .description(`check the hash chain of the audit trail apply writes (${WHERE_APPLY_WRITES}), or of FILE`)
    .argument('[file]', 'audit log (JSON lines); default: the trail apply writes, as above')
    .option('--dir <dir>', 'prompts directory whose promptctl.yaml may name the audit file', DEFAULT_DIR)
    .option('--head <seq:hash>', 'the anchor printed at the end of an apply: the trail must still hold that record (detects a cut-off tail or an emptied file)')
    .option('--allow-unkeyed', `with ${AUDIT_KEY_ENV} set, accept a trail none of whose records is keyed (all written before the key was set)`)
    .action(async (file: string | undefined, opts: { dir: string; head?: string; allowUnkeyed?: boolean; env?: string }) => {
      // Either names the trail: one would be checked and the other ignored, unsaid.
      if (file !== undefined && opts.env !== undefined && ctx.environment) {
        throw new UserError(`${visibleName(file)} and --env ${visibleName(opts.env)} each name an audit trail (--env: ${visibleName(ctx.environment.auditFile)}): give one`);
      }
      const head = opts.head === undefined ? null : parseAnchor(opts.head);
      if (opts.head !== undefined && !head) throw new UserError(`--head: expected SEQ:HASH (the anchor apply prints, e.g. 12:<64 hex digits>), got "${opts.head}"`);
      // --env NAME: that environment's own trail, as apply --env wrote it (DESIGN §6).
      const configured = file ?? ctx.environment?.auditFile ? undefined : await configuredAudit(ctx, opts.dir);
      const path = file ?? ctx.environment?.auditFile ?? configured!.file;
      // The default trail is kept under the working directory: from a subdirectory, say where it is.
      ctx.exitCode = await verifyCommand(ctx, path, head, opts.allowUnkeyed === true, configured?.environments ?? [], file === undefined ? opts.dir : undefined);
    });
  addEnvOption(verify);
  const path = audit
    .command('path')
    // A CI job carries the trail from run to run: it must find it where apply wrote it, audit.file included.
    .description(`print where apply keeps the audit trail (${WHERE_APPLY_WRITES}): relative to the working directory when inside it, else absolute`)
    .action(async (opts: { dir: string }) => {
      const file = ctx.environment?.auditFile ?? (await configuredAudit(ctx, opts.dir, 'path')).file;
      ctx.out(trailPath(ctx.cwd, file));
    });
  addEnvOption(path);
}

/**
 * The trail as apply opens it (through a link, the file it names), relative to the working
 * directory when inside it, else absolute: a `../` path is one an artifact upload cannot take.
 */
export function trailPath(cwd: string, file: string): string {
  const real = realPathOr(resolve(cwd, file));
  const rel = relative(realPathOr(cwd), real);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : real;
}

/**
 * The same file apply writes: the config's audit.file when the prompts directory names one; and
 * the environments it configures (each keeps its own trail unless audit.file is set).
 */
async function configuredAudit(ctx: CliContext, dir: string, use: 'verify' | 'path' = 'verify'): Promise<{ file: string; environments: string[] }> {
  const st = await stat(resolve(ctx.cwd, dir)).catch(() => null);
  if (!st?.isDirectory()) return { file: DEFAULT_AUDIT_FILE, environments: [] };
  const { loadConfigFile } = await import('../load/index.js');
  const { config, status, file } = await loadConfigFile({ dir, cwd: ctx.cwd });
  // Not "no config": the defaults would name another trail than the one the file means.
  if (status === 'invalid') {
    const done = use === 'verify' ? 'nothing was verified (or name the file: promptctl audit verify FILE)' : 'nothing was printed';
    throw new UserError(`${file} is not valid (run \`promptctl validate --dir ${shellWord(dir)}\`), so the audit file it names is not known; ${done}`);
  }
  return config.audit.file !== undefined ? { file: config.audit.file, environments: [] } : { file: DEFAULT_AUDIT_FILE, environments: Object.keys(config.environments) };
}

/** Where the trail of earlier applies is when a directory above the working one holds it (run from a subdirectory). */
async function trailAbove(ctx: CliContext, file: string, dir: string | undefined): Promise<string> {
  if (dir === undefined) return '';
  const { keptAbove } = await import('./target.js');
  const above = keptAbove(ctx.cwd, dir, file);
  if (above === undefined) return '';
  const from = relative(ctx.cwd, above) || '.';
  return `; ${visibleName(join(from, file))} above holds the trail of earlier applies: run promptctl from ${visibleName(from)} (with --dir)`;
}

/** `aboveOf`: the prompts directory, when the trail is the default one, for the trail above a subdirectory (`keptAbove`). */
async function verifyCommand(ctx: CliContext, file: string, head: AuditAnchor | null, allowUnkeyed: boolean, environments: readonly string[] = [], aboveOf?: string): Promise<number> {
  const path = resolve(ctx.cwd, file);
  const shown = displayPath(ctx.cwd, path);
  // The name as every line below prints it: the user's, or audit.file of a promptctl.yaml anyone
  // may have changed; an ESC or a CR in it would drive the terminal (and could print "ok" over a failure).
  const named = visibleName(shown);
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => err);
  if (st instanceof Error && st.code !== 'ENOENT') throw new UserError(`${shown}: cannot read it (${st.code ?? st.message})`);
  if (st instanceof Error) {
    // Each environment keeps its own trail: say where, rather than only that this one is absent.
    // With the prompts directory whose promptctl.yaml names them (`aboveOf`, given whenever they are): a copy without it finds none.
    const envs = environments.length > 0 ? `; each environment has its own trail: \`promptctl audit verify --env ${environments[0]}${dirFlag(aboveOf ?? DEFAULT_DIR)}\` (configured: ${environments.join(', ')})` : '';
    throw new UserError(`${shown}: not found: no audit trail here (it is written by promptctl apply${environments.length > 0 ? ' without --env' : ''})${envs}${await trailAbove(ctx, file, aboveOf)}`);
  }
  if (!st.isFile()) throw new UserError(`${shown}: not a file`);
  const key = auditKey(ctx.env);
  const res = await verifyAuditFile(path, { key, head });
  // A keyed trail never goes back to plain sha256 (the walk refuses that), so the one re-chaining
  // left to someone without the key is every record plain: with the key in hand, that is no proof.
  // (Nor does apply key records after such a trail unless told to, `apply --allow-unkeyed`: keyed
  // records appended by a routine apply would vouch for the forgery before them.)
  // A --head anchor found in it vouches for the records up to it as the key would have, not for
  // those after it (a forger keeps the records up to an old anchor and re-chains the rest).
  const vouchedTo = head && res.ok && res.anchored ? head.seq : 0;
  if (res.ok && key && res.records > vouchedTo && res.keyed === 0 && !allowUnkeyed) {
    const after = vouchedTo > 0 ? res.head!.seq - vouchedTo : 0;
    const which =
      vouchedTo > 0
        ? `the head anchor vouches for records up to ${vouchedTo}, but ${after === 1 ? `record ${res.head!.seq} after it is` : `records ${vouchedTo + 1} to ${res.head!.seq} after it are`} not keyed, so ${AUDIT_KEY_ENV} cannot vouch for ${after === 1 ? 'it' : 'them'}`
        : noneKeyed(res.records);
    ctx.info(
      `${named}: ${ctx.style('red', 'not keyed')}: ${which}: ${UNKEYED_CAUSES}. ` +
        `If the key was set after these records, run again with --allow-unkeyed (or verify with --head an anchor kept elsewhere).`,
    );
    return EXIT.error;
  }
  if (res.ok) {
    let keyed = '';
    if (res.keyed > 0) keyed = res.unkeyed === 0 ? ', keyed' : `; ${keyingBegan(res.firstKeyed!)}`;
    else if (key && res.records > 0) keyed = `, not keyed (written without ${AUDIT_KEY_ENV})`;
    const anchored = res.anchored && head ? `; head ${formatAnchor(head).slice(0, String(head.seq).length + 13)}… found` : '';
    // The file named: with --env (or a configured audit.file) the reader did not type it.
    ctx.out(`${ctx.style('green', 'ok')}: ${named}: ${res.records} record${res.records === 1 ? '' : 's'}, chain intact${keyed}${anchored}`);
    if (res.pending.length > 0) {
      const n = res.pending.length;
      ctx.info(`note: ${n} intent${n === 1 ? '' : 's'} without an outcome (record${n === 1 ? '' : 's'} ${res.pending.join(', ')}): an apply in progress, or one the next apply resolves`);
    }
    if (res.unknown.length > 0) {
      const n = res.unknown.length;
      ctx.info(
        `note: ${n} change${n === 1 ? '' : 's'} whose outcome is unknown (intent${n === 1 ? '' : 's'} ${res.unknown.join(', ')}): the next apply reads the org and records how ${n === 1 ? 'it' : 'they'} ended, or that it cannot tell`,
      );
    }
    // Settled for good: no apply will say more, so each is named with the run that settled it.
    for (const u of res.settledUnknown) {
      const by = [u.by.actor, `plan ${u.by.planId}`, ...(u.by.ci ? [`CI run ${u.by.ci.runId}`] : [])].map(oneLine).join(', ');
      ctx.info(
        `note: intent ${u.intent} (${oneLine(u.action)} ${oneLine(u.address)}): outcome unknown, settled as unknown by record ${u.record} (${by}): what that apply read could not tell whether the change landed (the record says why); check it by hand`,
      );
    }
    return EXIT.ok;
  }
  // A reason may quote the file's own fields (anyone may have written them): one line, made visible.
  const reason = oneLine(res.reason);
  // As every failure says it (`error:`), after where it is, as validate's diagnostics do.
  if (res.missingKey) ctx.info(`${named}:${res.line}: ${ctx.style('red', 'error: cannot verify')}: ${reason}`);
  else if (res.line === null) ctx.info(`${named}: ${ctx.style('red', 'error: audit trail does not match its head anchor')}: ${reason}`);
  else if (res.stray) ctx.info(`${named}:${res.line}: ${ctx.style('red', 'error: not a record')}: ${reason}`);
  else ctx.info(`${named}:${res.line}: ${ctx.style('red', 'error: broken audit chain')}: ${reason}`);
  return EXIT.error;
}

/**
 * Where keying began in a trail that holds both (the key set after records were written: apply
 * appends after unkeyed records only when told so, `--allow-unkeyed`), for a reader to see it.
 */
function keyingBegan(firstKeyed: number): string {
  const before = firstKeyed === 2 ? 'record 1' : `records 1–${firstKeyed - 1}`;
  return `${before} not keyed: written before the key was set, from record ${firstKeyed} keyed`;
}

/** Relative to the working directory when inside it, as the user most likely typed it. */
function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}
