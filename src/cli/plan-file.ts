// A saved plan. Written (`plan --out`): as the file holds it, the run's secrets masked and the
// seal made over that. Read (`apply PLANFILE`, `show PLANFILE`, or piped into `show -` or `apply -`): the file,
// then its schema (schemas/plan.schema.json, every problem at file:line:column), then its seal.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeText, firstInvalidUtf8, foreignEncoding } from '../config/read.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { isInside, realPathOr } from '../util/inside.js';
import { maskedPlan, sealedPlan } from '../plan/file.js';
import type { Plan } from '../plan/types.js';
import { UserError } from '../util/errors.js';
import { renderJson } from '../views/plan-json.js';
import { formatText } from '../views/diagnostics.js';
import { shellWord, visibleName } from '../util/escapes.js';
import type { CliContext, InStream } from './context.js';
import { FilesRefused } from './refused.js';

/**
 * `plan` as a file of this run holds it (its plan JSON, and that plan): every secret value the run
 * knows masked, and sealed over the masked content, so that the file's own seal holds and `apply`
 * of it in the same environment can compare it with a fresh plan (apply/stale.ts). One scan of the
 * JSON when, as nearly always, it holds no secret.
 */
export function asSaved(ctx: CliContext, plan: Plan): { plan: Plan; json: string } {
  const json = renderJson(plan);
  if (ctx.mask(json) === json) return { plan, json };
  // Its string values masked before it is serialised, never a key or a literal: a secret that is a
  // common word (`true`, `name`) left as the text holds it would make the file no plan JSON.
  const masked = maskedPlan(plan, (text) => ctx.mask(text));
  return { plan: masked, json: renderJson(masked) };
}

/**
 * The most a plan file may weigh: far past any plan (one of 20,000 resources, every one a create
 * with its content, is tens of MiB), and under the longest string V8 makes of it.
 */
const MAX_PLAN_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The commands a refusal of a plan it cannot read tells the user to run (save it again, pipe it
 * in): `apply`'s keep the run's --env and --dir (next-commands.ts), since without them the plan
 * copied from the message is made for another target or directory, and this apply refuses it.
 * `show` takes neither, so it names them bare.
 */
export interface PlanCommands {
  /** `promptctl plan` with the run's flags. */
  plan: string;
  /** `promptctl apply` with the run's flags. */
  apply: string;
  /** `promptctl drift` with the run's flags (a drift report given as the plan is told to run it again). */
  drift: string;
}

const BARE: PlanCommands = { plan: 'promptctl plan', apply: 'promptctl apply', drift: 'promptctl drift' };

/** The plan in `path`; `file` is how messages name it (made visible by the caller). Throws UserError on anything amiss. */
export async function readPlanFile(path: string, file: string, opts: { pipe?: () => Error; commands?: PlanCommands } = {}): Promise<Plan> {
  return planOf(await planBytes(path, file, opts.pipe), file, opts.commands ?? BARE);
}

/** How messages name a plan piped into stdin (`show -`, `apply -`). */
export const STDIN_NAME = 'stdin';

/** How `show -` or `apply -` is filled with a plan, said when stdin holds none. */
function pipeInto(command: 'show' | 'apply', commands: PlanCommands): string {
  return command === 'show' ? `\`${commands.plan} --format json | promptctl show -\`` : `\`${commands.apply} - --auto-approve < plan.json\``;
}

/**
 * The plan piped into stdin (`promptctl plan --format json | promptctl show -`, or into `apply -`).
 * A terminal is refused at once (the command would wait for typing), and an empty stdin is said to
 * be empty: the command before the pipe wrote nothing.
 */
