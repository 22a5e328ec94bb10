// `promptctl audit verify [FILE]`: checks the hash chain and names the first broken line.
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { DEFAULT_AUDIT_FILE } from '../audit/log.js';
import { verifyAuditFile } from '../audit/verify.js';
import { UserError, EXIT } from '../util/errors.js';
import { DEFAULT_DIR } from './common.js';
import { info, out, paint } from './output.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('inspect the audit trail');
  audit
    .command('verify')
    .description(`check the hash chain of the audit log (default ${DEFAULT_AUDIT_FILE})`)
    .argument('[file]', 'audit log (JSON lines); default: audit.file of promptctl.yaml, else ' + DEFAULT_AUDIT_FILE)
    .option('--dir <dir>', 'prompts directory whose promptctl.yaml may name the audit file', DEFAULT_DIR)
    .action(async (file: string | undefined, opts: { dir: string }) => {
      process.exitCode = await verifyCommand(file ?? (await configuredAuditFile(opts.dir)));
    });
}

/** The same file apply writes: the config's audit.file when the prompts directory names one. */
async function configuredAuditFile(dir: string): Promise<string> {
  const st = await stat(resolve(dir)).catch(() => null);
  if (!st?.isDirectory()) return DEFAULT_AUDIT_FILE;
  const { loadConfig } = await import('../config/project.js');
  return (await loadConfig({ dir })).audit.file ?? DEFAULT_AUDIT_FILE;
}

async function verifyCommand(file: string): Promise<number> {
  const path = resolve(file);
  const shown = displayPath(path);
  const st = await stat(path).catch(() => null);
  if (!st) throw new UserError(`${shown}: no audit log here (it is written by promptctl apply)`);
  if (!st.isFile()) throw new UserError(`${shown}: not a file`);
  const res = await verifyAuditFile(path);
  if (res.ok) {
    out(`${paint('green', 'ok')}: ${res.records} record${res.records === 1 ? '' : 's'}, chain intact`);
    return EXIT.ok;
  }
  info(`${shown}:${res.line}: ${paint('red', 'broken audit chain')}: ${res.reason}`);
  return EXIT.error;
}

/** Relative to the working directory when inside it, as the user most likely typed it. */
function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}