export async function readPlanStdin(stdin: InStream, command: 'show' | 'apply' = 'show', commands: PlanCommands = BARE): Promise<Plan> {
  const pipe = pipeInto(command, commands);
  const refused = (message: string): FilesRefused => unreadPlan(STDIN_NAME, 'plan/unreadable', message);
  if (stdin.isTTY) throw refused(`${command} - reads the plan from stdin, which is a terminal: pipe a plan in (${pipe}), or give the file \`plan --out\` wrote`);
  const bytes = await streamBytes(stdin, () => refused(`stdin holds more than ${MAX_PLAN_MIB}, the most promptctl reads of a plan`), (err) => refused(`cannot read the plan from stdin: ${visibleName((err as Error).message)}`));
  if (isBlank(bytes)) throw refused(`stdin held no plan (nothing was piped in): pipe one in (${pipe}); did the command before the pipe fail?`);
  return planOf(bytes, STDIN_NAME, commands, command);
}

/** Whether bytes hold nothing but JSON's blank space and a UTF-8 byte-order mark: read up to the first other byte, not decoded whole. */
function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    if (b === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

/** A plan's bytes, checked (text, schema, seal); `pipedInto`: the command that read it from stdin, which the messages say how to fill again. */
async function planOf(bytes: Buffer, file: string, commands: PlanCommands, pipedInto?: 'show' | 'apply'): Promise<Plan> {
  const piped = pipedInto !== undefined;
  const decoded = planText(bytes, file, commands, pipedInto);
  if (typeof decoded !== 'string') throw notAPlan(file, [decoded], piped);
  const { checkPlanFile } = await import('../schema/plan-file.js');
  const checked = checkPlanFile(decoded, file, { ...(piped ? { piped, pipe: pipeInto(pipedInto, commands) } : {}), plan: commands.plan, drift: commands.drift });
  if (!checked.ok) throw notAPlan(file, checked.diagnostics, piped);
  try {
    return sealedPlan(checked.data, file);
  } catch (err) {
    // The seal is the whole file's: said as it was, the diagnostic without the file's name it begins with.
    if (!(err instanceof UserError)) throw err;
    const message = err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message;
    throw new FilesRefused(err.message, [wholeFile(file, 'plan/seal', message)]);
  }
}

/** A problem of the whole plan file, placed at 1:1 as validate places a file it cannot read. */
function wholeFile(file: string, rule: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', rule, message };
}

/** A plan that cannot be read at all: the error, and the one diagnostic a --format json failure document holds. */
function unreadPlan(file: string, rule: string, message: string): FilesRefused {
  return new FilesRefused(message, [wholeFile(file, rule, message)]);
}

const MAX_PLAN_MIB = `${MAX_PLAN_FILE_BYTES / 1024 / 1024} MiB`;

/** A stream's bytes up to MAX_PLAN_FILE_BYTES (a pipe, stdin). */
async function streamBytes(stream: AsyncIterable<unknown>, tooLarge: () => UserError, unreadable: (err: unknown) => UserError): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += bytes.length;
      if (size > MAX_PLAN_FILE_BYTES) throw tooLarge();
      chunks.push(bytes);
    }
  } catch (err) {
    throw err instanceof UserError ? err : unreadable(err);
  }
  return Buffer.concat(chunks);
}

/**
 * A plan file's bytes: a regular file, or a pipe (`show <(git show main:plan.json)`, `apply
 * /dev/stdin < plan.json` through a pipe), read up to MAX_PLAN_FILE_BYTES. A device (/dev/zero
 * never ends) or a socket is no saved plan.
 */
/** `pipe`: the refusal of a pipe (a protected environment's apply: a pipe is no saved file), else read as one. */
async function planBytes(path: string, file: string, pipe?: () => Error): Promise<Buffer> {
  const refused = (message: string): FilesRefused => unreadPlan(file, 'plan/unreadable', message);
  const isDirectory = (): UserError => refused(`plan file ${file} is a directory: give the file \`plan --out\` wrote`);
  const unreadable = (err: unknown): UserError => {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return refused(`plan file ${file} does not exist`);
    if (code === 'EISDIR') return isDirectory();
    return refused(`cannot read plan file ${file}: ${visibleName((err as Error).message)}`);
  };
  const limit = MAX_PLAN_MIB;
  const tooLarge = (size?: number): UserError =>
    refused(size === undefined ? `plan file ${file} holds more than ${limit}, the most promptctl reads of a plan` : `plan file ${file} is ${(size / 1024 / 1024).toFixed(1)} MiB; promptctl reads plan files up to ${limit}`);
  const st = await stat(path).catch((err: unknown) => {
    throw unreadable(err);
  });
  if (st.isDirectory()) throw isDirectory();
  if (st.isFile()) {
    if (st.size > MAX_PLAN_FILE_BYTES) throw tooLarge(st.size);
    return readFile(path).catch((err: unknown) => {
      throw unreadable(err);
    });
  }
  if (!st.isFIFO()) throw refused(`plan file ${file} is not a regular file or a pipe: give the file \`plan --out\` wrote`);
  if (pipe) throw pipe();
  return streamBytes(createReadStream(path), () => tooLarge(), unreadable);
}

function notAPlan(file: string, diagnostics: readonly Diagnostic[], piped: boolean): UserError {
  const lines = diagnostics.map((d) => formatText(d));
  return new FilesRefused(`${piped ? `${file} holds no valid plan` : `${file} is not a valid plan file`}; nothing was done:\n${lines.join('\n')}`, diagnostics);
}

/**
 * A plan file's bytes as text, as config/read.ts reads every text file: a UTF-8 byte-order mark
 * dropped (an editor or PowerShell's `Out-File -Encoding utf8` writes one; the plan is the same
 * plan, and its seal is over the parsed content), UTF-16 and UTF-32 refused at 1:1 in words that
 * say how to write the file as UTF-8 (Windows PowerShell 5's `>` writes UTF-16), a NUL byte or
 * invalid UTF-8 at its line and column (one only at the end, inside a character, as a file cut short).
 * A diagnostic when it is not UTF-8 text.
 */
function planText(bytes: Buffer, file: string, commands: PlanCommands, pipedInto?: 'show' | 'apply'): string | Diagnostic {
  const piped = pipedInto !== undefined;
  const decoded = decodeText(bytes);
  if (decoded.ok) return decoded.text;
  const foreign = foreignEncoding(bytes);
  const word = shellWord(file);
  // Said as a JSON text cut short is said (plan/json): the file is incomplete, not in another encoding.
  const cut = !foreign && endsMidCharacter(bytes);
  // Piped: a shell's pipe re-encoded it (Windows PowerShell 5 does); a file plan --out writes is UTF-8 whatever the shell.
  const message = foreign
    ? piped
      ? `${foreign.encoding} text (its byte-order mark says so), and a plan must be UTF-8: the shell's pipe re-encoded it; ` +
        `save it with \`${commands.plan} --out plan.json\`, which writes UTF-8 whatever the shell, and run \`${pipedInto === 'apply' ? commands.apply : 'promptctl show'} plan.json\``
      : `${foreign.encoding} text (its byte-order mark says so), and a plan file must be UTF-8: ` +
        `write it again with \`${commands.plan} --out ${word}\`, which writes UTF-8 whatever the shell, ` +
        `or in Windows PowerShell with \`${commands.plan} --format json | Out-File -Encoding utf8 ${word}\``
    : cut
      ? // A copy that stopped early: saving it as UTF-8 cannot mend it. Removed first: plan --out replaces only a whole plan.
        `not a promptctl plan: it ends in the middle of a character, so it was cut short (truncated); ${pipedInto ? `pipe the whole plan in (${pipeInto(pipedInto, commands)})` : `remove it and save the plan again (\`${commands.plan} --out ${word}\`)`}`
      : `not a promptctl plan: ${decoded.message}`;
  return { file, line: decoded.line, column: decoded.column, severity: 'error', rule: cut ? 'plan/json' : 'plan/encoding', message };
}

/**
 * Whether the only bytes that are not UTF-8 are the start of a multi-byte character at the very
 * end: a file cut short inside a character (a guide's name, a prompt's text), not one in another
 * encoding.
 */
function endsMidCharacter(bytes: Buffer): boolean {
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return false;
  const lead = bytes[bad]!;
  const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  const tail = bytes.subarray(bad + 1);
  return length > 0 && tail.length < length - 1 && tail.every((b) => (b & 0xc0) === 0x80);
}

/**
 * Refuses a `plan --out` path that holds something other than a plan, before anything is read or
 * planned: plan is read-only, and a slip of the path must not replace the emulator's state, the
 * audit trail or a prompt document; "-", which names stdin to `apply -`, is no file name. An empty file or a plan of an earlier run is replaced; a new
 * YAML file in the prompts directory would be read as one of its documents.
 */
export async function checkPlanOut(cwd: string, out: string, dir: string): Promise<void> {
  // "-" is stdin to apply - and show -: a file of that name is one they would never read.
  if (out === '-') {
    throw new UserError(
      '--out - would write a file named "-", which `promptctl apply -` does not read (it reads the plan from stdin): pipe the plan with `promptctl plan --format json | promptctl apply - --auto-approve`, or give a file name (plan.json); ./- writes a file named -',
    );
  }
  const path = resolve(cwd, out);
  const name = visibleName(out);
  if (/\.ya?ml$/i.test(path) && (isInside(resolve(cwd, dir), path) || isInside(realPathOr(resolve(cwd, dir)), realParent(path)))) {
    throw new UserError(`--out ${name} is in the prompts directory ${visibleName(dir)}, where it would be read as a YAML document: give a path outside it (plan.json, say)`);
  }
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new UserError(`--out ${name} is a directory: give a file path (${visibleName(`${out.replace(/\/+$/, '')}/plan.json`)}, say)`);
    // The write would refuse it after the org was read (util/atomic-file.ts): a saved plan is a file apply reads back.
    if (!st.isFile()) throw new UserError(`--out ${name} is not a regular file (a device, pipe or socket), and a saved plan is a file apply reads back: give a file path (plan.json, say), or --format json to write the plan to stdout`);
    size = st.size;
  } catch (err) {
    if (err instanceof UserError) throw err;
    // A file where a directory of the path should be: no plan can be written there.
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new UserError(`--out ${name} cannot be written: part of its path is a file, not a directory; give another path`);
    return; // not there (or not reachable): writing it says what is wrong
  }
  if (size === 0 || (size <= MAX_PLAN_FILE_BYTES && isPlanJson(anyText(await readFile(path).catch(() => Buffer.alloc(0)))))) return;
  throw new UserError(`--out ${name} exists and is not a promptctl plan: refusing to replace it (move it aside, or give another path)`);
}

/**
 * A file's text whatever Unicode encoding its byte-order mark names, the mark dropped: a plan saved
 * with a UTF-8 byte-order mark, or as UTF-16 by Windows PowerShell's `>` (which reading it refuses,
 * saying to write it again with `plan --out`), is still a plan `--out` may replace. UTF-32 is read
 * as nothing (no plan is written so).
 */
function anyText(bytes: Buffer): string {
  const foreign = foreignEncoding(bytes);
  if (foreign?.encoding === 'UTF-32') return '';
  const encoding = foreign === undefined ? 'utf-8' : foreign.littleEndian ? 'utf-16le' : 'utf-16be';
  return new TextDecoder(encoding).decode(bytes);
}

/** Whether a text is a plan file's JSON (its frame; apply checks the rest). */
function isPlanJson(text: string): boolean {
  try {
    const data = JSON.parse(text) as { formatVersion?: unknown; actions?: unknown; fingerprint?: unknown } | null;
    return typeof data === 'object' && data !== null && typeof data.formatVersion === 'number' && Array.isArray(data.actions) && typeof data.fingerprint === 'string';
  } catch {
    return false;
  }
}

/** A file that may not exist yet, through its directory's real path (a link to the prompts directory). */
function realParent(path: string): string {
  return join(realPathOr(dirname(path)), basename(path));
}
